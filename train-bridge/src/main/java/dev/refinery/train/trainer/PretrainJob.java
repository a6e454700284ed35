package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.shards.ShardManifest;
import dev.refinery.train.tokens.TokenizerSpec;
import java.util.List;

/**
 * {@code refinery train pretrain}: a GPT-style model (size from {@code train.model.*}, vocabulary from the
 * shards' tokenizer, context from the shards' sequence length) trained on a run's shards by
 * {@code train.tasks} barrier trainers; metrics go to {@code train_metrics}, the model folder to
 * {@code <checkpoints>/model}.
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
    List<ShardEntry> train = ShardManifest.entries(wh, shardsRun, ShardManifest.TRAIN);
    List<ShardEntry> val = ShardManifest.entries(wh, shardsRun, ShardManifest.VALIDATION);
    if (train.isEmpty()) {
      throw new RefineryException("shard_manifest has no train shards for run '" + shardsRun
          + "'; run the shards stage for that run or set train.shards-run");
    }
    String path = wh.readRun(ShardManifest.TABLE, shardsRun).select("tokenizer").first().getString(0);
    TokenizerSpec tokenizer = TokenizerSpec.fromFile(path.replaceFirst("^file:", ""));
    ModelConfig model = s.gpt(tokenizer.open().vocabSize(), train.get(0).sequenceLength() - 1);
    return new Inputs(model, tokenizer, train, val);
  }
}
