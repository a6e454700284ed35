package dev.refinery.synth.client;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One client per endpoint (or local checkpoint) per JVM. This is the one deliberate piece of static state in
 * synth: the concurrency limit, the rate share and a loaded model are per executor JVM, and Spark gives tasks
 * no other place that all tasks of an executor share.
 */
public final class ExecutorClients {
  private static final ConcurrentMap<EndpointSettings, OpenAiClient> CLIENTS = new ConcurrentHashMap<>();
  /** In-process models by checkpoint folder: loaded once per JVM, not once per task. */
  private static final ConcurrentMap<String, LocalModelClient> LOCAL = new ConcurrentHashMap<>();

  private ExecutorClients() {}

  public static LlmClient get(EndpointSettings settings) {
    return CLIENTS.computeIfAbsent(settings, OpenAiClient::new);
  }

  public static LlmClient local(String checkpointDir) {
    return LOCAL.computeIfAbsent(checkpointDir, LocalModelClient::load);
  }
}
