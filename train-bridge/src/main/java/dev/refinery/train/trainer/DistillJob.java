package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code refinery train distill}: the {@code train.model.*} student trained on the shards like pretrain,
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

  /** Fails with one message unless the teacher folder is a model sharing the shards' tokenizer and context. */
  static void checkTeacher(Path dir, PretrainJob.Inputs inputs) {
    Path config = dir.resolve(dev.refinery.models.checkpoint.Checkpoints.CONFIG);
    if (!Files.isRegularFile(config)) {
      throw new RefineryException("train.distill.teacher " + dir + " is not a model folder (no config.json; "
          + "Refinery's own or a Hugging Face one); export the teacher there first");
    }
    Path tokenizerFile = dir.resolve(Tokenizers.FILE_NAME);
    try {
      ModelConfig teacher = ModelFolders.config(dir.toString());
      if (!Files.isRegularFile(tokenizerFile)
          || !sameVocabulary(Tokenizers.load(tokenizerFile), inputs.tokenizer().open())
          || teacher.vocabSize() != inputs.model().vocabSize()) {
        throw new RefineryException("teacher " + dir + " and student must share the tokenizer: the teacher folder's "
            + "tokenizer.json (and vocabulary size " + teacher.vocabSize() + ") must match the shards' "
            + inputs.tokenizer().name() + " (" + inputs.model().vocabSize() + " tokens); distill from a teacher "
            + "trained on shards cut with the same tokenizer");
      }
      if (teacher.contextLength() < inputs.model().contextLength()) {
        throw new RefineryException("teacher " + dir + " has a context of " + teacher.contextLength()
            + " tokens, shorter than the shards' " + inputs.model().contextLength());
      }
    } catch (IOException e) {
      throw new RefineryException("cannot read the teacher in " + dir + ": " + e.getMessage());
    }
  }

  /** Same size, same end-of-text id, and every id decodes to the same text. */
  private static boolean sameVocabulary(Tokenizer a, Tokenizer b) {
    if (a.vocabSize() != b.vocabSize() || a.eosId() != b.eosId()) {
      return false;
    }
    for (int id = 0; id < a.vocabSize(); id++) {
      if (!a.decode(new int[] {id}).equals(b.decode(new int[] {id}))) {
        return false;
      }
    }
    return true;
  }
}
