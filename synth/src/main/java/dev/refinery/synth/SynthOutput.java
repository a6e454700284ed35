package dev.refinery.synth;

import dev.refinery.synth.cache.LlmUsage;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.generators.PreferencePairs;
import java.util.List;

/** What one synth run made: instruction/response examples, preference pairs, rejects and the LLM bill. */
public record SynthOutput(List<Example> examples, List<PreferencePairs.Pair> pairs, List<Reject> rejects,
    LlmUsage usage) {

  /** An instruction with its kept response and the model that wrote it. */
  public record Example(Instruction instruction, LlmResponse response, String model) {}
}
