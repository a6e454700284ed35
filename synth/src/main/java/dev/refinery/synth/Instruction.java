package dev.refinery.synth;

import dev.refinery.core.text.Hashing;

/**
 * An instruction on its way through synth: which generator made it, in which language, the optional input
 * (alpaca's second field) and the instruction it was evolved from (null for roots). The id is stable: a hash
 * of generator, language and text, so re-runs produce the same ids.
 */
public record Instruction(String id, String generator, String lang, String instruction, String input,
    String parentId) {

  public static Instruction of(String generator, String lang, String instruction, String input, String parentId) {
    String in = input == null ? "" : input;
    String id = Hashing.hex(Hashing.xxh64(generator + "\u0000" + lang + "\u0000" + instruction + "\u0000" + in))
        + Hashing.hex(Hashing.xxh64(instruction + "\u0000" + in, 0x5EED));
    return new Instruction(id, generator, lang, instruction, in, parentId);
  }

  /** The user turn: instruction, then the input (if any) after a blank line. */
  public String userTurn() {
    return input.isEmpty() ? instruction : instruction + "\n\n" + input;
  }
}
