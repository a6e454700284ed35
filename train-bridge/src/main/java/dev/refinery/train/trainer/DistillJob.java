package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import dev.refinery.models.transformer.ModelConfig;
import java.nio.file.Path;

/**
 * {@code refinery train distill}: the {@code train.model.*} student (or the {@code train.init-from} folder's) trained on the shards like pretrain,
 * against {@code a·CE + (1−a)·T²·KL(teacher_T ‖ student_T)} with the frozen teacher of
 * {@code train.distill.teacher} (a model folder; it must use the shards' tokenizer). Same data parallelism,
 * checkpoints and exact resume, evaluation, {@code train_metrics} rows (trainer {@code distill}, plus
 * {@code train_ce}, {@code train_kl} and {@code val_kl}) and exported model folder as pretrain.
 */
public final class DistillJob {
  private DistillJob() {}

  public static TrainSummary run(StageContext ctx) {
    TrainSettings s = TrainSettings.from(ctx.config());
    DistillSettings d = DistillSettings.from(ctx.config());
    PretrainJob.Inputs in = PretrainJob.inputs(ctx, s);
    checkTeacher(Path.of(d.teacher()), in);
    String dir = TrainJobs.checkpointDir(ctx, s, DistillTask.KIND);
    return TrainJobs.launch(ctx, s, DistillTask.KIND, dir, new DistillTask(d, in.model(), in.tokenizer().json(), s,
        in.train(), in.validation(), dir, TrainJobs.hadoop(ctx)));
  }

  /**
   * Fails with one message unless the teacher folder is a model sharing the shards' tokenizer and context, with
   * the student's vocabulary size (its logits are compared with the student's).
   */
  static void checkTeacher(Path dir, PretrainJob.Inputs inputs) {
    ModelConfig teacher = PretrainJob.fitsShards("train.distill.teacher", dir, inputs.tokenizer(),
        inputs.model().contextLength());
    if (teacher.vocabSize() != inputs.model().vocabSize()) {
      throw new RefineryException("train.distill.teacher " + dir + " has " + teacher.vocabSize() + " logits per token,"
          + " the student " + inputs.model().vocabSize() + "; they must share the tokenizer and vocabulary size "
          + "(start the student from a folder of the teacher's shape: train.init-from)");
    }
  }
}
