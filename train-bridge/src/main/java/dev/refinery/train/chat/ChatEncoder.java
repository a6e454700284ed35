package dev.refinery.train.chat;

import dev.refinery.core.RefineryException;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.generation.ChatTemplate.Turn;
import dev.refinery.models.tokenizer.SpecialTokens;
import dev.refinery.models.tokenizer.Tokenizer;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Token ids of chats in {@link ChatTemplate}'s ChatML layout ({@code <|im_start|>role\ncontent<|im_end|>\n}),
 * built turn by turn so that it is known which tokens are the assistant's: an answer's content and its
 * {@code <|im_end|>} are learned (the model must learn to stop), the role header and everything else are not.
 * Content is encoded as ordinary text: a user cannot inject special tokens.
 */
public final class ChatEncoder {
  private final Tokenizer tokenizer;
  private final int imStart;
  private final int imEnd;
  private final int[] newline;

  public ChatEncoder(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.imStart = special(tokenizer, SpecialTokens.IM_START);
    this.imEnd = special(tokenizer, SpecialTokens.IM_END);
    this.newline = tokenizer.encodeOrdinary("\n");
  }

  private static int special(Tokenizer t, String token) {
    return t.specialTokenId(token).orElseThrow(() -> new RefineryException("the tokenizer has no " + token
        + " token, which the chat template needs; use a Refinery tokenizer (char, bpe:N) or one with ChatML tokens"));
  }

  public EncodedChat encode(Conversation c) {
    Sequence s = new Sequence();
    for (Turn t : c.turns()) {
      boolean learn = t.role().equals("assistant");
      header(t.role(), s);
      s.append(tokenizer.encodeOrdinary(t.content()), learn);
      s.append(new int[] {imEnd}, learn);
      s.append(newline, false);
    }
    boolean[] flags = new boolean[s.length];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = s.trained.get(i);
    }
    return new EncodedChat(c.id(), s.tokens.build().toArray(), flags);
  }

  /** The prompt turns followed by an open assistant turn, as {@link ChatTemplate#prompt} writes it. */
  public int[] prompt(List<Turn> turns) {
    Sequence s = new Sequence();
    for (Turn t : turns) {
      header(t.role(), s);
      s.append(tokenizer.encodeOrdinary(t.content()), false);
      s.append(new int[] {imEnd}, false);
      s.append(newline, false);
    }
    header("assistant", s);
    return s.tokens.build().toArray();
  }

  /** An answer to follow {@link #prompt}: its content and the closing {@code <|im_end|>}. */
  public int[] answer(String content) {
    int[] body = tokenizer.encodeOrdinary(content);
    int[] out = java.util.Arrays.copyOf(body, body.length + 1);
    out[body.length] = imEnd;
    return out;
  }

  private void header(String role, Sequence s) {
    s.append(new int[] {imStart}, false);
    s.append(tokenizer.encodeOrdinary(role + "\n"), false);
  }

  /** Token ids being built, with which of them are learned. */
  private static final class Sequence {
    final IntStream.Builder tokens = IntStream.builder();
    final BitSet trained = new BitSet();
    int length;

    void append(int[] ids, boolean learn) {
      for (int id : ids) {
        tokens.add(id);
        trained.set(length++, learn);
      }
    }
  }
}
