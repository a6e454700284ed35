package dev.refinery.synth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.core.RefineryException;
import dev.refinery.core.text.JsonRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Human-written seed instructions: self-instruct's JSONL format (also BELLE's; JSON arrays and .gz too). */
public final class SeedTasks {

  private SeedTasks() {}

  public static List<String> load(Path file) {
    List<String> out = new ArrayList<>();
    try {
      for (JsonNode task : JsonRecords.read(file)) {
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
