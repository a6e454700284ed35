package dev.refinery.models.generation;

import dev.refinery.models.tokenizer.SpecialTokens;
import java.util.List;

/**
 * The ChatML template every Refinery chat model is prompted with, in one place so that the HTTP server and
 * in-process callers build the same prompt: {@code <|im_start|>role\ncontent<|im_end|>\n} per turn, then an
 * open assistant turn. Generation ends at {@link #STOP}.
 */
public final class ChatTemplate {
  /** One chat turn. */
  public record Turn(String role, String content) {
    public Turn {
      if (role == null || role.isBlank()) {
        throw new IllegalArgumentException("a chat turn needs a role");
      }
      content = content == null ? "" : content;
    }
  }

  /** End of a turn: the stop string of every chat completion. */
  public static final String STOP = SpecialTokens.IM_END;

  private ChatTemplate() {}

  public static String prompt(List<Turn> turns) {
    StringBuilder b = new StringBuilder();
    for (Turn t : turns) {
      b.append(SpecialTokens.IM_START).append(t.role()).append('\n').append(t.content()).append(SpecialTokens.IM_END)
          .append('\n');
    }
    return b.append(SpecialTokens.IM_START).append("assistant\n").toString();
  }
}
