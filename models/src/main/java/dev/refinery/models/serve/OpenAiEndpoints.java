package dev.refinery.models.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.refinery.core.RefineryException;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.generation.Completion;
import dev.refinery.models.generation.Generator;
import dev.refinery.models.generation.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The OpenAI API subset over a {@link Generator}, as pure request-to-response functions: the HTTP server
 * and in-process callers (synth's {@code local} backend) share it, so both answer a body identically.
 * Supports GET /v1/models, POST /v1/completions (prompt string or list), POST /v1/chat/completions
 * (the model's {@link ChatTemplate}, ChatML for Refinery's own), each also as server-sent events ({@code stream: true}); max_tokens above
 * the cap is lowered to it (finish_reason tells).
 */
public final class OpenAiEndpoints {
  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  /** Where a streamed answer goes as server-sent events; the first event starts the 200 response. */
  public interface EventSink {
    /** Sends {@code data: <data>} as one event. */
    void event(String data);

    boolean started();
  }

  private final GeneratorPool generators;
  private final String modelName;
  private final int maxTokensCap;
  private final ChatTemplate template;

  /** One generator: requests generate one at a time. */
  public OpenAiEndpoints(Generator generator, String modelName, int maxTokensCap) {
    this(GeneratorPool.of(generator, 1), modelName, maxTokensCap);
  }

  /** Requests generate in parallel, as many at once as the pool has generators. */
  public OpenAiEndpoints(GeneratorPool generators, String modelName, int maxTokensCap) {
    this(generators, modelName, maxTokensCap, ChatTemplate.CHATML);
  }

  /** Chats are rendered by {@code template}, the model folder's own (null: the model has none, chats are refused). */
  public OpenAiEndpoints(GeneratorPool generators, String modelName, int maxTokensCap, ChatTemplate template) {
    if (maxTokensCap < 1) {
      throw new IllegalArgumentException("maxTokensCap must be at least 1");
    }
    this.generators = generators;
    this.modelName = modelName;
    this.maxTokensCap = maxTokensCap;
    this.template = template;
  }

  public String modelName() {
    return modelName;
  }

  /** Answers one request; never throws (bad requests and failures become OpenAI-style error bodies). */
  public ApiResponse handle(String method, String path, String body) {
    return handle(method, path, body, null);
  }

  /**
   * As {@link #handle(String, String, String)}; with a sink, {@code stream: true} requests are answered there
   * and the result is null. A failure after the first event is sent as a last event holding the error.
   */
  public ApiResponse handle(String method, String path, String body, EventSink sink) {
    ApiResponse err;
    try {
      JsonObject r = route(method, path, body, sink);
      return r == null ? null : new ApiResponse(200, GSON.toJson(r));
    } catch (ApiError e) {
      err = error(e.status(), e.type(), e.param(), e.getMessage());
    } catch (RuntimeException e) {
      err = error(500, "server_error", null, "internal error: " + e);
    }
    if (sink != null && sink.started()) {
      try {
        sink.event(err.json());
      } catch (RuntimeException clientGone) {
        // Nothing more can reach a client that went away.
      }
      return null;
    }
    return err;
  }

  public static ApiResponse error(int status, String type, String param, String message) {
    JsonObject err = new JsonObject();
    err.addProperty("message", message);
    err.addProperty("type", type);
    err.addProperty("param", param);
    err.add("code", null);
    JsonObject root = new JsonObject();
    root.add("error", err);
    return new ApiResponse(status, GSON.toJson(root));
  }

  private JsonObject route(String method, String path, String body, EventSink sink) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String expected = switch (p) {
      case "/v1/models" -> "GET";
      case "/v1/completions", "/v1/chat/completions" -> "POST";
      default -> throw new ApiError(404, "not_found_error", null, "no such endpoint: " + path);
    };
    if (!expected.equals(method)) {
      throw new ApiError(405, "invalid_request_error", null, method + " is not allowed on " + p + "; use "
          + expected);
    }
    if (p.equals("/v1/models")) {
      return models();
    }
    JsonObject req = parseObject(body);
    checkModel(req);
    boolean stream = req.has("stream") && !req.get("stream").isJsonNull() && bool(req, "stream");
    if (stream && sink == null) {
      throw ApiError.badRequest("stream", "streaming needs the HTTP server; send stream=false");
    }
    Stream s = stream ? new Stream(sink, p.equals("/v1/chat/completions"), includeUsage(req)) : null;
    return p.equals("/v1/completions") ? completions(req, s) : chat(req, s);
  }

  private JsonObject models() {
    JsonObject m = new JsonObject();
    m.addProperty("id", modelName);
    m.addProperty("object", "model");
    m.addProperty("created", 0);
    m.addProperty("owned_by", "refinery");
    JsonArray data = new JsonArray();
    data.add(m);
    JsonObject root = new JsonObject();
    root.addProperty("object", "list");
    root.add("data", data);
    return root;
  }

  private JsonObject completions(JsonObject req, Stream stream) {
    List<String> prompts = stringOrList(req, "prompt");
    if (prompts.isEmpty()) {
      throw ApiError.badRequest("prompt", "prompt must be a string or a non-empty list of strings");
    }
    if (stream != null) {
      stream.run(prompts, sampling(req, List.of()));
      return null;
    }
    List<Completion> out = generate(prompts, sampling(req, List.of()));
    JsonArray choices = new JsonArray();
    for (int i = 0; i < out.size(); i++) {
      JsonObject c = new JsonObject();
      c.addProperty("index", i);
      c.addProperty("text", out.get(i).text());
      c.add("logprobs", null);
      c.addProperty("finish_reason", out.get(i).finishReason());
      choices.add(c);
    }
    return envelope("cmpl-", "text_completion", choices, out);
  }

  private JsonObject chat(JsonObject req, Stream stream) {
    JsonElement messages = req.get("messages");
    if (messages == null || !messages.isJsonArray() || messages.getAsJsonArray().isEmpty()) {
      throw ApiError.badRequest("messages", "messages must be a non-empty list of {role, content}");
    }
    List<ChatTemplate.Turn> turns = new ArrayList<>();
    for (JsonElement e : messages.getAsJsonArray()) {
      JsonObject m = e.isJsonObject() ? e.getAsJsonObject() : null;
      String role = m == null ? null : string(m, "role");
      String content = m == null ? null : string(m, "content");
      if (role == null || role.isBlank() || content == null) {
        throw ApiError.badRequest("messages", "every message needs a string role and a string content");
      }
      turns.add(new ChatTemplate.Turn(role, content));
    }
    if (template == null) {
      throw ApiError.badRequest("messages", "model '" + modelName + "' has no chat template; use /v1/completions");
    }
    String prompt;
    try {
      prompt = template.render(turns, true);
    } catch (RefineryException refused) {
      throw ApiError.badRequest("messages", refused.getMessage());
    }
    if (stream != null) {
      stream.run(List.of(prompt), sampling(req, List.of(template.stop())));
      return null;
    }
    List<Completion> out = generate(List.of(prompt), sampling(req, List.of(template.stop())));
    Completion c = out.get(0);
    JsonObject message = new JsonObject();
    message.addProperty("role", "assistant");
    message.addProperty("content", c.text());
    JsonObject choice = new JsonObject();
    choice.addProperty("index", 0);
    choice.add("message", message);
    choice.addProperty("finish_reason", c.finishReason());
    JsonArray choices = new JsonArray();
    choices.add(choice);
    return envelope("chatcmpl-", "chat.completion", choices, out);
  }

  private List<Completion> generate(List<String> prompts, SamplingParams params) {
    return generate(prompts, params, null);
  }

  private List<Completion> generate(List<String> prompts, SamplingParams params, Generator.Listener listener) {
    try {
      return generators.with(g -> g.generate(prompts, params, listener));
    } catch (IllegalArgumentException e) {
      // The generator refuses empty prompts and prompts longer than the context.
      throw ApiError.badRequest("prompt", e.getMessage());
    }
  }

  private JsonObject envelope(String idPrefix, String object, JsonArray choices, List<Completion> out) {
    JsonObject root = header(idPrefix + UUID.randomUUID().toString().replace("-", ""), object);
    root.add("choices", choices);
    root.add("usage", usage(out));
    return root;
  }

  private JsonObject header(String id, String object) {
    JsonObject root = new JsonObject();
    root.addProperty("id", id);
    root.addProperty("object", object);
    root.addProperty("created", System.currentTimeMillis() / 1000);
    root.addProperty("model", modelName);
    return root;
  }

  private static JsonObject usage(List<Completion> out) {
    long promptTokens = 0;
    long completionTokens = 0;
    for (Completion c : out) {
      promptTokens += c.promptTokens();
      completionTokens += c.tokens().length;
    }
    JsonObject usage = new JsonObject();
    usage.addProperty("prompt_tokens", promptTokens);
    usage.addProperty("completion_tokens", completionTokens);
    usage.addProperty("total_tokens", promptTokens + completionTokens);
    return usage;
  }

  private static boolean includeUsage(JsonObject req) {
    JsonElement o = req.get("stream_options");
    return o != null && o.isJsonObject() && o.getAsJsonObject().has("include_usage")
        && bool(o.getAsJsonObject(), "include_usage");
  }

  /**
   * One streamed answer, OpenAI's chunk format: text deltas as they are generated (a chat's first chunk also
   * carries the assistant role), a last chunk per choice with its finish_reason, usage when asked, then
   * {@code [DONE]}. Nothing is sent before generation starts, so a refused prompt still gets a 400.
   */
  private final class Stream {
    private final EventSink sink;
    private final boolean chat;
    private final boolean includeUsage;
    private final String id;

    Stream(EventSink sink, boolean chat, boolean includeUsage) {
      this.sink = sink;
      this.chat = chat;
      this.includeUsage = includeUsage;
      this.id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
    }

    void run(List<String> prompts, SamplingParams params) {
      List<Completion> out = generate(prompts, params, (row, delta) -> send(row, delta, null));
      for (int i = 0; i < out.size(); i++) {
        send(i, "", out.get(i).finishReason());
      }
      if (includeUsage) {
        JsonObject last = header(id, chat ? "chat.completion.chunk" : "text_completion");
        last.add("choices", new JsonArray());
        last.add("usage", usage(out));
        sink.event(GSON.toJson(last));
      }
      sink.event("[DONE]");
    }

    private void send(int row, String text, String finishReason) {
      JsonObject choice = new JsonObject();
      choice.addProperty("index", row);
      if (chat) {
        JsonObject delta = new JsonObject();
        if (!sink.started()) {
          delta.addProperty("role", "assistant");
        }
        if (!text.isEmpty() || finishReason == null) {
          delta.addProperty("content", text);
        }
        choice.add("delta", delta);
      } else {
        choice.addProperty("text", text);
      }
      choice.addProperty("finish_reason", finishReason);
      JsonObject chunk = header(id, chat ? "chat.completion.chunk" : "text_completion");
      JsonArray choices = new JsonArray();
      choices.add(choice);
      chunk.add("choices", choices);
      sink.event(GSON.toJson(chunk));
    }
  }

  /** Sampling parameters with OpenAI's defaults (temperature 1, top_p 1); {@code always} joins any stop given. */
  private SamplingParams sampling(JsonObject req, List<String> always) {
    if (number(req, "n", 1) != 1) {
      throw ApiError.badRequest("n", "only n = 1 is supported");
    }
    double maxTokens = number(req, "max_tokens", maxTokensCap);
    if (maxTokens < 0 || maxTokens != Math.rint(maxTokens)) {
      throw ApiError.badRequest("max_tokens", "max_tokens must be a non-negative integer");
    }
    double temperature = number(req, "temperature", 1);
    if (temperature < 0 || temperature > 2) {
      throw ApiError.badRequest("temperature", "temperature must be in [0, 2]");
    }
    double topP = number(req, "top_p", 1);
    if (!(topP > 0 && topP <= 1)) {
      throw ApiError.badRequest("top_p", "top_p must be in (0, 1]");
    }
    double topK = number(req, "top_k", -1);
    List<String> stop = new ArrayList<>(always);
    stop.addAll(stringOrList(req, "stop"));
    if (stop.stream().anyMatch(String::isEmpty)) {
      throw ApiError.badRequest("stop", "stop strings must not be empty");
    }
    long seed = req.has("seed") && !req.get("seed").isJsonNull() ? (long) number(req, "seed", 0)
        : ThreadLocalRandom.current().nextLong();
    return new SamplingParams((int) Math.min(maxTokens, maxTokensCap), (float) temperature,
        topK <= 0 ? 0 : (int) topK, (float) topP, stop, seed);
  }

  private void checkModel(JsonObject req) {
    String model = req.has("model") && !req.get("model").isJsonNull() ? string(req, "model") : null;
    if (model == null) {
      throw ApiError.badRequest("model", "model must be given (this server serves '" + modelName + "')");
    }
    if (!model.equals(modelName)) {
      throw new ApiError(404, "not_found_error", "model", "the model '" + model + "' does not exist; this server "
          + "serves '" + modelName + "'");
    }
  }

  private static JsonObject parseObject(String body) {
    try {
      JsonElement e = JsonParser.parseString(body == null ? "" : body);
      if (!e.isJsonObject()) {
        throw ApiError.badRequest(null, "the request body must be a JSON object");
      }
      return e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw ApiError.badRequest(null, "the request body is not valid JSON: " + e.getMessage());
    }
  }

  private static String string(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw ApiError.badRequest(key, key + " must be a string");
    }
    return e.getAsString();
  }

  /** A string or a list of strings (absent or null: empty). */
  private static List<String> stringOrList(JsonObject o, String key) {
    JsonElement v = o.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isJsonNull()) {
      return out;
    }
    JsonArray items = new JsonArray();
    if (v.isJsonArray()) {
      items = v.getAsJsonArray();
    } else {
      items.add(v);
    }
    for (JsonElement e : items) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw ApiError.badRequest(key, key + " must be a string or a list of strings");
      }
      out.add(e.getAsString());
    }
    return out;
  }

  private static boolean bool(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw ApiError.badRequest(key, key + " must be true or false");
    }
    return e.getAsBoolean();
  }

  private static double number(JsonObject o, String key, double fallback) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return fallback;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw ApiError.badRequest(key, key + " must be a number");
    }
    return e.getAsDouble();
  }
}
