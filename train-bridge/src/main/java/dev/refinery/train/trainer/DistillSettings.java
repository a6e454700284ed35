package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.io.Serializable;

/** The {@code train.distill.*} settings, checked: the teacher's model folder, alpha and temperature. */
public record DistillSettings(String teacher, float alpha, float temperature) implements Serializable {

  public static DistillSettings from(RefineryConfig c) {
    DistillSettings d = new DistillSettings(c.getString("train.distill.teacher"),
        (float) c.getDouble("train.distill.alpha"), (float) c.getDouble("train.distill.temperature"));
    if (d.teacher.isEmpty()) {
      throw new RefineryException("train.distill.teacher is empty; set it to the teacher's model folder "
          + "(config.json, model.safetensors and tokenizer.json)");
    }
    if (d.alpha < 0 || d.alpha > 1) {
      throw new RefineryException("train.distill.alpha must be in [0, 1], got " + d.alpha);
    }
    if (!(d.temperature > 0)) {
      throw new RefineryException("train.distill.temperature must be positive, got " + d.temperature);
    }
    return d;
  }
}
