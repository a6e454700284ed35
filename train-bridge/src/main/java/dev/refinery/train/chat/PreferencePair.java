package dev.refinery.train.chat;

import dev.refinery.models.generation.ChatTemplate;
import java.util.List;

/** A prompt (chat turns ending with the user's) and two answers to it, the chosen one preferred. */
public record PreferencePair(String id, List<ChatTemplate.Turn> prompt, String chosen, String rejected) {
  public PreferencePair {
    prompt = List.copyOf(prompt);
  }
}
