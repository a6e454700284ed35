package dev.refinery.synth.filters;

import dev.refinery.synth.text.ScriptProfile;

/** Drops text not written in the script of the language it was asked in (e.g. English answers to Chinese). */
public record LanguageMatchFilter(double minShare) implements SynthFilter {
  @Override
  public String reject(Candidate c) {
    double share = ScriptProfile.matchShare(c.checkedText(), c.instruction().lang());
    return share < minShare ? "language:not-" + c.instruction().lang() : null;
  }
}
