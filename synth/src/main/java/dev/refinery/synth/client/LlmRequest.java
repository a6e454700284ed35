package dev.refinery.synth.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One call to an OpenAI-compatible endpoint: either a chat ({@code /chat/completions}, messages) or a raw
 * completion ({@code /completions}, prompt; Magpie needs it to send a bare pre-query template). The JSON
 * body is canonical (fixed field order), so its hash is the cache key.
 */
public record LlmRequest(String model, List<ChatMessage> messages, String prompt, Sampling sampling, long seed)
    implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  public LlmRequest {
    messages = messages == null ? null : List.copyOf(messages);
    if ((messages == null) == (prompt == null)) {
      throw new IllegalArgumentException("a request has either messages or a prompt");
    }
  }

  public static LlmRequest chat(String model, List<ChatMessage> messages, Sampling sampling, long seed) {
    return new LlmRequest(model, messages, null, sampling, seed);
  }

  public static LlmRequest completion(String model, String prompt, Sampling sampling, long seed) {
    return new LlmRequest(model, null, prompt, sampling, seed);
  }

  public boolean isChat() {
    return messages != null;
  }

  /** {@code chat/completions} or {@code completions}, relative to the endpoint's base URL. */
  public String path() {
    return isChat() ? "chat/completions" : "completions";
  }

  /** The request body as sent (never holds the API key, which travels in a header). */
  public String body() {
    ObjectNode o = JSON.createObjectNode();
    o.put("model", model);
    if (isChat()) {
      ArrayNode a = o.putArray("messages");
      for (ChatMessage m : messages) {
        a.addObject().put("role", m.role()).put("content", m.content());
      }
    } else {
      o.put("prompt", prompt);
    }
    o.put("temperature", sampling.temperature());
    o.put("top_p", sampling.topP());
    o.put("max_tokens", sampling.maxTokens());
    o.put("seed", seed);
    if (!sampling.stop().isEmpty()) {
      ArrayNode s = o.putArray("stop");
      sampling.stop().forEach(s::add);
    }
    o.put("n", 1);
    return o.toString();
  }

  /** SHA-256 of (model, path, body): the same question with the same parameters and seed has one key. */
  public String key() {
    return keyOf(model, path(), body());
  }

  static String keyOf(String model, String path, String body) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update((model + "\n" + path + "\n" + body).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
