package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.Chart;
import dev.refinery.report.DataCard;
import dev.refinery.train.report.TrainingSection;
import dev.refinery.testing.TestSpark;
import dev.refinery.train.shards.ShardStage;
import dev.refinery.train.trainer.Checkpoints;
import dev.refinery.train.trainer.PretrainJob;
import dev.refinery.train.trainer.TrainMetric;
import dev.refinery.train.trainer.TrainSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainTest {
  private static SparkSession spark;
  @TempDir static Path tmp;
  private static final String[] TINY = {"train.shards.sequence-length=17", "train.shards.tokens-per-shard=272",
      "train.shards.partitions=2", "train.shards.validation-fraction=0.2", "train.model.layers=1",
      "train.model.heads=2", "train.model.width=16", "train.lr.warmup-steps=2", "train.lr.decay-steps=6",
      "train.log-every=1", "train.eval-every=3", "train.eval-batches=2", "train.checkpoint-every=3",
      "train.block-sequences=4"};

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
    RefineryConfig conf = config(tmp.resolve("shards-setup"));
    Warehouse wh = Warehouse.open(spark, conf);
    Random r = new Random(5);
    String[] words = {"the ", "king ", "shall ", "speak ", "of ", "war ", "and ", "peace, ", "my ", "lord. "};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < 10 + r.nextInt(30); w++) {
        b.append(words[r.nextInt(words.length)]);
      }
      rows.add(RowFactory.create("d" + i, b.toString()));
    }
    StructType schema = new StructType().add("doc_id", DataTypes.StringType).add("text", DataTypes.StringType);
    wh.write(spark.createDataFrame(rows, schema), "mixture", "r1");
    new ShardStage().run(new StageContext(spark, conf, wh, "r1"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static RefineryConfig config(Path checkpoints, String... more) {
    List<String> sets = new ArrayList<>(List.of(TINY));
    sets.add("train.checkpoint-dir=\"" + checkpoints.toAbsolutePath() + "\"");
    sets.addAll(List.of(more));
    return TestSpark.config(tmp.resolve("wh"), sets.toArray(String[]::new));
  }

  private static TrainSummary train(Path checkpoints, String... more) {
    RefineryConfig conf = config(checkpoints, more);
    return PretrainJob.run(new StageContext(spark, conf, Warehouse.open(spark, conf), "r1"));
  }

  @Test
  void twoTrainersWithBatchBMatchOneTrainerWithBatchTwoB() throws Exception {
    train(tmp.resolve("two"), "train.tasks=2", "train.batch-size=2", "train.max-steps=4");
    train(tmp.resolve("one"), "train.tasks=1", "train.batch-size=4", "train.max-steps=4");
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> two = parameters(tmp.resolve("two"), m);
      Map<String, NDArray> one = parameters(tmp.resolve("one"), m);
      assertEquals(one.keySet(), two.keySet());
      for (String name : one.keySet()) {
        assertTrue(one.get(name).allClose(two.get(name), 1e-4, 1e-5, false), name + " differs");
      }
    }
  }

  private static Map<String, NDArray> parameters(Path dir, NDManager m) throws Exception {
    Checkpoints.Loaded l = new Checkpoints(dir.toString(), spark.sparkContext().hadoopConfiguration()).latest(m).get();
    assertEquals(4, l.state().step());
    Map<String, NDArray> out = new HashMap<>();
    for (NDArray a : l.tensors()) {
      if (a.getName().startsWith("p/")) {
        out.put(a.getName(), a);
      }
    }
    return out;
  }

  @Test
  void resumedRunContinuesTheLossCurveExactly() {
    TrainSummary straight = train(tmp.resolve("straight"), "train.max-steps=6");
    train(tmp.resolve("stopped"), "train.max-steps=3");
    TrainSummary resumed = train(tmp.resolve("stopped"), "train.max-steps=6", "train.resume=true");
    List<Double> a = losses(straight.metrics());
    List<Double> b = losses(resumed.metrics());
    assertEquals(6, a.size());
    assertEquals(a, b);
    assertTrue(a.get(5) < a.get(0), "loss should fall: " + a);
    for (String phase : List.of("data", "forward", "backward", "optimizer")) {
      assertEquals(6, straight.metrics().stream()
          .filter(m -> m.name().equals("profile_" + phase + "_ms") && m.value() > 0).count(), phase + " timed");
    }
    // the norm stays on the device between logged steps, and is read on each of them
    assertEquals(6, straight.metrics().stream()
        .filter(m -> m.name().equals("grad_norm") && m.value() > 0 && Double.isFinite(m.value())).count());
    long rows = spark.read().format("delta").load(tmp.resolve("wh").resolve(dev.refinery.train.trainer.TrainJobs.METRICS_TABLE).toString())
        .where("metric = 'val_loss'").count();
    assertEquals(2, rows);

    // the data card's training section draws these rows as the trainer wrote them
    DataCard.Section card = new TrainingSection().build(new Warehouse(spark, tmp.resolve("wh").toString()), "r1");
    assertEquals(List.of("Loss by step: pretrain", "Tokens per second by step: pretrain"),
        card.charts().stream().map(Chart::title).toList());
    String loss = card.charts().get(0).toJson();
    assertTrue(loss.contains("\"label\":\"train_loss\"") && loss.contains("\"label\":\"val_loss\""), loss);
    assertTrue(loss.contains("\"labels\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]"), loss);
    assertTrue(card.charts().get(1).toJson().matches(".*\"data\":\\[[0-9.E]+,.*"), card.charts().get(1).toJson());

    // resumed at its last step, a run trains nothing and reports the checkpoint's losses, not NaN
    TrainSummary again = train(tmp.resolve("stopped"), "train.max-steps=6", "train.resume=true");
    assertEquals(resumed.trainLoss(), again.trainLoss());
    assertEquals(resumed.valLoss(), again.valLoss());
  }

  private static List<Double> losses(List<TrainMetric> metrics) {
    return metrics.stream().filter(m -> m.name().equals("train_loss")).map(TrainMetric::value).toList();
  }
}
