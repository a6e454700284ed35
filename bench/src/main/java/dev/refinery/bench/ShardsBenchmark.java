package dev.refinery.bench;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.shards.ShardManifest;
import dev.refinery.train.shards.ShardStage;
import dev.refinery.train.stream.ShardBatches;
import dev.refinery.train.stream.ShardSchedule;
import dev.refinery.train.stream.StreamPosition;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code shards}: tokens per second written by the shards stage (char tokenizer learned from the input,
 * packing, shard files, manifest: the whole stage as a user runs it, on local[*]) over tinyshakespeare
 * repeated {@code copies} times (arg 1, default 8), and tokens per second read back by one rank's shuffled,
 * checksum-verified stream over one epoch.
 */
public final class ShardsBenchmark implements Benchmark {
  static Map<String, Object> figures(Object... keyValues) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      out.put((String) keyValues[i], keyValues[i + 1]);
    }
    return out;
  }

  @Override
  public String name() {
    return "shards";
  }

  @Override
  public String description() {
    return "shards stage write tokens/s and shuffled shard reader tokens/s (tinyshakespeare x8)";
  }

  @Override
  public List<String> smoke() {
    return List.of("1");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("write_tokens_per_s", "read_tokens_per_s", "tokens");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int copies = args.isEmpty() ? 8 : Integer.parseInt(args.get(0));
    String wh = Files.createTempDirectory("refinery-shards-bench").toString();
    RefineryConfig conf = RefineryConfig.load(List.of(), List.of("warehouse.root=\"" + wh + "\"", "run.id=bench",
        "spark.master=\"local[2]\"", "spark.log-level=ERROR", "train.shards.sequence-length=1025",
        "train.shards.tokenizer=char", "train.shards.validation-fraction=0.01", "train.shards.partitions=4"));
    SparkSession spark = SparkSessions.create(conf, "bench shards");
    try {
      Warehouse warehouse = Warehouse.open(spark, conf);
      long chars = ShakespeareCorpus.writeMixture(warehouse, "bench", 1000, copies);
      StageContext ctx = new StageContext(spark, conf, warehouse, "bench");
      long t0 = System.nanoTime();
      new ShardStage().run(ctx);
      double writeSeconds = (System.nanoTime() - t0) / 1e9;
      long written = warehouse.readRun(ShardManifest.TABLE, "bench").agg(org.apache.spark.sql.functions.sum("tokens"))
          .first().getLong(0);
      List<ShardEntry> train = ShardManifest.entries(warehouse, "bench", ShardManifest.TRAIN);
      ShardSchedule schedule = new ShardSchedule(train, 1, 64, 1, 8);
      long t1 = System.nanoTime();
      long read = 0;
      try (ShardBatches batches = new ShardBatches(schedule, 0, StreamPosition.START,
          spark.sparkContext().hadoopConfiguration(), true)) {
        for (long s = 0; s < batches.stepsPerEpoch(); s++) {
          for (int[] seq : batches.next()) {
            read += seq.length;
          }
        }
      }
      double readSeconds = (System.nanoTime() - t1) / 1e9;
      double writeRate = written / writeSeconds;
      double readRate = read / readSeconds;
      return new BenchResult(List.of(
          String.format("input: tinyshakespeare x%d = %d characters in %d documents", copies, chars, 1000 * copies),
          String.format("write: shards stage, %d tokens in %d train shards (+val) in %.2f s -> %.0f tokens/s",
              written, train.size(), writeSeconds, writeRate),
          String.format("read: one epoch, shuffled blocks of 64, checksums verified, %d tokens in %.2f s -> %.0f tokens/s",
              read, readSeconds, readRate)),
          figures("write_tokens_per_s", Math.round(writeRate), "read_tokens_per_s", Math.round(readRate),
              "tokens", written));
    } finally {
      spark.stop();
    }
  }
}
