package dev.refinery.synth.filters;

import java.util.List;

/** Filters in order; the first that objects gives the reason. */
public record FilterChain(List<SynthFilter> filters) {
  public FilterChain {
    filters = List.copyOf(filters);
  }

  public String reject(Candidate c) {
    for (SynthFilter f : filters) {
      String reason = f.reject(c);
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }
}
