package dev.refinery.synth.cache;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Failpoints;
import dev.refinery.synth.client.ClientSource;
import dev.refinery.synth.client.LlmClient;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Answers a bulk of requests through the cache: one join finds what is already paid for, the rest is sent
 * from Spark executors (each partition hands its rows to the JVM's client, which runs them concurrently),
 * in batches of {@code batchSize}, each batch MERGEd into the cache as soon as it is back, so a run that
 * dies loses at most one batch and the next run resumes after the last stored one.
 */
public final class LlmCalls {
  private static final StructType WIRE = new StructType()
      .add("request_key", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, true)
      .add("path", DataTypes.StringType, false)
      .add("body", DataTypes.StringType, false);

  private final SparkSession spark;
  private final ResponseCache cache;
  private final ClientSource clients;
  private final int batchSize;
  private final int partitions;
  private final String runId;
  private final RefineryConfig config;
  private LlmUsage usage = LlmUsage.NONE;

  /** {@code config} is shipped to the tasks for the {@code synth.task} failpoint only. */
  public LlmCalls(ResponseCache cache, SparkSession spark, ClientSource clients, int batchSize, int partitions,
      String runId, RefineryConfig config) {
    this.spark = spark;
    this.cache = cache;
    this.clients = clients;
    this.batchSize = batchSize;
    this.partitions = Math.max(1, partitions);
    this.runId = runId;
    this.config = config;
  }

  /** Everything asked and paid so far by this instance. */
  public LlmUsage usage() {
    return usage;
  }

  /** Answers by request key; a failed request maps to a response whose {@code error} says why. */
  public Map<String, LlmResponse> complete(List<LlmRequest> requests) {
    Map<String, LlmRequest> byKey = new LinkedHashMap<>();
    for (LlmRequest r : requests) {
      byKey.putIfAbsent(r.key(), r);
    }
    Map<String, LlmResponse> answers = new LinkedHashMap<>(cache.lookup(new ArrayList<>(byKey.keySet())));
    long hits = answers.size();
    List<Row> missing = new ArrayList<>();
    for (Map.Entry<String, LlmRequest> e : byKey.entrySet()) {
      if (!answers.containsKey(e.getKey())) {
        LlmRequest r = e.getValue();
        missing.add(RowFactory.create(e.getKey(), r.model(), r.path(), r.body()));
      }
    }
    long failed = 0;
    long attempts = 0;
    long promptTokens = 0;
    long completionTokens = 0;
    for (int from = 0; from < missing.size(); from += batchSize) {
      List<Row> batch = missing.subList(from, Math.min(missing.size(), from + batchSize));
      List<Row> answered = send(batch);
      cache.merge(spark.createDataFrame(answered, ResponseCache.SCHEMA));
      for (Row a : answered) {
        LlmResponse r = new LlmResponse(a.getString(4), a.getString(5), a.getLong(6), a.getLong(7),
            a.getInt(8), a.getLong(9), a.getString(10));
        answers.put(a.getString(0), r);
        attempts += r.attempts();
        if (r.ok()) {
          promptTokens += Math.max(0, r.promptTokens());
          completionTokens += Math.max(0, r.completionTokens());
        } else {
          failed++;
        }
      }
    }
    usage = usage.plus(new LlmUsage(byKey.size(), hits, missing.size() - failed, failed, attempts, promptTokens,
        completionTokens));
    return answers;
  }

  private List<Row> send(List<Row> batch) {
    Dataset<Row> wire = spark.createDataFrame(batch, WIRE)
        .repartition(Math.min(partitions, batch.size()));
    return wire.mapPartitions(new SendPartition(clients, runId, config), Encoders.row(ResponseCache.SCHEMA))
        .collectAsList();
  }

  /**
   * Runs on an executor: hands the partition's rows to the JVM's client, all at once. The {@code synth.task}
   * failpoint fires before anything is sent; a task that died after its requests were answered would pay
   * them again on retry (the driver stores answers when the batch is back).
   */
  private record SendPartition(ClientSource clients, String runId, RefineryConfig config)
      implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      Failpoints.at(config, "synth.task"); // reliability tests: fail one task attempt
      List<Row> in = new ArrayList<>();
      rows.forEachRemaining(in::add);
      List<String> paths = in.stream().map(r -> r.getString(2)).toList();
      List<String> bodies = in.stream().map(r -> r.getString(3)).toList();
      LlmClient client = clients.client();
      List<LlmResponse> out = client.callAll(paths, bodies);
      List<Row> result = new ArrayList<>(in.size());
      for (int i = 0; i < in.size(); i++) {
        Row r = in.get(i);
        LlmResponse a = out.get(i);
        result.add(RowFactory.create(r.getString(0), r.getString(1), r.getString(2), r.getString(3), a.text(),
            a.finishReason(), a.promptTokens(), a.completionTokens(), a.attempts(), a.latencyMs(), a.error(),
            runId));
      }
      return result.iterator();
    }
  }
}
