package dev.refinery.train.trainer;

import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.train.dist.TrainerContext;
import dev.refinery.train.shards.ShardEntry;
import java.io.IOException;
import java.util.List;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One distill trainer: pretrain's trainer of the {@code train.model.*} student on the shards, against
 * {@link DistillObjective} with the frozen teacher, which it loads on its own device before the first step and
 * closes when it ends. Rank 0 exports the student's model folder.
 */
final class DistillTask extends PretrainTask {
  static final String KIND = "distill";
  private final DistillSettings distill;
  private transient DecoderModel teacher;

  DistillTask(DistillSettings distill, ModelConfig model, String tokenizerJson, TrainSettings settings,
      List<ShardEntry> train, List<ShardEntry> validation, String checkpointDir, SerializableConfiguration hadoop) {
    super(KIND, model, tokenizerJson, settings, train, validation, checkpointDir, hadoop);
    this.distill = distill;
  }

  @Override
  public TrainSummary run(TrainerContext ctx) throws IOException {
    try {
      return super.run(ctx);
    } finally {
      if (teacher != null) {
        teacher.close();
        teacher = null;
      }
    }
  }

  @Override
  protected List<TrainMetric> prepare(TrainerContext ctx, DecoderModel net) throws IOException {
    teacher = ModelFolders.load(distill.teacher(), "", net.manager().getDevice());
    teacher.parameters().keySet().forEach(name -> teacher.freeze(name, true));
    return List.of();
  }

  @Override
  protected Objective<int[][]> objective(TrainerContext ctx) {
    return new DistillObjective(teacher, distill, validation, settings, hadoop);
  }
}
