package dev.refinery.synth.filters;

/** Drops instructions or responses whose length in characters is outside [min, max]. */
public record LengthFilter(int minInstructionChars, int maxInstructionChars, int minResponseChars,
    int maxResponseChars) implements SynthFilter {
  @Override
  public String reject(Candidate c) {
    int n = c.checkedText().strip().length();
    boolean response = c.output() != null;
    int min = response ? minResponseChars : minInstructionChars;
    int max = response ? maxResponseChars : maxInstructionChars;
    String what = response ? "response" : "instruction";
    if (n < min) {
      return "length:" + what + "-too-short";
    }
    return n > max ? "length:" + what + "-too-long" : null;
  }
}
