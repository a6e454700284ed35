package dev.refinery.synth.filters;

import dev.refinery.core.decont.ContaminationIndex;

/**
 * Drops examples (instruction and response) that share an n-gram with an evaluation set, so synthetic
 * training data does not leak benchmark items. The index is core's, the same dedup checks documents against.
 */
public final class ContaminationFilter implements SynthFilter {
  private final ContaminationIndex index;

  public ContaminationFilter(ContaminationIndex index) {
    this.index = index;
  }

  @Override
  public String reject(Candidate c) {
    String text = c.instruction().userTurn() + (c.output() == null ? "" : "\n" + c.output());
    return index.contaminates(text) ? "contaminated:evaluation-set" : null;
  }
}
