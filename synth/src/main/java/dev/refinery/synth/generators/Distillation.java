package dev.refinery.synth.generators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.ProjectPaths;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.text.JsonRecords;
import dev.refinery.synth.Instruction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sequence-level knowledge distillation data (Kim and Rush 2016): a teacher model's responses to a given set
 * of prompts, for train-bridge's distill trainer. Prompts come from alpaca-style JSON, JSON array or JSONL files (.gz too, read by core's JsonRecords)
 * ({@code instruction}, optional {@code input}; {@code question} or {@code prompt} also read); the teacher
 * answers through {@link Responses}, so caching, filters and rejects are the same as for every response.
 */
public final class Distillation implements SynthGenerator {
  public static final String NAME = "distill";

  private final RefineryConfig settings;

  public Distillation(RefineryConfig synth) {
    this.settings = synth.section(NAME);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Phase phase() {
    return Phase.PROMPTS;
  }

  /** The prompts of every file of {@code synth.distill.inputs}, in order. */
  @Override
  public List<Instruction> instructions(GeneratorContext ctx, List<Instruction> pool) {
    List<Instruction> out = new ArrayList<>();
    for (Object o : settings.raw().getList("inputs").unwrapped()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> input = (Map<String, Object>) o;
      Path file = ProjectPaths.resolve(String.valueOf(input.get("path")));
      String lang = String.valueOf(input.getOrDefault("lang", "en"));
      int limit = input.containsKey("limit") ? ((Number) input.get("limit")).intValue() : 0;
      out.addAll(prompts(file, lang, limit));
    }
    return out;
  }

  /** The teacher ({@code synth.distill.teacher-model}, else the run's model) answers the prompts. */
  @Override
  public String responder(String model) {
    String teacher = settings.getString("teacher-model");
    return teacher.isEmpty() ? model : teacher;
  }

  /** The prompts of one file, tagged with {@code lang}, at most {@code limit} (0 = all). */
  static List<Instruction> prompts(Path file, String lang, int limit) {
    List<Instruction> out = new ArrayList<>();
    try {
      for (JsonNode r : JsonRecords.read(file)) {
        String instruction = first(r, "instruction", "question", "prompt");
        if (instruction == null || instruction.isBlank()) {
          continue;
        }
        out.add(Instruction.of(NAME, lang, instruction.strip(), r.path("input").asText("").strip(), null));
        if (limit > 0 && out.size() >= limit) {
          break;
        }
      }
    } catch (IOException e) {
      throw new RefineryException("cannot read distillation prompts " + file + ": " + e.getMessage()
          + "; fix the file or change synth.distill.inputs");
    }
    return out;
  }

  private static String first(JsonNode r, String... fields) {
    for (String f : fields) {
      if (r.path(f).isTextual()) {
        return r.path(f).asText();
      }
    }
    return null;
  }
}
