package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.testing.TestSpark;
import dev.refinery.train.trainer.ChatTrainerProbe;
import dev.refinery.train.trainer.Checkpoints;
import dev.refinery.train.trainer.TrainJobs;
import dev.refinery.train.trainer.TrainMetric;
import dev.refinery.train.trainer.TrainSummary;
import dev.refinery.train.trainer.TrainerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** sft, lora and dpo end to end on a tiny model: masks, adapters, reference log-probs, exact resume. */
class ChatTrainersTest {
  private static SparkSession spark;
  @TempDir static Path tmp;
  private static Path instructions;
  private static Path preferences;
  private static Path sftModel;
  private static final String[] TINY = {"train.model.layers=1", "train.model.heads=2", "train.model.width=32",
      "train.sft.context-length=48", "train.sft.tokenizer=char", "train.batch-size=4", "train.lr.peak=3e-3",
      "train.lr.warmup-steps=2", "train.log-every=1", "train.eval-every=4", "train.checkpoint-every=2",
      "train.weight-decay=0.0", "train.torch-threads=1", "train.sft.validation-fraction=0.2", "train.dpo.validation-fraction=0.2"};

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.start();
    Random r = new Random(3);
    String[] words = {"red", "blue", "green", "cat", "dog", "sun"};
    StringBuilder sft = new StringBuilder();
    StringBuilder dpo = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      String w = words[r.nextInt(words.length)];
      sft.append(i % 2 == 0
          ? "{\"instruction\":\"say " + w + " twice\",\"output\":\"" + w + " " + w + "\"}\n"
          : "{\"messages\":[{\"role\":\"user\",\"content\":\"say " + w + " twice\"},{\"role\":\"assistant\","
              + "\"content\":\"" + w + " " + w + "\"}]}\n");
      dpo.append("{\"prompt\":\"say " + w + " twice\",\"chosen\":\"" + w + " " + w + "\",\"rejected\":\"no\"}\n");
    }
    sft.append("{\"instruction\":\"broken\"}\n");
    instructions = Files.writeString(tmp.resolve("sft.jsonl"), sft);
    preferences = Files.writeString(tmp.resolve("dpo.jsonl"), dpo);
    TrainSummary s = train(TrainerKind.SFT, "sft", "train.max-steps=8");
    sftModel = Path.of(s.checkpointDir(), "model");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static RefineryConfig config(String checkpoints, String... more) {
    List<String> sets = new ArrayList<>(List.of(TINY));
    sets.add("train.checkpoint-dir=\"" + tmp.resolve(checkpoints).toAbsolutePath() + "\"");
    sets.add("train.sft.files=[\"" + instructions + "\"]");
    sets.add("train.dpo.files=[\"" + preferences + "\"]");
    sets.addAll(List.of(more));
    return TestSpark.config(tmp.resolve("wh"), sets.toArray(String[]::new));
  }

  private static TrainSummary train(TrainerKind kind, String checkpoints, String... more) {
    RefineryConfig conf = config(checkpoints, more);
    return kind.run(new StageContext(spark, conf, Warehouse.open(spark, conf), "r1"));
  }

  private static List<Double> values(TrainSummary s, String metric) {
    return s.metrics().stream().filter(m -> m.name().equals(metric)).map(TrainMetric::value).toList();
  }

  @Test
  void sftLearnsTheAnswersAndRejectsTheBrokenRecord() {
    // trained in start(): the model folder is complete and loss fell
    assertTrue(Files.isRegularFile(sftModel.resolve("model.safetensors")));
    assertTrue(Files.isRegularFile(sftModel.resolve("tokenizer.json")));
    long rejected = spark.read().format("delta").load(tmp.resolve("wh").resolve("rejects").toString())
        .where("stage = 'train-sft' and reason = 'no assistant answer to learn'").count();
    assertEquals(1, rejected);
  }

  @Test
  void resumedSftContinuesTheLossCurveExactly() {
    TrainSummary straight = train(TrainerKind.SFT, "straight", "train.max-steps=4");
    train(TrainerKind.SFT, "stopped", "train.max-steps=2");
    TrainSummary resumed = train(TrainerKind.SFT, "stopped", "train.max-steps=4", "train.resume=true");
    List<Double> a = values(straight, "train_loss");
    assertEquals(4, a.size());
    assertEquals(a, values(resumed, "train_loss"));
    assertTrue(a.get(3) < a.get(0), "loss should fall: " + a);
    assertEquals(straight.valLoss(), resumed.valLoss());
  }

  @Test
  void loraTrainsOnlyTheAdapterAndTheSavedAdapterReproducesTheRun() throws Exception {
    TrainSummary s = train(TrainerKind.LORA, "lora", "train.max-steps=4", "train.sft.tokenizer=\"\"",
        "train.sft.base=\"" + sftModel + "\"", "train.lora.rank=8", "train.lr.peak=1e-2");
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Checkpoints.Loaded last = new Checkpoints(s.checkpointDir(), spark.sparkContext().hadoopConfiguration())
          .latest(m).orElseThrow();
      long adapterValues = 0;
      for (NDArray a : last.tensors()) {
        assertTrue(a.getName().matches("[pmv]/layers\\.0\\.attn\\.[qv]\\.lora_[ab]"),
            "only adapter weights are trained and checkpointed: " + a.getName());
        adapterValues += a.getName().startsWith("p/") ? a.size() : 0;
      }
      // rank 8 on q and v of one 32-wide layer: 2 x (8x32 + 32x8)
      assertEquals(1024, adapterValues);
      ChatTrainerProbe.Model base = ChatTrainerProbe.model(sftModel);
      assertEquals(1024.0 / base.parameters(), values(s, "trainable_share").get(0), 1e-12);
    }
    Path adapter = Path.of(s.checkpointDir(), "adapter");
    assertEquals(List.of("adapter_config.json", "adapter_model.safetensors"),
        Files.list(adapter).map(p -> p.getFileName().toString()).sorted().toList());
    RefineryConfig conf = config("lora", "train.sft.tokenizer=\"\"", "train.sft.base=\"" + sftModel + "\"");
    StageContext ctx = new StageContext(spark, conf, Warehouse.open(spark, conf), "r1");
    double reloaded = ChatTrainerProbe.sftValidationLoss(ctx, sftModel, adapter);
    double baseOnly = ChatTrainerProbe.sftValidationLoss(ctx, sftModel, null);
    // the base was never touched: base + saved adapter give exactly the run's last validation loss
    assertEquals(s.valLoss(), reloaded, 1e-5);
    assertTrue(Math.abs(baseOnly - reloaded) > 1e-4, "the adapter changed the model: " + baseOnly + " vs " + reloaded);
  }

  @Test
  void dpoRaisesTheChosenAnswersRewardAgainstAReferenceScoredOnceAndResumesExactly() throws Exception {
    TrainSummary s = train(TrainerKind.DPO, "dpo", "train.max-steps=6", "train.dpo.base=\"" + sftModel + "\"",
        "train.lr.peak=3e-3");
    List<Double> loss = values(s, "train_loss");
    assertEquals(Math.log(2), loss.get(0), 1e-3, "policy = reference at the first step");
    assertTrue(loss.get(loss.size() - 1) < loss.get(0), "loss should fall: " + loss);
    RefineryConfig conf = config("dpo", "train.dpo.base=\"" + sftModel + "\"");
    StageContext ctx = new StageContext(spark, conf, Warehouse.open(spark, conf), "r1");
    Map<String, Double> onTrainingPairs = ChatTrainerProbe.dpoOnTrainingPairs(ctx, sftModel,
        Path.of(s.checkpointDir(), "model"));
    assertTrue(onTrainingPairs.get("val_reward_accuracy") > 0.5, onTrainingPairs.toString());
    int pairs = ChatTrainerProbe.dpoPairs(ctx);
    assertEquals(List.of((double) pairs), values(s, "reference_pairs_scored"), "every pair scored once, up front");
    assertFalse(values(s, "val_reward_accuracy").isEmpty());
    // a DPO run stopped and resumed (reference log-probs recomputed from the base) continues the same curve
    train(TrainerKind.DPO, "dpo-stopped", "train.max-steps=3", "train.dpo.base=\"" + sftModel + "\"",
        "train.lr.peak=3e-3");
    TrainSummary resumed = train(TrainerKind.DPO, "dpo-stopped", "train.max-steps=6", "train.resume=true",
        "train.dpo.base=\"" + sftModel + "\"", "train.lr.peak=3e-3");
    assertEquals(loss, values(resumed, "train_loss"));
    assertEquals(values(s, "train_reward_accuracy"), values(resumed, "train_reward_accuracy"));
    long metricRows = spark.read().format("delta").load(tmp.resolve("wh").resolve(TrainJobs.METRICS_TABLE).toString())
        .where("trainer = 'dpo' and metric = 'train_reward_margin'").count();
    assertEquals(6, metricRows);
  }
}
