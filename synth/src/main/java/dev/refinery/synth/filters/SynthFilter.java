package dev.refinery.synth.filters;

/** One per-example check (datatrove style): null keeps the example, otherwise the reason it is dropped. */
public interface SynthFilter {
  String reject(Candidate c);
}
