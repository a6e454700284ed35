package dev.refinery.bench;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.train.trainer.DistillJob;
import dev.refinery.train.trainer.PretrainJob;
import dev.refinery.train.trainer.TrainMetric;
import dev.refinery.train.trainer.TrainSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code distill [teacher-steps] [student-steps] [--eval-batches N]}: on tinyshakespeare (char tokenizer, last tenth held out,
 * as pretrain-shakespeare), a teacher of nanoGPT's CPU size (4 layers, 4 heads, 128 wide) is pretrained,
 * then a student (2 layers, 4 heads, 64 wide) is trained twice for the same steps from the same seed: with
 * knowledge distillation (alpha 0.5, temperature 2, the configuration defaults) and with cross-entropy alone
 * (alpha 1, which the tests prove is plain CE training). Reports the three validation losses and each
 * student's KL(teacher ‖ student) on the validation split. Same optimizer and schedule shape as
 * pretrain-shakespeare (lr 1e-3, warm-up 100, cosine to 1e-4 over each run's steps). Sized for a shared
 * 2-core machine: 600 + 600 + 600 steps of batch 12 × 64 tokens by default (about 26 minutes there under a
 * load of ~25; the teacher takes half of it).
 */
public final class DistillBenchmark implements Benchmark {
  private static final String[] STUDENT = {"train.model.layers=2", "train.model.heads=4", "train.model.width=64"};

  @Override
  public String name() {
    return "distill";
  }

  @Override
  public String description() {
    return "tinyshakespeare: student distilled from a 4x128 teacher vs the same student on CE alone, equal steps";
  }

  @Override
  public List<String> smoke() {
    return List.of("10", "10", "--eval-batches", "4");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("student_kd_val_loss", "student_ce_val_loss", "teacher_val_loss", "student_kd_kl", "student_ce_kl",
        "teacher_steps", "student_steps", "wall_s");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int teacherSteps = args.isEmpty() ? 600 : Integer.parseInt(args.get(0));
    int studentSteps = args.size() < 2 ? 600 : Integer.parseInt(args.get(1));
    int evalBatches = PretrainShakespeareBenchmark.evalBatches(args);
    Path wh = Files.createTempDirectory("refinery-distill-bench");
    Path teacherDir = wh.resolve("teacher");
    Path teacherModel = teacherDir.resolve("model"); // pretrain exports its model folder under its checkpoints
    RefineryConfig base = config(wh, teacherSteps, evalBatches, teacherModel,
        "train.checkpoint-dir=\"" + teacherDir.toAbsolutePath() + "\"");
    SparkSession spark = SparkSessions.create(base, "bench distill");
    long t0 = System.nanoTime();
    try {
      Warehouse warehouse = Warehouse.open(spark, base);
      PretrainShakespeareBenchmark.writeShards(new StageContext(spark, base, warehouse, "bench"));
      TrainSummary teacher = PretrainJob.run(new StageContext(spark, base, warehouse, "teacher"));
      TrainSummary kd = DistillJob.run(new StageContext(spark,
          config(wh, studentSteps, evalBatches, teacherModel, STUDENT), warehouse, "student-kd"));
      TrainSummary ce = DistillJob.run(new StageContext(spark,
          config(wh, studentSteps, evalBatches, teacherModel, with(STUDENT, "train.distill.alpha=1")), warehouse,
          "student-ce"));
      double wall = (System.nanoTime() - t0) / 1e9;
      double kdKl = last(kd, "val_kl");
      double ceKl = last(ce, "val_kl");
      List<String> table = List.of(
          String.format("teacher    4x128, %4d steps: val loss %.4f (%.0f tokens/s)", teacher.steps(),
              teacher.valLoss(), teacher.tokensPerSecond()),
          String.format("student KD  2x64, %4d steps: val loss %.4f, KL to teacher %.4f (alpha 0.5, T 2; %.0f tokens/s)",
              kd.steps(), kd.valLoss(), kdKl, kd.tokensPerSecond()),
          String.format("student CE  2x64, %4d steps: val loss %.4f, KL to teacher %.4f (%.0f tokens/s)",
              ce.steps(), ce.valLoss(), ceKl, ce.tokensPerSecond()),
          String.format("wall %.1f s", wall));
      return new BenchResult(table, ShardsBenchmark.figures("student_kd_val_loss", round(kd.valLoss()),
          "student_ce_val_loss", round(ce.valLoss()), "teacher_val_loss", round(teacher.valLoss()),
          "student_kd_kl", round(kdKl), "student_ce_kl", round(ceKl), "teacher_steps", teacher.steps(),
          "student_steps", kd.steps(), "wall_s", Math.round(wall * 10) / 10.0));
    } finally {
      spark.stop();
    }
  }

  /** pretrain-shakespeare's settings with this run's steps (decayed over them), evaluated at the end. */
  private static RefineryConfig config(Path wh, int steps, int evalBatches, Path teacher, String... more) {
    List<String> sets = new ArrayList<>(PretrainShakespeareBenchmark.settings(wh.toString(), 1, evalBatches));
    sets.addAll(List.of("train.max-steps=" + steps, "train.lr.decay-steps=" + steps, "train.eval-every=" + steps,
        "train.checkpoint-every=" + steps, "train.log-every=50",
        "train.distill.teacher=\"" + teacher.toAbsolutePath() + "\"", "train.distill.alpha=0.5",
        "train.distill.temperature=2"));
    sets.addAll(List.of(more));
    return RefineryConfig.load(List.of(), sets);
  }

  private static String[] with(String[] base, String more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.add(more);
    return all.toArray(String[]::new);
  }

  private static double last(TrainSummary s, String metric) {
    return s.metrics().stream().filter(m -> m.name().equals(metric)).mapToDouble(TrainMetric::value)
        .reduce((a, b) -> b).orElse(Double.NaN);
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
