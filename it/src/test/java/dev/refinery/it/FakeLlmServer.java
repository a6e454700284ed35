package dev.refinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.refinery.core.text.Hashing;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal OpenAI-compatible endpoint on loopback for the synth stage: completions answer with a user
 * query (Magpie), chat completions with a sentence; both a pure function of the request body, so runs
 * repeat exactly. Records the Authorization headers it receives (the secrets test checks the key arrived).
 */
final class FakeLlmServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] WORDS = ("river mountain budget recipe engine garden letter story habit weather "
      + "science history music library bridge planet ocean forest energy network language pattern village")
      .split(" ");

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  FakeLlmServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/v1/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void handle(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "" : auth);
    if (ex.getRequestMethod().equals("GET")) {
      send(ex, "{\"object\":\"list\",\"data\":[{\"id\":\"fake\",\"object\":\"model\"}]}");
      return;
    }
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonNode req = JSON.readTree(body);
    boolean chat = req.has("messages");
    Random rnd = new Random(Hashing.xxh64(body));
    String text = chat ? "The " + words(rnd, 14) + " explains it well." : "How does the " + words(rnd, 6)
        + " change over a year?<|im_end|>";
    ObjectNode r = JSON.createObjectNode().put("id", "fake").put("object", chat ? "chat.completion"
        : "text_completion").put("model", req.path("model").asText());
    ObjectNode choice = r.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
    if (chat) {
      choice.putObject("message").put("role", "assistant").put("content", text);
    } else {
      choice.put("text", text);
    }
    r.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 10).put("total_tokens", 20);
    send(ex, r.toString());
  }

  private static String words(Random rnd, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
    }
    return b.toString();
  }

  private static void send(HttpExchange ex, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  /** Synth settings pointing at this server: Magpie queries with responses, in English, a few of them. */
  static List<String> synthSettings(String baseUrl) {
    return List.of(
        "synth.enabled=true",
        "synth.endpoint.base-url=\"" + baseUrl + "\"",
        "synth.endpoint.model=fake-model",
        "synth.endpoint.timeout=5s",
        "synth.endpoint.backoff-initial=5ms",
        "synth.endpoint.backoff-max=20ms",
        "synth.languages=[\"en\"]",
        "synth.generators=[\"magpie\"]",
        "synth.magpie.count=4",
        "synth.cache.batch-size=16");
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
