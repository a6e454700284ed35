package dev.refinery.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.testing.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The clean and dirty Chinese example documents of ../shared/data/chinese-web-text, read by path. */
final class ChineseWebTextExamples {
  private ChineseWebTextExamples() {}

  static List<String> texts(String kind) {
    ObjectMapper json = new ObjectMapper();
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(TestSpark.sharedData("chinese-web-text/fasttext_" + kind + ".jsonl").toPath())) {
        if (!line.isBlank()) {
          out.add(json.readTree(line).get("text").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
