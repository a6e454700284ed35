package dev.refinery.models.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.generation.Generator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server on an ephemeral loopback port with a random tiny model, called as any OpenAI client would. */
class OpenAiServerTest {
  private static Generator generator;
  private static OpenAiServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    generator = TinyRandomModel.create(TinyRandomModel.ASCII, 256, 7);
    server = OpenAiServer.start(new OpenAiEndpoints(generator, "tiny", 40), "127.0.0.1", 0, 2, 4, 4096);
  }

  @AfterAll
  static void stop() {
    server.close();
    generator.model().close();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject ok(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  @Test
  void listsTheModel() throws Exception {
    JsonObject r = ok(HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).GET().build(),
        HttpResponse.BodyHandlers.ofString()));
    assertEquals("list", r.get("object").getAsString());
    assertEquals("tiny", r.getAsJsonArray("data").get(0).getAsJsonObject().get("id").getAsString());
  }

  @Test
  void completionsCountTokensStopAndRepeatWithASeed() throws Exception {
    String body = "{\"model\":\"tiny\",\"prompt\":\"Hello\",\"max_tokens\":12,\"temperature\":0.9,\"top_k\":20,"
        + "\"seed\":5}";
    JsonObject r = ok(post("/completions", body));
    assertEquals("text_completion", r.get("object").getAsString());
    JsonObject choice = r.getAsJsonArray("choices").get(0).getAsJsonObject();
    String text = choice.get("text").getAsString();
    JsonObject usage = r.getAsJsonObject("usage");
    assertEquals(5, usage.get("prompt_tokens").getAsInt(), "one token per character");
    int completion = usage.get("completion_tokens").getAsInt();
    assertTrue(completion >= 1 && completion <= 12, usage.toString());
    assertEquals(5 + completion, usage.get("total_tokens").getAsInt());
    assertEquals(text, ok(post("/completions", body)).getAsJsonArray("choices").get(0).getAsJsonObject()
        .get("text").getAsString(), "the same seed gives the same text");

    // Greedy, then again with a stop string taken from the middle of the greedy text.
    JsonObject greedy = ok(post("/completions", "{\"model\":\"tiny\",\"prompt\":[\"ab\",\"xyz\"],\"max_tokens\":10,"
        + "\"temperature\":0}"));
    assertEquals(2, greedy.getAsJsonArray("choices").size(), "a prompt list gives one choice per prompt");
    assertEquals(5, greedy.getAsJsonObject("usage").get("prompt_tokens").getAsInt());
    JsonObject first = greedy.getAsJsonArray("choices").get(0).getAsJsonObject();
    String full = first.get("text").getAsString();
    assertEquals("length", first.get("finish_reason").getAsString());
    assertEquals(10, full.length());
    String stop = full.substring(4, 6);
    JsonObject stopped = ok(post("/completions", "{\"model\":\"tiny\",\"prompt\":\"ab\",\"max_tokens\":10,"
        + "\"temperature\":0,\"stop\":" + JsonParser.parseString("\"" + stop.replace("\\", "\\\\")
        .replace("\"", "\\\"") + "\"") + "}")).getAsJsonArray("choices").get(0).getAsJsonObject();
    assertEquals("stop", stopped.get("finish_reason").getAsString());
    String cut = stopped.get("text").getAsString();
    assertTrue(full.startsWith(cut) && !cut.contains(stop) && cut.length() <= 4, cut + " / " + full);
  }

  @Test
  void chatUsesTheChatMlTemplateAndCapsMaxTokens() throws Exception {
    JsonObject r = ok(post("/chat/completions", "{\"model\":\"tiny\",\"messages\":[{\"role\":\"system\","
        + "\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":1000,\"seed\":1}"));
    assertEquals("chat.completion", r.get("object").getAsString());
    JsonObject choice = r.getAsJsonArray("choices").get(0).getAsJsonObject();
    assertEquals("assistant", choice.getAsJsonObject("message").get("role").getAsString());
    assertFalse(choice.getAsJsonObject("message").get("content").getAsString().contains(ChatTemplate.STOP));
    String prompt = ChatTemplate.prompt(List.of(new ChatTemplate.Turn("system", "Be brief."),
        new ChatTemplate.Turn("user", "Hi")));
    assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        prompt);
    JsonObject usage = r.getAsJsonObject("usage");
    assertEquals(generator.tokenizer().encode(prompt).length, usage.get("prompt_tokens").getAsInt());
    assertTrue(usage.get("completion_tokens").getAsInt() <= 40, "max_tokens is capped at 40: " + usage);
  }

  @Test
  void streamingSendsTheSameTextAsEventsEndingInDone() throws Exception {
    String messages = "\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me\"}],"
        + "\"max_tokens\":15,\"seed\":9";
    String whole = ok(post("/chat/completions", "{" + messages + "}")).getAsJsonArray("choices").get(0)
        .getAsJsonObject().getAsJsonObject("message").get("content").getAsString();
    HttpResponse<String> r = post("/chat/completions", "{" + messages + ",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true}}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
    List<String> events = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    assertEquals("[DONE]", events.get(events.size() - 1));
    StringBuilder streamed = new StringBuilder();
    String finish = null;
    for (String e : events.subList(0, events.size() - 2)) {
      JsonObject choice = JsonParser.parseString(e).getAsJsonObject().getAsJsonArray("choices").get(0)
          .getAsJsonObject();
      JsonObject delta = choice.getAsJsonObject("delta");
      if (delta.has("content")) {
        streamed.append(delta.get("content").getAsString());
      }
      finish = choice.get("finish_reason").isJsonNull() ? finish : choice.get("finish_reason").getAsString();
    }
    assertEquals(whole, streamed.toString(), "the same seed streams the same text");
    assertTrue(finish != null);
    JsonObject usage = JsonParser.parseString(events.get(events.size() - 2)).getAsJsonObject()
        .getAsJsonObject("usage");
    assertEquals(usage.get("prompt_tokens").getAsInt() + usage.get("completion_tokens").getAsInt(),
        usage.get("total_tokens").getAsInt());
    assertEquals(400, post("/completions", "{\"model\":\"tiny\",\"stream\":true,\"prompt\":\""
        + "x".repeat(300) + "\"}").statusCode(), "a refused prompt is refused before the stream starts");
  }

  @Test
  void badRequestsGetOpenAiStyleErrors() throws Exception {
    HttpResponse<String> r = post("/chat/completions", "{\"model\":\"tiny\",\"messages\":[],\"temperature\":0}");
    assertEquals(400, r.statusCode());
    JsonObject err = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("error");
    assertEquals("invalid_request_error", err.get("type").getAsString());
    assertEquals("messages", err.get("param").getAsString());
    assertEquals(400, post("/completions", "{not json").statusCode());
    assertEquals(400, post("/completions", "{\"model\":\"tiny\",\"prompt\":\"x\",\"n\":2}").statusCode());
    assertEquals(400, post("/completions", "{\"model\":\"tiny\",\"prompt\":\"" + "x".repeat(300) + "\"}")
        .statusCode(), "a prompt longer than the context");
    assertEquals(404, post("/completions", "{\"model\":\"gpt-4\",\"prompt\":\"x\"}").statusCode());
    assertEquals(404, post("/embeddings", "{}").statusCode());
    assertEquals(413, post("/completions", "{\"model\":\"tiny\",\"prompt\":\"" + "x".repeat(5000) + "\"}")
        .statusCode());
  }

  /** A base model folder without a chat template (serve --model warns once at start): chats get one clear line. */
  @Test
  void withoutAChatTemplateChatsAreRefusedAndCompletionsServed() {
    OpenAiEndpoints base = new OpenAiEndpoints(GeneratorPool.of(generator, 1), "tiny", 40, null);
    ApiResponse chat = base.handle("POST", "/v1/chat/completions",
        "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}");
    assertEquals(400, chat.status(), chat.json());
    assertEquals("model 'tiny' has no chat template; use /v1/completions", JsonParser.parseString(chat.json())
        .getAsJsonObject().getAsJsonObject("error").get("message").getAsString());
    ApiResponse completion = base.handle("POST", "/v1/completions",
        "{\"model\":\"tiny\",\"prompt\":\"hi\",\"max_tokens\":2}");
    assertEquals(200, completion.status(), completion.json());
  }
}
