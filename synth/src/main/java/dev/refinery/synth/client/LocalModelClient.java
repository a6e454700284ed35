package dev.refinery.synth.client;

import dev.refinery.core.config.ProjectPaths;
import ai.djl.Device;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.generation.Generator;
import dev.refinery.models.serve.ApiResponse;
import dev.refinery.models.serve.OpenAiEndpoints;
import dev.refinery.models.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code local} backend: a models checkpoint run in-process. Bodies go through the same
 * {@link OpenAiEndpoints} the {@code refinery serve} HTTP server uses, so a request gets the answer (ChatML
 * template, stop handling, usage) it would get from that server, without HTTP. Generation runs one request at
 * a time; a 4xx answer (say, a prompt longer than the context) fails that request, not the job.
 */
public final class LocalModelClient implements LlmClient, AutoCloseable {
  /** Effectively no cap: the request's max_tokens and the model's context bound the answer. */
  private static final int NO_CAP = Integer.MAX_VALUE;

  private final Generator generator;
  private final OpenAiEndpoints endpoints;

  public LocalModelClient(Generator generator, String modelName) {
    this.generator = generator;
    this.endpoints = new OpenAiEndpoints(generator, modelName, NO_CAP);
  }

  /**
   * Loads the checkpoint folder (config.json, model.safetensors, tokenizer.json) on the CPU; a relative
   * folder is read from the project home. The folder as written in conf is the model name requests carry.
   */
  public static LocalModelClient load(String checkpointDir) {
    Path dir = ProjectPaths.resolve(checkpointDir);
    try {
      return new LocalModelClient(new Generator(Checkpoints.load(dir, Device.cpu()), Tokenizers.load(dir)),
          checkpointDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the checkpoint " + dir, e);
    }
  }

  @Override
  public LlmResponse call(String path, String body) {
    long start = System.nanoTime();
    ApiResponse r = endpoints.handle("POST", "/v1/" + path, body);
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (r.status() != 200) {
      return LlmResponse.failed("local model: HTTP " + r.status() + " (not retried): " + r.json(), 1, ms);
    }
    try {
      return OpenAiClient.parse(r.json(), 1, ms);
    } catch (IOException e) {
      return LlmResponse.failed("local model: malformed answer: " + e.getMessage(), 1, ms);
    }
  }

  @Override
  public List<LlmResponse> callAll(List<String> paths, List<String> bodies) {
    List<LlmResponse> out = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      out.add(call(paths.get(i), bodies.get(i)));
    }
    return out;
  }

  @Override
  public void close() {
    generator.model().close();
  }

  @Override
  public String toString() {
    return "LocalModelClient[" + endpoints.modelName() + "]";
  }
}
