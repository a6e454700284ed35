package dev.refinery.dedup.decont;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.RefineryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads evaluation sets into a {@link ContaminationIndex}: JSONL or JSON files contribute every string value
 * of every item (instruction, input, output, ...), any other file contributes each non-blank line.
 */
public final class EvaluationSets {
  private EvaluationSets() {}

  public static ContaminationIndex load(List<String> paths, int n, int minWords) {
    ContaminationIndex index = new ContaminationIndex(n, minWords);
    ObjectMapper json = new ObjectMapper();
    for (String p : paths) {
      Path path = Path.of(p);
      if (!Files.isRegularFile(path)) {
        throw new RefineryException("dedup.decontamination.paths names " + p
            + ", which is not a readable file; fix the path or remove it");
      }
      try {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".jsonl")) {
          for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
              strings(json.readTree(line)).forEach(index::add);
            }
          }
        } else if (name.endsWith(".json")) {
          strings(json.readTree(path.toFile())).forEach(index::add);
        } else {
          for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
              index.add(line);
            }
          }
        }
      } catch (IOException e) {
        throw new RefineryException("cannot read evaluation set " + p + ": " + e.getMessage());
      }
    }
    return index;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    collect(node, out);
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isContainerNode()) {
      node.forEach(child -> collect(child, out));
    }
  }
}
