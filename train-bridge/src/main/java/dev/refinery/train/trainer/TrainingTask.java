package dev.refinery.train.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.TorchThreads;
import dev.refinery.train.dist.TrainerContext;
import dev.refinery.train.dist.TrainerTask;
import dev.refinery.train.stream.BatchStream;
import dev.refinery.train.stream.StreamPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One barrier trainer of any kind: builds the starting model, lets the kind prepare it (LoRA adapters, a
 * reference model's log-probs), restores the latest checkpoint when there is one (trainable parameters,
 * optimizer moments, stream position), runs the shared {@link TrainLoop}, and has rank 0 export the result.
 */
abstract class TrainingTask<B> implements TrainerTask<TrainSummary> {
  protected final String kind;
  protected final TrainSettings settings;
  protected final String checkpointDir;
  protected final SerializableConfiguration hadoop;

  TrainingTask(String kind, TrainSettings settings, String checkpointDir, SerializableConfiguration hadoop) {
    this.kind = kind;
    this.settings = settings;
    this.checkpointDir = checkpointDir;
    this.hadoop = hadoop;
  }

  /** The model before any training step (fresh, or a base checkpoint). */
  protected abstract DecoderModel initialModel(Device device) throws IOException;

  /**
   * Readies the initial model before checkpointed values are restored into its trainable parameters (freezing,
   * adapters, reference log-probs); returns metrics to record once at step 0.
   */
  protected List<TrainMetric> prepare(TrainerContext ctx, DecoderModel net) throws IOException {
    return List.of();
  }

  protected abstract BatchStream<B> batches(TrainerContext ctx, StreamPosition start) throws IOException;

  protected abstract Objective<B> objective(TrainerContext ctx);

  /** Rank 0 writes the trained result (a model folder, an adapter) after the last step. */
  protected abstract void export(DecoderModel net) throws IOException;

  @Override
  public TrainSummary run(TrainerContext ctx) throws IOException {
    TorchThreads.cap(settings.torchThreads());
    Device device = ctx.gpu().map(Device::gpu).orElse(Device.cpu());
    Checkpoints checkpoints = new Checkpoints(checkpointDir, hadoop.value());
    long t0 = System.nanoTime();
    try (NDManager loading = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        DecoderModel net = initialModel(device);
        AdamW optimizer = new AdamW(0.9f, settings.adamBeta2(), 1e-8f, settings.weightDecay())) {
      List<TrainMetric> first = prepare(ctx, net);
      Optional<Checkpoints.Loaded> resumed = checkpoints.latest(loading);
      Checkpoints.State state;
      if (resumed.isPresent()) {
        state = resumed.get().state();
        restore(resumed.get().tensors(), net.trainableParameters(), optimizer, state.step());
      } else {
        state = new Checkpoints.State(0, 0, 0, 0, 0, new ArrayList<>(first));
      }
      TrainSummary summary;
      try (BatchStream<B> batches = batches(ctx, state.position())) {
        summary = new TrainLoop<B>(kind, settings, checkpoints, checkpointDir)
            .run(ctx, net, optimizer, state, batches, objective(ctx), t0);
      }
      if (ctx.rank() == 0) {
        export(net);
      }
      return summary;
    }
  }

  /** Checkpointed parameter values ({@code p/NAME}) into the model, the rest ({@code m/}, {@code v/}) into AdamW. */
  private static void restore(NDList tensors, Map<String, NDArray> params, AdamW optimizer, long step)
      throws IOException {
    NDList moments = new NDList();
    for (NDArray a : tensors) {
      if (!a.getName().startsWith("p/")) {
        moments.add(a);
        continue;
      }
      NDArray p = params.get(a.getName().substring(2));
      if (p == null || !p.getShape().equals(a.getShape())) {
        throw new IOException("checkpoint parameter " + a.getName() + " does not fit this model; "
            + "train.checkpoint-dir holds another model's checkpoints (start afresh with train.resume=false)");
      }
      p.setRequiresGradient(false); // autograd forbids in-place writes to a leaf that requires gradients
      p.set(a.toFloatArray());
      p.setRequiresGradient(true);
    }
    optimizer.restore(moments, step, params);
  }
}
