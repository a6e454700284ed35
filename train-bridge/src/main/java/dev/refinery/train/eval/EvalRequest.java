package dev.refinery.train.eval;

import com.typesafe.config.Config;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code refinery eval} evaluates ({@code eval.*}): a model folder (Refinery's or a Hugging Face one) with an
 * optional PEFT adapter, the name its rows carry in {@code eval_results}, the tasks, and how windows are cut and
 * batched.
 */
public record EvalRequest(String model, String adapter, String modelName, List<EvalTask> tasks, int maxLength,
    int stride, int batchSize, int partitions, int torchThreads, List<String> contaminationTables,
    String contaminationText) implements Serializable {

  public static EvalRequest from(RefineryConfig c) {
    Config tasksConf = c.raw().getConfig("eval.tasks");
    Config defaults = c.raw().getConfig("eval.task-defaults");
    List<EvalTask> tasks = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(tasksConf.root().keySet())) {
      tasks.add(EvalTask.from(name, tasksConf.getConfig(com.typesafe.config.ConfigUtil.quoteString(name)), defaults));
    }
    EvalRequest r = new EvalRequest(c.getString("eval.model"), c.getString("eval.adapter"),
        c.getString("eval.model-name"), List.copyOf(tasks), c.getInt("eval.max-length"), c.getInt("eval.stride"),
        c.getInt("eval.batch-size"), c.getInt("eval.partitions"), c.getInt("eval.torch-threads"),
        List.copyOf(c.getStringList("eval.contamination-tables")), c.getString("eval.contamination-text"));
    if (r.maxLength < 0 || r.stride < 0 || r.batchSize < 1 || r.partitions < 0) {
      throw new RefineryException("eval.max-length, eval.stride and eval.partitions must be 0 or more, "
          + "eval.batch-size at least 1");
    }
    return r;
  }

  /** The same tasks and settings for another model (what an ablation does per variant). */
  public EvalRequest withModel(String modelDir, String adapterDir, String name) {
    return new EvalRequest(modelDir, adapterDir, name, tasks, maxLength, stride, batchSize, partitions, torchThreads,
        contaminationTables, contaminationText);
  }

  /** The model's name in eval_results: model-name, else the folder's name (+ "+" the adapter folder's). */
  public String name() {
    if (!modelName.isEmpty()) {
      return modelName;
    }
    String base = Path.of(model).toAbsolutePath().normalize().getFileName().toString();
    return adapter.isEmpty() ? base : base + "+" + Path.of(adapter).toAbsolutePath().normalize().getFileName();
  }
}
