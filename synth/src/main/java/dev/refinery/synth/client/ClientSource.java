package dev.refinery.synth.client;

import java.io.Serializable;

/** Shipped to executors: gives the JVM's client for the configured backend. */
@FunctionalInterface
public interface ClientSource extends Serializable {
  LlmClient client();

  /** The OpenAI-compatible HTTP backend, one client per JVM. */
  static ClientSource http(EndpointSettings settings) {
    return () -> ExecutorClients.get(settings);
  }

  /** The in-process backend: the checkpoint folder loaded once per JVM. */
  static ClientSource local(String checkpointDir) {
    return () -> ExecutorClients.local(checkpointDir);
  }
}
