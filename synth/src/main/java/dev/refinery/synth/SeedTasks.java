package dev.refinery.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.RefineryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Human-written seed instructions: self-instruct's JSONL format (also BELLE's), one task per line. */
public final class SeedTasks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SeedTasks() {}

  public static List<String> load(Path file) {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode task = JSON.readTree(line);
        String instruction = task.path("instruction").asText("").strip();
        if (!instruction.isEmpty()) {
          out.add(instruction);
        }
      }
    } catch (IOException e) {
      throw new RefineryException("cannot read seed tasks " + file + ": " + e.getMessage()
          + "; set synth.self-instruct.seed-tasks to a self-instruct JSONL file");
    }
    return out;
  }
}
