package dev.refinery.train.chat;

import java.io.Serializable;

/**
 * A preference pair as token ids, already cut to fit a row: the prompt (ending with the open assistant turn)
 * and the two answers; {@code index} addresses the pair's reference log-probs.
 */
public record EncodedPair(int index, int[] prompt, int[] chosen, int[] rejected) implements Serializable {
  /**
   * Encodes and cuts a pair for rows of {@code rowLength} tokens: the prompt keeps at most
   * {@code maxPromptFraction} of the row (its last tokens, nearest the answer), each answer its first tokens
   * in the rest.
   */
  public static EncodedPair of(int index, PreferencePair pair, ChatEncoder encoder, int rowLength,
      double maxPromptFraction) {
    int[] prompt = encoder.prompt(pair.prompt());
    int maxPrompt = Math.max(1, (int) (rowLength * maxPromptFraction));
    if (prompt.length > maxPrompt) {
      prompt = java.util.Arrays.copyOfRange(prompt, prompt.length - maxPrompt, prompt.length);
    }
    int room = rowLength - prompt.length;
    int[] chosen = encoder.answer(pair.prompt(), pair.chosen());
    int[] rejected = encoder.answer(pair.prompt(), pair.rejected());
    return new EncodedPair(index, prompt, java.util.Arrays.copyOf(chosen, Math.min(room, chosen.length)),
        java.util.Arrays.copyOf(rejected, Math.min(room, rejected.length)));
  }
}
