package dev.refinery.synth.generators;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.synth.Instruction;
import java.util.List;

/**
 * One generator of the synth stage, named in {@code synth.generators}. Each is built from the {@code synth}
 * configuration block (its own settings sit in the block named like it) and runs in one {@link Phase};
 * {@link SynthGenerators} lists them all.
 */
public interface SynthGenerator {

  /** When a generator runs; phases run in this order, generators of one phase in registry order. */
  enum Phase {
    /** New instructions from nothing but prompts; all of this phase are filtered and deduplicated together. */
    INSTRUCTIONS,
    /** New instructions from the pool so far; filtered, deduplicated against the pool, then join it. */
    EVOLVE,
    /** Given prompts (not generated): answered by {@link #responder}, kept out of preference pairs. */
    PROMPTS,
    /** Preference pairs for the answered instructions of the first two phases. */
    PAIRS
  }

  String name();

  Phase phase();

  /** Stops the run before anything is written when this generator's settings cannot work; the whole config. */
  default void validate(RefineryConfig config) {}

  /** INSTRUCTIONS, EVOLVE and PROMPTS generators: the instructions this one adds, given the pool so far. */
  default List<Instruction> instructions(GeneratorContext ctx, List<Instruction> pool) {
    return List.of();
  }

  /** PAIRS generators: pairs for the answered instructions (in id order). */
  default List<PreferencePairs.Pair> pairs(GeneratorContext ctx, List<Instruction> answered) {
    return List.of();
  }

  /** The model that answers this generator's instructions, given the run's model. */
  default String responder(String model) {
    return model;
  }
}
