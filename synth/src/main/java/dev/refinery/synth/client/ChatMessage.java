package dev.refinery.synth.client;

import java.io.Serializable;

/** One turn of an OpenAI chat: role ({@code system}, {@code user}, {@code assistant}) and text. */
public record ChatMessage(String role, String content) implements Serializable {
  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
