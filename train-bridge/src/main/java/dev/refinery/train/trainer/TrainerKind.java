package dev.refinery.train.trainer;

import dev.refinery.core.stage.StageContext;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/** The trainers {@code refinery train <kind>} runs: a new kind is one line here (plus its job class). */
public enum TrainerKind {
  PRETRAIN("pretrain", "causal LM on the shards of a run", PretrainJob::run),
  SFT(SftJob.SFT, "instruction tuning, loss on assistant tokens, packed", ctx -> SftJob.run(ctx, false)),
  LORA(SftJob.LORA, "instruction tuning of LoRA adapters on a frozen base", ctx -> SftJob.run(ctx, true)),
  DPO(DpoTask.KIND, "direct preference optimisation against a frozen reference", DpoJob::run),
  DISTILL(DistillTask.KIND, "a student distilled from a frozen teacher on the shards", DistillJob::run);

  private final String id;
  private final String summary;
  private final Function<StageContext, TrainSummary> job;

  TrainerKind(String id, String summary, Function<StageContext, TrainSummary> job) {
    this.id = id;
    this.summary = summary;
    this.job = job;
  }

  public String id() {
    return id;
  }

  public String summary() {
    return summary;
  }

  public TrainSummary run(StageContext ctx) {
    return job.apply(ctx);
  }

  public static Optional<TrainerKind> byId(String id) {
    return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
  }

  /** The kinds' names, for usage lines: {@code pretrain|sft|lora|dpo|distill}. */
  public static String names() {
    return String.join("|", Arrays.stream(values()).map(TrainerKind::id).toList());
  }
}
