package dev.refinery.train.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.models.generation.ChatTemplate.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the instruction and preference schemas people publish into {@link Conversation}s and
 * {@link PreferencePair}s: alpaca ({@code instruction, input, output, system, history}), sharegpt
 * ({@code conversations: [{from, value}]}), OpenAI ({@code messages: [{role, content}]}), preference pairs with
 * a prompt (string or turns) and chosen/rejected (strings, a turn, or turns ending with the answer), and
 * hh-rlhf transcripts. A record that fits none, or has nothing to learn, throws {@link IllegalArgumentException}
 * whose message is the reject reason.
 */
public final class ChatRecords {
  private static final String HUMAN = "\n\nHuman:";
  private static final String ASSISTANT = "\n\nAssistant:";

  private ChatRecords() {}

  public static Conversation conversation(String id, JsonNode r) {
    List<Turn> turns = new ArrayList<>();
    if (r.path("messages").isArray() && !r.path("messages").isEmpty()) {
      turns.addAll(turns(r.path("messages")));
    } else if (r.path("conversations").isArray()) {
      system(r, turns);
      turns.addAll(turns(r.path("conversations")));
    } else if (r.hasNonNull("instruction")) {
      system(r, turns);
      for (JsonNode h : r.path("history")) {
        turns.add(new Turn("user", h.path(0).asText()));
        turns.add(new Turn("assistant", h.path(1).asText()));
      }
      String input = r.path("input").asText("");
      turns.add(new Turn("user", r.path("instruction").asText() + (input.isBlank() ? "" : "\n\n" + input)));
      turns.add(new Turn("assistant", r.path("output").asText("")));
    } else {
      throw new IllegalArgumentException("not an instruction record: needs messages, conversations or instruction");
    }
    if (turns.stream().noneMatch(t -> t.role().equals("assistant") && !t.content().isBlank())) {
      throw new IllegalArgumentException("no assistant answer to learn");
    }
    return new Conversation(id, turns);
  }

  public static PreferencePair preference(String id, JsonNode r) {
    if (!r.has("chosen") || !r.has("rejected")) {
      throw new IllegalArgumentException("not a preference record: needs chosen and rejected");
    }
    JsonNode chosen = r.get("chosen");
    JsonNode rejected = r.get("rejected");
    List<Turn> prompt = new ArrayList<>();
    system(r, prompt);
    String chosenText;
    String rejectedText;
    if (r.has("prompt") || r.has("messages") || r.has("conversations")) {
      JsonNode p = r.has("prompt") ? r.get("prompt") : r.has("messages") ? r.get("messages") : r.get("conversations");
      if (p.isTextual()) {
        prompt.add(new Turn("user", p.asText()));
      } else {
        prompt.addAll(turns(p));
      }
      chosenText = answer(chosen);
      rejectedText = answer(rejected);
    } else if (chosen.isTextual() && chosen.asText().contains(ASSISTANT)) {
      List<Turn> c = transcript(chosen.asText());
      List<Turn> rj = transcript(rejected.asText());
      if (!c.subList(0, c.size() - 1).equals(rj.subList(0, Math.max(0, rj.size() - 1)))) {
        throw new IllegalArgumentException("chosen and rejected transcripts differ before the last answer");
      }
      prompt.addAll(c.subList(0, c.size() - 1));
      chosenText = c.get(c.size() - 1).content();
      rejectedText = rj.get(rj.size() - 1).content();
    } else {
      throw new IllegalArgumentException("preference record without a prompt");
    }
    if (prompt.stream().noneMatch(t -> t.role().equals("user"))) {
      throw new IllegalArgumentException("preference prompt has no user turn");
    }
    if (chosenText.isBlank() || rejectedText.isBlank()) {
      throw new IllegalArgumentException("empty chosen or rejected answer");
    }
    if (chosenText.equals(rejectedText)) {
      throw new IllegalArgumentException("chosen and rejected answers are identical");
    }
    return new PreferencePair(id, prompt, chosenText, rejectedText);
  }

  private static void system(JsonNode r, List<Turn> turns) {
    String system = r.path("system").asText("");
    if (!system.isBlank()) {
      turns.add(new Turn("system", system));
    }
  }

  /** OpenAI {role, content} or sharegpt {from, value} turns. */
  private static List<Turn> turns(JsonNode array) {
    if (!array.isArray()) {
      throw new IllegalArgumentException("turns must be an array");
    }
    List<Turn> out = new ArrayList<>();
    for (JsonNode t : array) {
      String role = t.has("role") ? t.path("role").asText() : t.path("from").asText();
      String content = t.has("content") ? t.path("content").asText() : t.path("value").asText();
      out.add(new Turn(role(role), content));
    }
    return out;
  }

  private static String role(String r) {
    return switch (r.toLowerCase(java.util.Locale.ROOT)) {
      case "user", "human" -> "user";
      case "assistant", "gpt", "bot", "model" -> "assistant";
      case "system" -> "system";
      default -> throw new IllegalArgumentException("unknown chat role '" + r + "'");
    };
  }

  /** An answer given as a string, one turn, or turns whose last is the assistant's. */
  private static String answer(JsonNode a) {
    if (a.isTextual()) {
      return a.asText();
    }
    List<Turn> t = a.isArray() ? turns(a) : turns(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
        .arrayNode().add(a));
    if (t.isEmpty() || !t.get(t.size() - 1).role().equals("assistant")) {
      throw new IllegalArgumentException("chosen/rejected must end with an assistant turn");
    }
    return t.get(t.size() - 1).content();
  }

  /** hh-rlhf: "\n\nHuman: ...\n\nAssistant: ..." alternating, ending with the assistant's answer. */
  private static List<Turn> transcript(String text) {
    List<Turn> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      boolean human = text.startsWith(HUMAN, i);
      boolean assistant = text.startsWith(ASSISTANT, i);
      if (!human && !assistant) {
        throw new IllegalArgumentException("transcript turn does not start with Human: or Assistant:");
      }
      int start = i + (human ? HUMAN.length() : ASSISTANT.length());
      int nextH = text.indexOf(HUMAN, start);
      int nextA = text.indexOf(ASSISTANT, start);
      int end = Math.min(nextH < 0 ? text.length() : nextH, nextA < 0 ? text.length() : nextA);
      out.add(new Turn(human ? "user" : "assistant", text.substring(start, end).strip()));
      i = end;
    }
    if (out.isEmpty() || !out.get(out.size() - 1).role().equals("assistant")) {
      throw new IllegalArgumentException("transcript does not end with an assistant answer");
    }
    return out;
  }
}
