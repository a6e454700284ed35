package dev.refinery.synth;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.ProjectPaths;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.decont.EvaluationSets;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.synth.cache.LlmCalls;
import dev.refinery.synth.cache.ResponseCache;
import dev.refinery.synth.client.ClientSource;
import dev.refinery.synth.client.EndpointSettings;
import dev.refinery.synth.generators.SynthGenerator;
import dev.refinery.synth.generators.SynthGenerators;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code synth} stage: synthetic instructions and preference pairs from an LLM endpoint into the
 * {@code instructions} and {@code preferences} tables, plus JSONL exports. Off unless {@code synth.enabled}
 * (a machine without an endpoint skips it and says so).
 */
public final class SynthStage implements Stage {
  static final String SKIPPED = "skipped: synth.enabled = false";
  static final String LOCAL = "local";

  @Override
  public String name() {
    return "synth";
  }

  @Override
  public String description() {
    return "synthetic instructions and preference pairs from an LLM endpoint (self-instruct, Evol-Instruct, "
        + "Magpie, judge)";
  }

  /** Seeds and prompts come from files, not from the warehouse. */
  @Override
  public Set<String> inputs(RefineryConfig config) {
    return Set.of();
  }

  @Override
  public Set<String> outputs(RefineryConfig config) {
    return Set.of(SynthTables.INSTRUCTIONS, SynthTables.PREFERENCES);
  }

  @Override
  public void validate(StageContext ctx) {
    RefineryConfig c = ctx.config();
    if (!c.getBoolean("synth.enabled")) {
      return;
    }
    List<SynthGenerator> generators = SynthGenerators.chosen(c.section("synth"));
    generators.forEach(g -> g.validate(c));
    EvaluationSets.load(c); // the decontamination block dedup uses too
    validateEndpoint(c);
  }

  /**
   * The backend of {@code synth.endpoint}: a checkpoint folder for "local", else (probe on) an answering HTTP
   * endpoint; one line when not. The stage and the eval judge ({@link EndpointJudge}) check the same.
   */
  static void validateEndpoint(RefineryConfig c) {
    String backend = c.getString("synth.endpoint.backend");
    if (backend.equals(LOCAL)) {
      Path dir = ProjectPaths.resolve(c.getString("synth.endpoint.model"));
      for (String f : List.of(Checkpoints.CONFIG, Checkpoints.WEIGHTS, Tokenizers.FILE_NAME)) {
        if (!Files.isRegularFile(dir.resolve(f))) {
          throw new RefineryException("synth.endpoint.backend = \"local\" needs synth.endpoint.model to name a "
              + "checkpoint folder; " + dir.resolve(f) + " not found");
        }
      }
    } else if (!backend.equals("openai")) {
      throw new RefineryException("synth.endpoint.backend = \"" + backend + "\" is unknown; use \"openai\" (an "
          + "HTTP endpoint) or \"local\" (a models checkpoint run in-process)");
    }
    EndpointSettings settings = EndpointSettings.from(c, 1);
    if (!backend.equals(LOCAL) && c.getBoolean("synth.endpoint.probe")) {
      probe(settings);
    }
  }

  /** GET {base}/models: stops the run before anything is written when the endpoint is down or refuses the key. */
  static void probe(EndpointSettings s) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(s.connectTimeout()).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + "models")).timeout(s.connectTimeout());
    String key = s.apiKey();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    try {
      int status = http.send(b.GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status == 401 || status == 403) {
        throw new RefineryException("LLM endpoint " + s.baseUrl() + " refused the API key (HTTP " + status
            + "); check the environment variable named by synth.endpoint.api-key-env (" + s.apiKeyEnv() + ")");
      }
    } catch (IOException e) {
      throw new RefineryException("cannot reach the LLM endpoint " + s.baseUrl() + " (" + e.getMessage()
          + "); start the server or set synth.endpoint.base-url (or synth.endpoint.probe = false)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RefineryException("interrupted while probing " + s.baseUrl());
    }
  }

  @Override
  public StageResult run(StageContext ctx) {
    RefineryConfig c = ctx.config();
    if (!c.getBoolean("synth.enabled")) {
      System.err.println("refinery: synth: " + SKIPPED + " (nothing written; enable it and name an endpoint)");
      return new StageResult(0, 0, Map.of(SKIPPED, 0L));
    }
    SynthOutput out = new SynthJob(c, calls(ctx)).run();
    SynthTables.write(ctx.warehouse(), ctx.runId(), out);
    String dir = c.getString("synth.export.dir").isEmpty()
        ? ctx.warehouse().root() + "/exports/synth/" + ctx.runId() : c.getString("synth.export.dir");
    SynthTables.export(ctx.spark(), dir, out);
    System.err.println("refinery: synth: " + out.examples().size() + " instructions, " + out.pairs().size()
        + " preference pairs, " + out.rejects().size() + " rejects; LLM: " + out.usage() + "; exports in " + dir);
    Map<String, Long> drops = new TreeMap<>();
    for (Reject r : out.rejects()) {
      String reason = r.reason().split(" ", 2)[0];
      drops.merge(reason, 1L, Long::sum);
    }
    long rowsOut = out.examples().size() + out.pairs().size();
    return new StageResult(rowsOut + out.rejects().size(), rowsOut, drops);
  }

  /** Cached calls to {@code synth.endpoint} (its backend, rate split over the executors, synth.cache). */
  static LlmCalls calls(StageContext ctx) {
    RefineryConfig c = ctx.config();
    var spark = ctx.spark();
    int executors = spark.conf().contains("spark.executor.instances")
        ? Integer.parseInt(spark.conf().get("spark.executor.instances")) : 1;
    int executorsConf = c.getInt("synth.endpoint.executors");
    EndpointSettings settings = EndpointSettings.from(c, executorsConf > 0 ? executorsConf : executors);
    int partitions = c.getInt("synth.cache.partitions") > 0 ? c.getInt("synth.cache.partitions")
        : spark.sparkContext().defaultParallelism();
    LlmCalls calls = new LlmCalls(new ResponseCache(ctx.warehouse(), c.getString("synth.cache.table")), spark,
        c.getString("synth.endpoint.backend").equals(LOCAL) ? ClientSource.local(settings.model())
            : ClientSource.http(settings), c.getInt("synth.cache.batch-size"), partitions, ctx.runId(), c);
    return calls;
  }
}
