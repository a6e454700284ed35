package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.refinery.train.TransformersLogits.assertClose;
import static dev.refinery.train.TransformersLogits.assertTransformersLoads;
import static dev.refinery.train.TransformersLogits.json;
import static dev.refinery.train.TransformersLogits.logits;
import static dev.refinery.train.TransformersLogits.transformersLogits;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.checkpoint.HfCheckpoint;
import dev.refinery.models.lora.LoraAdapter;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.testing.HfPython;
import dev.refinery.testing.TestSpark;
import dev.refinery.train.trainer.TrainMetric;
import dev.refinery.train.trainer.TrainSummary;
import dev.refinery.train.trainer.TrainerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat trainers on a Hugging Face folder that transformers made (tiny Qwen2: GQA 4/2, q/k/v biases, Qwen2.5's
 * chat template, a byte-level BPE), checked against the real libraries: SFT's loss per step within 2% of TRL's
 * SFTTrainer on the same 64 chats and settings; DPO's loss and reward accuracy per step within 2% of TRL's
 * DPOTrainer on the same 64 pairs (sigmoid, beta 0.1); transformers loads our SFT export with our logits; PEFT loads our
 * LoRA adapter with our logits, and transformers loads the merged export with the same logits.
 */
class HfTrainerParityTest {
  private static final int STEPS = 4;
  private static SparkSession spark;
  @TempDir static Path tmp;
  private static Path base;

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.start();
    HfPython.run("trl_parity.py", "make", tmp.toString());
    base = tmp.resolve("base");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * TRL's trainer settings: full batch of all 64 chats or pairs (no order to agree on), constant lr, no weight
   * decay, clip 1.0; SFT with completion-only loss, DPO with the sigmoid loss at beta 0.1 (conf's default).
   */
  private static TrainSummary train(TrainerKind kind, String checkpoints, String... more) {
    List<String> sets = new ArrayList<>(List.of("train.sft.base=\"" + base + "\"", "train.sft.tokenizer=\"\"",
        "train.sft.files=[\"" + tmp.resolve("sft.jsonl") + "\"]", "train.sft.packing=false",
        "train.sft.validation-fraction=0.0", "train.sft.context-length=128", "train.dpo.base=\"" + base + "\"",
        "train.dpo.files=[\"" + tmp.resolve("dpo.jsonl") + "\"]", "train.dpo.validation-fraction=0.0",
        "train.batch-size=64",
        "train.max-steps=" + STEPS, "train.lr.peak=1e-3", "train.lr.min=1e-3", "train.lr.warmup-steps=0",
        "train.weight-decay=0.0", "train.adam-beta2=0.999", "train.clip-norm=1.0", "train.log-every=1",
        "train.eval-every=1000", "train.checkpoint-every=1000", "train.torch-threads=1",
        "train.checkpoint-dir=\"" + tmp.resolve(checkpoints) + "\""));
    sets.addAll(List.of(more));
    RefineryConfig conf = TestSpark.config(tmp.resolve("wh"), sets.toArray(String[]::new));
    return kind.run(new StageContext(spark, conf, Warehouse.open(spark, conf), "r1"));
  }

  @Test
  void sftLossFollowsTrlAndTransformersLoadsTheExport() throws Exception {
    TrainSummary ours = train(TrainerKind.SFT, "sft");
    List<Double> loss = metric(ours, "train_loss");
    JsonArray trl = JsonParser.parseString(HfPython.lastLine("trl_parity.py", "sft", tmp.toString(),
        String.valueOf(STEPS), "1e-3")).getAsJsonObject().getAsJsonArray("loss");
    assertEquals(STEPS, loss.size());
    assertEquals(STEPS, trl.size());
    for (int i = 0; i < STEPS; i++) {
      double theirs = trl.get(i).getAsDouble();
      assertEquals(theirs, loss.get(i), 0.02 * theirs, "step " + (i + 1) + ": ours " + loss + ", TRL's " + trl);
    }
    assertTrue(loss.get(STEPS - 1) < loss.get(0), "loss should fall: " + loss);
    assertTransformersLoads(Path.of(ours.checkpointDir(), "model"), new int[] {5, 17, 42, 99, 3, 250, 7, 120},
        "our SFT export");
  }

  @Test
  void dpoLossAndRewardAccuracyFollowTrl() throws Exception {
    TrainSummary ours = train(TrainerKind.DPO, "dpo");
    List<Double> loss = metric(ours, "train_loss");
    List<Double> accuracy = metric(ours, "train_reward_accuracy");
    JsonObject trl = JsonParser.parseString(HfPython.lastLine("trl_parity.py", "dpo", tmp.toString(),
        String.valueOf(STEPS), "1e-3")).getAsJsonObject();
    JsonArray trlLoss = trl.getAsJsonArray("loss");
    JsonArray trlAccuracy = trl.getAsJsonArray("accuracy");
    String figures = "ours loss " + loss + " accuracy " + accuracy + ", TRL's loss " + trlLoss + " accuracy "
        + trlAccuracy;
    System.out.println("DPO parity: " + figures);
    assertEquals(STEPS, loss.size(), figures);
    assertEquals(STEPS, trlLoss.size(), figures);
    for (int i = 0; i < STEPS; i++) {
      double theirs = trlLoss.get(i).getAsDouble();
      assertEquals(theirs, loss.get(i), 0.02 * theirs, "step " + (i + 1) + ": " + figures);
      assertEquals(trlAccuracy.get(i).getAsDouble(), accuracy.get(i), 0.02, "step " + (i + 1) + ": " + figures);
    }
    assertTrue(loss.get(STEPS - 1) < loss.get(0) - 0.05, "loss should fall: " + figures);
    assertTransformersLoads(Path.of(ours.checkpointDir(), "model"), new int[] {4, 60, 12, 150, 33, 8, 91, 222},
        "our DPO export");
  }

  private static List<Double> metric(TrainSummary s, String name) {
    return s.metrics().stream().filter(m -> m.name().equals(name)).map(TrainMetric::value).toList();
  }

  @Test
  void peftLoadsOurLoraAdapterWithOurLogits() throws Exception {
    TrainSummary ours = train(TrainerKind.LORA, "lora", "train.lr.peak=2e-2", "train.lr.min=2e-2",
        "train.lora.targets=[\".*\\\\.attn\\\\.(q|k|v|o)\", \".*\\\\.mlp\\\\.(gate|up|down)\"]");
    Path adapter = Path.of(ours.checkpointDir(), "adapter");
    JsonObject config = JsonParser.parseString(Files.readString(adapter.resolve(LoraAdapter.CONFIG))).getAsJsonObject();
    assertEquals("none", config.get("bias").getAsString());
    assertEquals(8, config.get("r").getAsInt());
    int[] ids = {9, 31, 64, 2, 180, 77, 15, 201};
    float[] mine;
    float[] plain;
    try (DecoderModel m = Checkpoints.load(base, Device.cpu())) {
      plain = logits(m, ids);
      LoraAdapter.load(m, adapter);
      mine = logits(m, ids);
    }
    JsonObject theirs = JsonParser.parseString(HfPython.lastLine("trl_parity.py", "peft", base.toString(),
        adapter.toString(), json(ids))).getAsJsonObject();
    assertClose(theirs.getAsJsonArray("base"), plain, "the base alone");
    assertClose(theirs.getAsJsonArray("peft"), mine, "PeftModel.from_pretrained(base, our adapter)");
    // what `refinery export --adapter` writes: the merged model, which transformers reads with the same logits
    Path merged = tmp.resolve("merged");
    try (DecoderModel m = Checkpoints.load(base, Device.cpu())) {
      LoraAdapter.load(m, adapter).merge();
      HfCheckpoint.save(m, merged, base, HfCheckpoint.DEFAULT_SHARD_BYTES);
    }
    assertClose(transformersLogits(merged, ids), mine, "transformers on the merged export");
    double moved = 0;
    for (int i = 0; i < mine.length; i++) {
      moved = Math.max(moved, Math.abs(mine[i] - plain[i]));
    }
    assertTrue(moved > 1e-3, "the trained adapter changes the logits (max change " + moved + ")");
  }
}
