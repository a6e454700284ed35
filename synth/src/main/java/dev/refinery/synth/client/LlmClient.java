package dev.refinery.synth.client;

import java.util.List;

/**
 * Something that answers OpenAI-style requests: an HTTP endpoint, or a model run in-process. Requests travel
 * as (path, JSON body), the form they take in Spark rows and in the cache. Never throws for one request: a
 * request that could not be answered gives a failed {@link LlmResponse}.
 */
public interface LlmClient {
  LlmResponse call(String path, String body);

  /** Answers all, as concurrently as the client allows; results in the order of {@code paths}. */
  List<LlmResponse> callAll(List<String> paths, List<String> bodies);
}
