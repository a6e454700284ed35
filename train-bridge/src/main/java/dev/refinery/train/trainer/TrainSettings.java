package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.models.transformer.ModelConfig;
import java.io.Serializable;

/** The {@code train.*} settings every trainer shares, checked. */
public record TrainSettings(int tasks, String shardsRun, String initFrom, String flavour, int layers, int heads, int width,
    float dropout, boolean bias,
    int batchSize, int accumulation, long maxSteps, double learningRate, double minLearningRate, long warmupSteps,
    long decaySteps, float weightDecay, float adamBeta2, float clipNorm, long evalEvery, int evalBatches, long checkpointEvery,
    String checkpointDir, boolean resume, long seed, int blockSequences, long logEvery, int connectTimeoutMs, int torchThreads,
    boolean profile)
    implements Serializable {

  public static TrainSettings from(RefineryConfig c) {
    TrainSettings s = new TrainSettings(c.getInt("train.tasks"), c.getString("train.shards-run"),
        c.getString("train.init-from"), c.getString("train.model.flavour"), c.getInt("train.model.layers"), c.getInt("train.model.heads"), c.getInt("train.model.width"),
        (float) c.getDouble("train.model.dropout"), c.getBoolean("train.model.bias"), c.getInt("train.batch-size"), c.getInt("train.accumulation"),
        c.getLong("train.max-steps"), c.getDouble("train.lr.peak"), c.getDouble("train.lr.min"),
        c.getLong("train.lr.warmup-steps"), c.getLong("train.lr.decay-steps"),
        (float) c.getDouble("train.weight-decay"), (float) c.getDouble("train.adam-beta2"), (float) c.getDouble("train.clip-norm"),
        c.getLong("train.eval-every"), c.getInt("train.eval-batches"), c.getLong("train.checkpoint-every"),
        c.getString("train.checkpoint-dir"), c.getBoolean("train.resume"), c.getLong("train.seed"),
        c.getInt("train.block-sequences"), c.getLong("train.log-every"),
        (int) c.getDuration("train.connect-timeout").toMillis(), c.getInt("train.torch-threads"),
        c.getBoolean("train.profile"));
    if (s.tasks < 1 || s.batchSize < 1 || s.accumulation < 1 || s.maxSteps < 1 || s.blockSequences < 1) {
      throw new RefineryException("train.tasks, train.batch-size, train.accumulation, train.max-steps and "
          + "train.block-sequences must be positive");
    }
    if (s.width % s.heads != 0) {
      throw new RefineryException("train.model.width (" + s.width + ") must be a multiple of train.model.heads ("
          + s.heads + ")");
    }
    if (!s.flavour.equals(GPT) && !s.flavour.equals(LLAMA)) {
      throw new RefineryException("train.model.flavour must be \"gpt\" or \"llama\", got \"" + s.flavour + "\"");
    }
    if (s.flavour.equals(LLAMA) && s.bias) {
      throw new RefineryException("train.model.bias is for the gpt flavour; the llama flavour has no biases (set "
          + "train.model.bias = false)");
    }
    return s;
  }

  /** The {@code train.model.flavour} that trains fresh GPT-2-style models (nanoGPT's). */
  public static final String GPT = "gpt";
  /** The flavour whose models export as Hugging Face LlamaForCausalLM folders. */
  public static final String LLAMA = "llama";

  /**
   * A fresh model of {@code train.model.*}: nanoGPT's GPT flavour (with or without biases) or the Llama flavour
   * (RMSNorm, rotary positions, SwiGLU, no biases).
   */
  public ModelConfig model(int vocabSize, int contextLength) {
    if (flavour.equals(LLAMA)) {
      return ModelConfig.llama(vocabSize, contextLength, layers, heads, width, dropout);
    }
    ModelConfig g = ModelConfig.gpt(vocabSize, contextLength, layers, heads, width, dropout);
    return new ModelConfig(g.vocabSize(), g.contextLength(), g.layers(), g.heads(), g.width(), g.mlpHidden(), g.norm(),
        g.positions(), g.mlp(), g.dropout(), g.tiedEmbeddings(), bias, g.normEps(), g.ropeTheta());
  }

  /** The chat trainers start from their own base key; a train.init-from they would not use stops here. */
  public void requireNoInitFrom(String baseKey) {
    if (!initFrom.isEmpty()) {
      throw new RefineryException("train.init-from is for train pretrain and distill; this trainer starts from "
          + baseKey + ": set that instead");
    }
  }

  public LearningRateSchedule schedule() {
    return new LearningRateSchedule(learningRate, minLearningRate, warmupSteps, decaySteps > 0 ? decaySteps : maxSteps);
  }
}
