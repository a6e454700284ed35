package dev.refinery.synth.client;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One client per endpoint per JVM. This is the one deliberate piece of static state in synth: the concurrency
 * limit and the rate share are per executor JVM, and Spark gives tasks no other place that all tasks of an
 * executor share.
 */
public final class ExecutorClients {
  private static final ConcurrentMap<EndpointSettings, OpenAiClient> CLIENTS = new ConcurrentHashMap<>();

  private ExecutorClients() {}

  public static LlmClient get(EndpointSettings settings) {
    return CLIENTS.computeIfAbsent(settings, OpenAiClient::new);
  }
}
