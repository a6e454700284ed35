package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.testing.TestSpark;
import dev.refinery.train.dist.BarrierLauncher;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.shards.ShardManifest;
import dev.refinery.train.shards.ShardStage;
import dev.refinery.train.stream.ShardBatches;
import dev.refinery.train.stream.ShardSchedule;
import dev.refinery.train.stream.StreamPosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardStageAndLauncherTest {
  private static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void writesShardsSplitByDocumentAndReadsThemBackResumably() throws Exception {
    RefineryConfig conf = TestSpark.config(tmp.resolve("wh"), "train.shards.sequence-length=17",
        "train.shards.tokens-per-shard=340", "train.shards.partitions=2", "train.shards.validation-fraction=0.2");
    Warehouse wh = Warehouse.open(spark, conf);
    List<Row> rows = new ArrayList<>();
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < 120; i++) {
      String text = "document number " + i + " says " + "héllo ".repeat(i % 5);
      texts.add(text);
      rows.add(RowFactory.create("d" + i, text));
    }
    rows.add(RowFactory.create("empty1", ""));
    rows.add(RowFactory.create("empty2", null));
    StructType schema = new StructType().add("doc_id", DataTypes.StringType).add("text", DataTypes.StringType);
    wh.write(spark.createDataFrame(rows, schema), "mixture", "r1");
    StageContext ctx = new StageContext(spark, conf, wh, "r1");
    ShardStage stage = new ShardStage();
    stage.validate(ctx);

    StageResult result = stage.run(ctx);
    assertEquals(122, result.rowsIn());
    assertEquals(120, result.rowsOut());
    assertEquals(2L, result.drops().get("empty_text"));
    Row m = wh.readRun(ShardManifest.TABLE, "r1").selectExpr("count(*)", "min(source_version)", "count(distinct split)").first();
    assertNotNull(m.get(1));
    assertEquals(2L, m.getLong(2));

    List<String> train = decodedDocuments(wh, ShardManifest.TRAIN);
    List<String> val = decodedDocuments(wh, ShardManifest.VALIDATION);
    assertTrue(texts.containsAll(train) && texts.containsAll(val));
    assertTrue(train.size() > 80 && !val.isEmpty(), train.size() + " train, " + val.size() + " val");
    Set<String> overlap = new HashSet<>(train);
    overlap.retainAll(val);
    assertTrue(overlap.isEmpty(), "documents in both splits: " + overlap);

    // Resume: a stream restarted at a saved position yields exactly the batches of an uninterrupted one.
    List<ShardEntry> shards = ShardManifest.entries(wh, "r1", ShardManifest.TRAIN);
    List<int[][]> straight = new ArrayList<>();
    StreamPosition saved = null;
    try (ShardBatches b = new ShardBatches(new ShardSchedule(shards, 3, 4, 2, 2), 1, StreamPosition.START,
        spark.sparkContext().hadoopConfiguration(), true)) {
      long total = b.stepsPerEpoch() * 2 + 1;
      for (int i = 0; i < total; i++) {
        if (i == b.stepsPerEpoch() - 2) {
          saved = b.position();
        }
        straight.add(b.next());
      }
    }
    try (ShardBatches resumed = new ShardBatches(new ShardSchedule(shards, 3, 4, 2, 2), 1, saved,
        spark.sparkContext().hadoopConfiguration(), true)) {
      long from = straight.size() - (long) (straight.size() - (resumed.stepsPerEpoch() - 2));
      for (int i = (int) from; i < straight.size(); i++) {
        int[][] again = resumed.next();
        for (int j = 0; j < again.length; j++) {
          assertArrayEquals(straight.get(i)[j], again[j], "batch " + i);
        }
      }
    }

    // Idempotent: a re-run replaces the run's manifest rows and shard files.
    stage.run(ctx);
    assertEquals(m.getLong(0), wh.readRun(ShardManifest.TABLE, "r1").count());
    assertEquals(decodedDocuments(wh, ShardManifest.TRAIN), train);
  }

  /** Whole documents decoded from a split's shards (text between end-of-text tokens, cut-off ends skipped). */
  private static List<String> decodedDocuments(Warehouse wh, String split) throws Exception {
    String tokenizerPath = wh.readRun(ShardManifest.TABLE, "r1").select("tokenizer").first().getString(0);
    Tokenizer tok = Tokenizers.load(Path.of(tokenizerPath));
    List<String> docs = new ArrayList<>();
    for (ShardEntry e : ShardManifest.entries(wh, "r1", split)) {
      ShardSchedule one = new ShardSchedule(List.of(e), 0, Integer.MAX_VALUE, 1, 1);
      List<Integer> cur = null;
      try (ShardBatches b = new ShardBatches(one, 0, StreamPosition.START, new org.apache.hadoop.conf.Configuration(), true)) {
        for (long s = 0; s < b.stepsPerEpoch(); s++) {
          for (int id : b.next()[0]) {
            if (id == tok.eosId()) {
              if (cur != null) {
                docs.add(tok.decode(cur.stream().mapToInt(Integer::intValue).toArray()));
              }
              cur = new ArrayList<>();
            } else if (cur != null) {
              cur.add(id);
            }
          }
        }
      }
    }
    return docs;
  }

  @Test
  void barrierTrainersAverageOverTheRingAndARetriedStageCompletes() {
    BarrierLauncher launcher = new BarrierLauncher(spark, 30_000);
    List<float[]> out = launcher.run(2, ctx -> {
      float[] g = new float[1001];
      java.util.Arrays.fill(g, ctx.rank() + 1);
      ctx.allReduce().average(g);
      return g;
    });
    assertEquals(2, out.size());
    for (float[] g : out) {
      for (float v : g) {
        assertEquals(1.5f, v);
      }
    }
    // Rank 1 dies in the first attempt: Spark re-runs the whole barrier stage and the run completes.
    List<Integer> attempts = launcher.run(2, ctx -> {
      if (ctx.rank() == 1 && ctx.stageAttempt() == 0) {
        throw new IllegalStateException("simulated trainer crash");
      }
      float[] g = {ctx.rank()};
      ctx.allReduce().sum(g);
      return ctx.stageAttempt() * 10 + (int) g[0];
    });
    assertFalse(attempts.contains(1), "the first attempt cannot have succeeded: " + attempts);
    assertEquals(attempts.get(0), attempts.get(1));
  }
}
