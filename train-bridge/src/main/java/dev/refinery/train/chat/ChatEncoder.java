package dev.refinery.train.chat;

import dev.refinery.core.RefineryException;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.generation.ChatTemplate.Turn;
import dev.refinery.models.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Token ids of chats in the model's {@link ChatTemplate}, with which tokens are the assistant's: an answer is
 * what the template adds when an assistant turn follows the prompt rendered with its generation prompt (for
 * ChatML {@code content<|im_end|>\n}), as TRL's completion-only loss counts it; role headers, system and user
 * turns are not learned. The text is tokenised in the pieces those renders cut it into, so no token straddles
 * a prompt and an answer.
 */
public final class ChatEncoder {
  private final Tokenizer tokenizer;
  private final ChatTemplate template;

  public ChatEncoder(Tokenizer tokenizer, ChatTemplate template) {
    this.tokenizer = tokenizer;
    this.template = template;
  }

  /** A chat as tokens; a chat the template refuses (its own raise_exception) throws a RefineryException. */
  public EncodedChat encode(Conversation c) {
    List<Turn> turns = c.turns();
    String full = template.render(turns, false);
    Sequence s = new Sequence();
    int at = 0;
    for (int i = 0; i < turns.size(); i++) {
      if (turns.get(i).role().equals("assistant")) {
        String before = template.render(turns.subList(0, i), true);
        String through = template.render(turns.subList(0, i + 1), false);
        requirePrefix(before, through);
        requirePrefix(through, full);
        s.append(tokenizer.encode(full.substring(at, before.length())), false);
        s.append(tokenizer.encode(full.substring(before.length(), through.length())), true);
        at = through.length();
      }
    }
    s.append(tokenizer.encode(full.substring(at)), false);
    boolean[] flags = new boolean[s.length];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = s.trained.get(i);
    }
    return new EncodedChat(c.id(), s.tokens.build().toArray(), flags);
  }

  /** The prompt turns followed by the template's generation prompt (the open assistant turn). */
  public int[] prompt(List<Turn> turns) {
    return tokenizer.encode(template.render(turns, true));
  }

  /**
   * A preference answer to follow {@link #prompt} of the same turns: what the template writes for it, then the
   * end-of-answer token ({@link ChatTemplate#stop()}: the folder's eos_token) unless that already ends it. TRL's
   * DPOTrainer appends eos to every answer, so Qwen2.5's {@code content<|im_end|>\n} gets one more
   * {@code <|im_end|>} there as here; a template whose turns end with eos (Llama 3's eot, Mistral's
   * {@code </s>}) does not get it twice.
   */
  public int[] answer(List<Turn> prompt, String content) {
    String before = template.render(prompt, true);
    List<Turn> withAnswer = new ArrayList<>(prompt);
    withAnswer.add(new Turn("assistant", content));
    String through = template.render(withAnswer, false);
    requirePrefix(before, through);
    int[] ids = tokenizer.encode(through.substring(before.length()));
    int[] stop = tokenizer.encode(template.stop());
    if (ids.length >= stop.length
        && Arrays.equals(ids, ids.length - stop.length, ids.length, stop, 0, stop.length)) {
      return ids;
    }
    int[] withStop = Arrays.copyOf(ids, ids.length + stop.length);
    System.arraycopy(stop, 0, withStop, ids.length, stop.length);
    return withStop;
  }

  private static void requirePrefix(String prefix, String text) {
    if (!text.startsWith(prefix)) {
      throw new RefineryException("the chat template renders earlier turns differently once later turns follow, "
          + "so answers cannot be told from prompts");
    }
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
