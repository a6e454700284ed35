package dev.refinery.synth;

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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible server on loopback for tests. Answers are a pure function of the request body (a
 * hash of messages/prompt, parameters and seed drives a pseudo-random text), so two runs get identical
 * answers. The text has the shape each prompt asks for (a continued numbered list for self-instruct, a
 * "Score: N" verdict for the judge, a query ending in the end-of-turn marker for Magpie), in Chinese when
 * the prompt is Chinese; it is nonsense otherwise, as a tiny model's would be. Some answers are truncated
 * (finish_reason = length) or refusals, to exercise the filters. A {@link FaultPlan} injects failures.
 */
final class FakeOpenAiServer implements AutoCloseable {
  /** What goes wrong with one attempt. */
  enum Fault { NONE, RATE_LIMITED, SERVER_ERROR, SLOW, BROKEN_JSON, RESET, DOWN }

  /** Decides the fault of attempt {@code attempt} (1-based) of the request with body hash {@code h}. */
  @FunctionalInterface
  interface FaultPlan {
    Fault decide(long h, int attempt, int answeredSoFar);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] EN = ("explain describe compare summarize list write classify translate plan "
      + "evaluate the a of river mountain budget recipe engine theory market garden poem letter story habit "
      + "weather science history music library bridge planet ocean forest energy network language number "
      + "pattern quickly carefully simple complex modern ancient green bright quiet heavy local global "
      + "student teacher city village company product").split(" ");
  private static final String[] ZH = ("解释 描述 比较 总结 列出 写 分类 翻译 计划 评估 河流 山脉 预算 食谱 引擎 理论 市场 花园 诗歌 "
      + "信件 故事 习惯 天气 科学 历史 音律 图书馆 桥梁 星球 海洋 森林 能源 网络 语言 数字 模式 简单 复杂 现代 古代 学生 老师 城市")
      .split(" ");

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(32);
  private final FaultPlan faults;
  private final long slowMillis;
  private final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
  /** Successful answers delivered per request body: what a paid API would bill. */
  final Map<Long, AtomicInteger> paid = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  final Map<String, String> lastAuthorization = new ConcurrentHashMap<>();
  private final AtomicInteger answered = new AtomicInteger();
  private final long handleMillis;
  /** Sent with every 429. */
  volatile String retryAfter = "0";

  FakeOpenAiServer(FaultPlan faults, long slowMillis, long handleMillis) throws IOException {
    this.faults = faults;
    this.slowMillis = slowMillis;
    this.handleMillis = handleMillis;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.createContext("/v1/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  static FakeOpenAiServer wellBehaved() throws IOException {
    return new FakeOpenAiServer((h, a, n) -> Fault.NONE, 0, 0);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  int totalPaid() {
    return paid.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void handle(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      lastAuthorization.put("value", auth == null ? "" : auth);
      if (ex.getRequestMethod().equals("GET")) {
        send(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"fake\",\"object\":\"model\"}]}");
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (!path.equals("/v1/chat/completions") && !path.equals("/v1/completions")) {
        send(ex, 404, "{\"error\":{\"message\":\"no such endpoint\"}}");
        return;
      }
      requests.incrementAndGet();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      long h = Hashing.xxh64(body);
      int attempt = attempts.computeIfAbsent(h, k -> new AtomicInteger()).incrementAndGet();
      if (handleMillis > 0) {
        sleep(handleMillis);
      }
      Fault fault;
      synchronized (answered) { // decide and count as one step, so "down after N answers" means exactly N
        fault = faults.decide(h, attempt, answered.get());
        if (fault == Fault.NONE) {
          paid.computeIfAbsent(h, k -> new AtomicInteger()).incrementAndGet();
          answered.incrementAndGet();
        }
      }
      switch (fault) {
        case RATE_LIMITED -> {
          ex.getResponseHeaders().add("Retry-After", retryAfter);
          send(ex, 429, "{\"error\":{\"message\":\"rate limited\"}}");
        }
        case SERVER_ERROR -> send(ex, 500, "{\"error\":{\"message\":\"internal error\"}}");
        case DOWN -> send(ex, 503, "{\"error\":{\"message\":\"service unavailable\"}}");
        case SLOW -> {
          sleep(slowMillis);
          send(ex, 200, answer(body, h));
        }
        case BROKEN_JSON -> {
          String full = answer(body, h);
          send(ex, 200, full.substring(0, full.length() / 2));
        }
        case RESET -> ex.close();
        case NONE -> send(ex, 200, answer(body, h));
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  /** The deterministic answer for a request body. */
  static String answer(String body, long h) throws IOException {
    JsonNode req = JSON.readTree(body);
    boolean chat = req.has("messages");
    String prompt = chat ? req.path("messages").get(req.path("messages").size() - 1).path("content").asText()
        : req.path("prompt").asText();
    boolean zh = prompt.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    Random rnd = new Random(h);
    String finish = "stop";
    String text;
    if (!chat) {
      text = words(rnd, zh, 6 + rnd.nextInt(6)) + (zh ? "？" : "?") + "<|im_end|>";
    } else if (prompt.contains("List of tasks") || prompt.contains("任务列表")) {
      int next = Integer.parseInt(prompt.substring(prompt.lastIndexOf('\n') + 1).replace(".", "").trim());
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        b.append(i == 0 ? "" : (next + i) + ". ").append(words(rnd, zh, 7 + rnd.nextInt(5))).append('\n');
      }
      text = b.toString();
    } else if (prompt.contains("Score:") || prompt.contains("评分：")) {
      int score = 1 + rnd.nextInt(10);
      text = zh ? "理由：" + words(rnd, true, 8) + "\n评分：" + score : "Rationale: " + words(rnd, false, 8)
          + "\nScore: " + score;
    } else {
      int kind = rnd.nextInt(40);
      text = kind == 0 ? (zh ? "抱歉，我不能回答这个问题。" : "I'm sorry, but I can't help with that.")
          : words(rnd, zh, 12 + rnd.nextInt(20)) + (zh ? "。" : ".");
      if (kind == 1) {
        finish = "length";
      }
    }
    ObjectNode r = JSON.createObjectNode().put("id", "fake-" + Long.toHexString(h)).put("object",
        chat ? "chat.completion" : "text_completion").put("model", req.path("model").asText());
    ObjectNode choice = r.putArray("choices").addObject().put("index", 0).put("finish_reason", finish);
    if (chat) {
      choice.putObject("message").put("role", "assistant").put("content", text);
    } else {
      choice.put("text", text);
    }
    r.putObject("usage").put("prompt_tokens", prompt.length() / 4 + 1).put("completion_tokens", text.length() / 4 + 1)
        .put("total_tokens", (prompt.length() + text.length()) / 4 + 2);
    return r.toString();
  }

  private static String words(Random rnd, boolean zh, int n) {
    StringBuilder b = new StringBuilder();
    String[] vocab = zh ? ZH : EN;
    for (int i = 0; i < n; i++) {
      if (i > 0 && !zh) {
        b.append(' ');
      }
      String w = vocab[rnd.nextInt(vocab.length)];
      b.append(i == 0 && !zh ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
    }
    return b.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
