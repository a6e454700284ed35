package dev.refinery.bench;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.train.trainer.TrainMetric;
import dev.refinery.train.trainer.TrainSummary;
import dev.refinery.train.trainer.TrainerKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sft-lora-dpo [sftSteps loraSteps dpoSteps dpoPairs]}: the chat trainers in a row on LLaMA-Factory's
 * demo sets (../shared/data/instruction-preference/llama-factory-demo): SFT of a fresh GPT-style model (6 layers,
 * 384 wide, with biases, context 64, a 2048-token byte-level BPE learned from the SFT data: about 11.4M
 * parameters) on alpaca_en_demo.json (5% held out), then rank-8 LoRA on attention q/v of that model on the same data, then DPO
 * (beta 0.1) from the SFT model with the adapter merged on the first 100 pairs of dpo_en_demo.json (30% held
 * out). Defaults (24, 12, 10 steps) are sized for a heavily shared 2-core CPU (about 15 minutes): the point is
 * the pipeline, the masks, the trainable share and the direction of the DPO rewards, not a useful chat model.
 */
public final class SftLoraDpoBenchmark implements Benchmark {
  @Override
  public String name() {
    return "sft-lora-dpo";
  }

  @Override
  public String description() {
    return "SFT, then LoRA (rank 8), then DPO on the LLaMA-Factory demo sets with an 11M-parameter model: "
        + "val loss, trainable share, held-out reward accuracy";
  }

  @Override
  public List<String> smoke() {
    return List.of("2", "2", "2", "8");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("sft_val_loss", "lora_trainable_share", "dpo_reward_accuracy", "lora_val_loss", "dpo_val_margin",
        "wall_s");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int sftSteps = args.isEmpty() ? 24 : Integer.parseInt(args.get(0));
    int loraSteps = args.size() < 2 ? 12 : Integer.parseInt(args.get(1));
    int dpoSteps = args.size() < 3 ? 10 : Integer.parseInt(args.get(2));
    int dpoPairs = args.size() < 4 ? 100 : Integer.parseInt(args.get(3));
    File data = new File(ShakespeareCorpus.file().getParentFile().getParentFile(), "instruction-preference/llama-factory-demo");
    String wh = Files.createTempDirectory("refinery-sft-lora-dpo-bench").toString();
    // The reference model scores every pair up front: on a shared 2-core CPU the first dpoPairs pairs only.
    ObjectMapper json = new ObjectMapper();
    JsonNode allPairs = json.readTree(new File(data, "dpo_en_demo.json"));
    ArrayNode pairs = json.createArrayNode();
    for (int i = 0; i < Math.min(dpoPairs, allPairs.size()); i++) {
      pairs.add(allPairs.get(i));
    }
    File dpoFile = new File(wh, "dpo_en_demo_first" + pairs.size() + ".json");
    json.writeValue(dpoFile, pairs);
    String sftDir = wh + "/_checkpoints/sft";
    String loraDir = wh + "/_checkpoints/lora";
    List<String> common = List.of("warehouse.root=\"" + wh + "\"", "run.id=bench", "spark.master=\"local[2]\"",
        "spark.log-level=ERROR", "train.torch-threads=2", "train.model.layers=6", "train.model.heads=6",
        "train.model.width=384", "train.model.bias=true", "train.sft.context-length=64",
        "train.sft.tokenizer=\"bpe:2048\"",
        "train.sft.files=[\"" + new File(data, "alpaca_en_demo.json") + "\"]",
        "train.dpo.files=[\"" + dpoFile + "\"]", "train.log-every=2",
        "train.weight-decay=0.0", "train.lr.warmup-steps=5");
    List<String> table = new ArrayList<>();
    SparkSession spark = SparkSessions.create(RefineryConfig.load(List.of(), common), "bench sft-lora-dpo");
    try {
      return pipeline(spark, common, table, sftSteps, loraSteps, dpoSteps, sftDir, loraDir, wh);
    } finally {
      spark.stop();
    }
  }

  private static BenchResult pipeline(SparkSession spark, List<String> common, List<String> table, int sftSteps,
      int loraSteps, int dpoSteps, String sftDir, String loraDir, String wh) {
    long t0 = System.nanoTime();
    TrainSummary sft = phase(spark, common, table, TrainerKind.SFT, "train.checkpoint-dir=\"" + sftDir + "\"",
        "train.max-steps=" + sftSteps, "train.eval-every=" + Math.max(1, sftSteps / 2), "train.batch-size=8",
        "train.lr.peak=2e-3");
    TrainSummary lora = phase(spark, common, table, TrainerKind.LORA, "train.checkpoint-dir=\"" + loraDir + "\"",
        "train.sft.base=\"" + sftDir + "/model\"", "train.sft.tokenizer=\"\"", "train.lora.rank=8",
        "train.lora.alpha=16", "train.max-steps=" + loraSteps, "train.eval-every=" + Math.max(1, loraSteps / 2),
        "train.batch-size=8", "train.lr.peak=2e-3");
    TrainSummary dpo = phase(spark, common, table, TrainerKind.DPO, "train.checkpoint-dir=\"" + wh + "/_checkpoints/dpo\"",
        "train.dpo.base=\"" + sftDir + "/model\"", "train.dpo.adapter=\"" + loraDir + "/adapter\"",
        "train.max-steps=" + dpoSteps, "train.eval-every=" + Math.max(1, dpoSteps / 2), "train.batch-size=4",
        "train.dpo.validation-fraction=0.3",
        "train.lr.peak=1e-4");
    double wall = (System.nanoTime() - t0) / 1e9;
    double share = last(lora, "trainable_share");
    double accuracy = last(dpo, "val_reward_accuracy");
    table.add(String.format("sft val loss %.4f; lora rank 8 trains %.0f of %.0f parameters (%.3f%%), val loss %.4f; "
        + "dpo held-out reward accuracy %.3f, margin %.4f; %.0f s in all", sft.valLoss(),
        last(lora, "trainable_parameters"), last(lora, "trainable_parameters") / share, 100 * share, lora.valLoss(),
        accuracy, last(dpo, "val_reward_margin"), wall));
    return new BenchResult(table, ShardsBenchmark.figures("sft_val_loss", round(sft.valLoss()),
        "lora_trainable_share", Math.round(share * 1e6) / 1e6, "dpo_reward_accuracy", round(accuracy),
        "lora_val_loss", round(lora.valLoss()), "dpo_val_margin", round(last(dpo, "val_reward_margin")),
        "wall_s", Math.round(wall)));
  }

  private static TrainSummary phase(SparkSession spark, List<String> common, List<String> table, TrainerKind kind,
      String... sets) {
    List<String> all = new ArrayList<>(common);
    all.addAll(List.of(sets));
    RefineryConfig conf = RefineryConfig.load(List.of(), all);
    TrainSummary s = kind.run(new StageContext(spark, conf, Warehouse.open(spark, conf), "bench"));
    table.add(kind.id() + " train loss: " + curve(s, "train_loss"));
    table.add(kind.id() + " val loss:   " + curve(s, "val_loss"));
    if (kind == TrainerKind.DPO) {
      table.add("dpo train reward accuracy: " + curve(s, "train_reward_accuracy"));
      table.add("dpo val reward accuracy:   " + curve(s, "val_reward_accuracy"));
    }
    table.add(String.format("%s: %d steps, %.0f tokens/s, %.0f s", kind.id(), s.steps(), s.tokensPerSecond(),
        s.wallSeconds()));
    return s;
  }

  private static String curve(TrainSummary s, String metric) {
    return s.metrics().stream().filter(m -> m.name().equals(metric))
        .map(m -> String.format("%d:%.3f", m.step(), m.value())).collect(Collectors.joining(" "));
  }

  private static double last(TrainSummary s, String metric) {
    List<TrainMetric> ms = s.metrics().stream().filter(m -> m.name().equals(metric)).toList();
    return ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1).value();
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
