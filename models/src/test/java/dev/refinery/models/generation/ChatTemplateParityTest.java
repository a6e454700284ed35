package dev.refinery.models.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import dev.refinery.core.RefineryException;
import dev.refinery.testing.HfPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chats rendered by our {@link ChatTemplate} equal transformers' {@code apply_chat_template} byte for byte, on
 * Qwen2.5's and Llama 3.2's templates (inline in tokenizer_config.json and in chat_template.jinja) and on one
 * exercising loop controls, namespaces, selectattr and raise_exception; a template's raise is our error line.
 */
class ChatTemplateParityTest {
  @Test
  @SuppressWarnings("unchecked")
  void rendersAsTransformersDoes(@TempDir Path dir) throws Exception {
    String json = HfPython.run("chat_templates.py", dir.toString());
    Map<String, Object> root = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create()
        .fromJson(json, Map.class);
    List<Map<String, Object>> cases = (List<Map<String, Object>>) root.get("cases");
    assertTrue(cases.size() >= 25, "too few cases: " + cases.size());
    List<String> wrong = new java.util.ArrayList<>();
    for (Map<String, Object> c : cases) {
      ChatTemplate template = ChatTemplate.of(Path.of((String) c.get("folder")));
      List<Map<String, Object>> messages = (List<Map<String, Object>>) c.get("messages");
      boolean gen = (Boolean) c.get("add_generation_prompt");
      Map<String, Object> extra = c.get("tools") == null ? Map.of() : Map.of("tools", c.get("tools"));
      String what = c.get("folder") + " " + messages + " gen=" + gen;
      String want = c.containsKey("error") ? "ERROR chat template: " + c.get("error") : (String) c.get("expected");
      String got;
      try {
        got = template.render(messages, gen, extra);
      } catch (RefineryException e) {
        got = "ERROR " + e.getMessage();
      }
      if (!want.equals(got)) {
        wrong.add(what + "\n--- transformers:\n" + want + "\n--- ours:\n" + got);
      }
    }
    assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases.size() + " differ:\n" + String.join("\n\n", wrong));
  }

  @Test
  void folderWithoutTemplateStopsWithOneLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
    RefineryException e = assertThrows(RefineryException.class, () -> ChatTemplate.of(dir));
    assertTrue(e.getMessage().contains("has no chat template"), e.getMessage());
    assertEquals(ChatTemplate.CHATML, ChatTemplate.of(dir.resolve("missing")));
  }

  @Test
  void chatMlIsRefinerysLayout() {
    assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        ChatTemplate.prompt(List.of(new ChatTemplate.Turn("system", "Be brief."), new ChatTemplate.Turn("user", "Hi"))));
  }
}
