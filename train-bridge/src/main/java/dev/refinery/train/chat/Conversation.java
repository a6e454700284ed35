package dev.refinery.train.chat;

import dev.refinery.models.generation.ChatTemplate;
import java.util.List;

/** One instruction-tuning sample: chat turns (system, user, assistant), the assistant's ones to be learned. */
public record Conversation(String id, List<ChatTemplate.Turn> turns) {
  public Conversation {
    turns = List.copyOf(turns);
  }
}
