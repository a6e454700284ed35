package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.shards.ShardManifest;
import dev.refinery.train.tokens.TokenizerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code refinery train pretrain}: a fresh model (flavour and size from {@code train.model.*}, vocabulary from the
 * shards' tokenizer, context from the shards' sequence length), or the model of the {@code train.init-from}
 * folder (Refinery's own or a Hugging Face one: continued pretraining), trained on a run's shards by
 * {@code train.tasks} barrier trainers; metrics go to {@code train_metrics}, the model folder (a Hugging Face
 * one when it started from one) to {@code <checkpoints>/model}.
 */
public final class PretrainJob {
  private PretrainJob() {}

  public static TrainSummary run(StageContext ctx) {
    TrainSettings s = TrainSettings.from(ctx.config());
    Inputs in = inputs(ctx, s);
    String dir = TrainJobs.checkpointDir(ctx, s, PretrainTask.KIND);
    return TrainJobs.launch(ctx, s, PretrainTask.KIND, dir,
        new PretrainTask(in.model(), in.tokenizer().json(), s, in.train(), in.validation(), dir, TrainJobs.hadoop(ctx)));
  }

  /** The shards a causal-LM trainer reads, their tokenizer, and the {@code train.model.*} model built for them. */
  record Inputs(ModelConfig model, TokenizerSpec tokenizer, List<ShardEntry> train, List<ShardEntry> validation) {}

  /** The shards of {@code train.shards-run} (default: this run), checked, and the model they call for. */
  static Inputs inputs(StageContext ctx, TrainSettings s) {
    Warehouse wh = ctx.warehouse();
    String shardsRun = s.shardsRun().isEmpty() ? ctx.runId() : s.shardsRun();
    if (!wh.exists(ShardManifest.TABLE)) {
      throw new RefineryException("no shard_manifest in " + wh.root() + "; run the shards stage first");
    }
    ShardManifest.Run shards = ShardManifest.read(wh, shardsRun);
    List<ShardEntry> train = shards.train();
    List<ShardEntry> val = shards.validation();
    if (train.isEmpty()) {
      throw new RefineryException("shard_manifest has no train shards for run '" + shardsRun
          + "'; run the shards stage for that run or set train.shards-run");
    }
    TokenizerSpec tokenizer = TokenizerSpec.fromFile(shards.tokenizer().replaceFirst("^file:", ""));
    int context = train.get(0).sequenceLength() - 1;
    ModelConfig model = s.initFrom().isEmpty() ? s.model(tokenizer.open().vocabSize(), context)
        : fitsShards("train.init-from", Path.of(s.initFrom()), tokenizer, context);
    return new Inputs(model, tokenizer, train, val);
  }

  /**
   * The config of a model folder (Refinery's own or a Hugging Face one) that is to read these shards: it must
   * have the shards' tokenizer (same tokens, same end-of-text id) and at least their context; anything else
   * stops with one line naming {@code key}.
   */
  static ModelConfig fitsShards(String key, Path dir, TokenizerSpec shards, int context) {
    if (!Files.isRegularFile(dir.resolve(Checkpoints.CONFIG))) {
      throw new RefineryException(key + " " + dir + " is not a model folder (no config.json; Refinery's own or a "
          + "Hugging Face one)");
    }
    Path tokenizerFile = dir.resolve(Tokenizers.FILE_NAME);
    ModelConfig model = ModelFolders.config(dir.toString());
    try {
      if (!Files.isRegularFile(tokenizerFile) || !sameVocabulary(Tokenizers.load(tokenizerFile), shards.open())) {
        throw new RefineryException(key + " " + dir + " must have the shards' tokenizer: its tokenizer.json must "
            + "match the shards' " + shards.name() + "; cut the shards with train.shards.tokenizer = \"" + dir
            + "\"");
      }
    } catch (IOException e) {
      throw new RefineryException("cannot read the tokenizer of " + key + " " + dir + ": " + e.getMessage());
    }
    if (model.contextLength() < context) {
      throw new RefineryException(key + " " + dir + " has a context of " + model.contextLength()
          + " tokens, shorter than the shards' " + context);
    }
    return model;
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
