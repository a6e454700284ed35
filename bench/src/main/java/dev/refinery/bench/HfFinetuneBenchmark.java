package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.train.trainer.TrainSummary;
import dev.refinery.train.trainer.TrainerKind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code hf-finetune [smoke | layers width heads kvHeads vocab seq steps batch]}: LoRA SFT (rank 8, alpha 16, q and
 * v projections, constant lr, fp32, CPU) of one random Llama-shaped Hugging Face folder that transformers saved
 * (default 8 layers, 512 wide, GQA 8/2, vocabulary 32000, sequence 512), by Refinery ({@code train lora} with
 * {@code train.sft.base} = the folder) and by TRL's SFTTrainer + PEFT, on the same chats rendered to exactly one
 * sequence each (neither side pads). Tokens/s is steps x batch x sequence over each side's training loop; peak RSS is each process's high-water mark (ours includes the Spark driver that runs the trainer).
 */
public final class HfFinetuneBenchmark implements Benchmark {
  @Override
  public String name() {
    return "hf-finetune";
  }

  @Override
  public String description() {
    return "LoRA SFT of a random Llama-shaped Hugging Face model: Refinery vs TRL + PEFT on CPU (tokens/s, peak RSS)";
  }

  @Override
  public List<String> smoke() {
    return List.of("smoke");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("tokens_per_s", "peer_tokens_per_s", "ratio_vs_trl", "peak_rss_mb", "peer_peak_rss_mb");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    // layers width heads kv vocab seq steps batch
    int[] p = {8, 512, 8, 2, 32000, 512, 4, 2};
    if (args.size() == 1 && args.get(0).equals("smoke")) {
      p = new int[] {2, 64, 4, 2, 500, 32, 3, 4};
    } else {
      for (int i = 0; i < args.size(); i++) {
        p[i] = Integer.parseInt(args.get(i));
      }
    }
    int steps = p[6];
    int batch = p[7];
    File home = new File(System.getProperty("refinery.home", "."));
    String python = PythonProcess.venvPython(new File(home, "models/src/test/python/setup_hf_venv.sh"));
    String peer = new File(home, "bench/python/models/hf_finetune_peer.py").getPath();
    Path dir = Files.createTempDirectory("refinery-hf-finetune");
    List<String> make = new ArrayList<>(List.of(python, peer, "make", dir.toString()));
    for (int i = 0; i < 6; i++) {
      make.add(String.valueOf(p[i]));
    }
    make.add(String.valueOf(steps * batch));
    PythonProcess.stdout(make);

    List<String> sets = List.of("warehouse.root=\"" + dir.resolve("wh") + "\"", "run.id=bench",
        "spark.master=\"local[2]\"", "spark.log-level=ERROR", "train.torch-threads=2",
        "train.checkpoint-dir=\"" + dir.resolve("lora") + "\"", "train.sft.base=\"" + dir.resolve("base") + "\"",
        "train.sft.tokenizer=\"\"", "train.sft.files=[\"" + dir.resolve("chats.jsonl") + "\"]",
        "train.sft.packing=false", "train.sft.context-length=" + p[5], "train.sft.validation-fraction=0.0", "train.lora.rank=8", "train.lora.alpha=16",
        "train.max-steps=" + steps, "train.batch-size=" + batch, "train.lr.peak=1e-4", "train.lr.min=1e-4",
        "train.lr.warmup-steps=0", "train.weight-decay=0.0", "train.log-every=1", "train.eval-every=1000000",
        "train.checkpoint-every=1000000");
    RefineryConfig conf = RefineryConfig.load(List.of(), sets);
    SparkSession spark = SparkSessions.create(conf, "bench hf-finetune");
    TrainSummary ours;
    try {
      ours = TrainerKind.LORA.run(new StageContext(spark, conf, Warehouse.open(spark, conf), "bench"));
    } finally {
      spark.stop();
    }
    double oursRate = ours.tokensPerSecond();
    double oursRss = peakRssMb();

    JsonNode theirs = new ObjectMapper().readTree(lastLine(PythonProcess.stdout(List.of(python, peer, "train",
        dir.toString(), String.valueOf(steps), String.valueOf(batch), "8"))));
    double peerRate = theirs.get("tokens_per_s").asDouble();
    List<String> table = new ArrayList<>();
    table.add(String.format("model: %d layers, %d wide, %d/%d heads, vocab %d, seq %d; %d steps of batch %d",
        p[0], p[1], p[2], p[3], p[4], p[5], steps, batch));
    table.add(String.format("refinery: %.1f tokens/s (%.1f s), peak RSS %.0f MB", oursRate, ours.wallSeconds(), oursRss));
    table.add(String.format("trl+peft: %.1f tokens/s (%.1f s), peak RSS %.0f MB", peerRate,
        theirs.get("seconds").asDouble(), theirs.get("peak_rss_mb").asDouble()));
    return new BenchResult(table, ShardsBenchmark.figures("tokens_per_s", Math.round(oursRate * 10) / 10.0,
        "peer_tokens_per_s", Math.round(peerRate * 10) / 10.0, "ratio_vs_trl", Math.round(oursRate / peerRate * 1000) / 1000.0,
        "peak_rss_mb", Math.round(oursRss), "peer_peak_rss_mb", Math.round(theirs.get("peak_rss_mb").asDouble())));
  }

  private static String lastLine(String out) {
    String t = out.trim();
    return t.substring(t.lastIndexOf('\n') + 1);
  }

  /** This JVM's resident high-water mark (VmHWM), in MB. */
  private static double peakRssMb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
