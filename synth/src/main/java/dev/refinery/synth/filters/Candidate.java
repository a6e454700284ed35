package dev.refinery.synth.filters;

import dev.refinery.synth.Instruction;

/** What a filter looks at: an instruction, and its response when there is one yet ({@code output} null before). */
public record Candidate(Instruction instruction, String output, String finishReason) {
  public static Candidate of(Instruction i) {
    return new Candidate(i, null, null);
  }

  /** The response when there is one, else the instruction: the text most filters check. */
  public String checkedText() {
    return output != null ? output : instruction.userTurn();
  }
}
