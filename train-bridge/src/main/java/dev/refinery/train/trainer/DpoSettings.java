package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.util.List;

/** The {@code train.dpo.*} settings, checked. */
public record DpoSettings(String input, boolean allRuns, List<String> files, String base, String adapter, float beta,
    double maxPromptFraction, double validationFraction) {

  public static DpoSettings from(RefineryConfig c) {
    DpoSettings s = new DpoSettings(c.getString("train.dpo.input"), c.getBoolean("train.dpo.all-runs"),
        c.getStringList("train.dpo.files"), c.getString("train.dpo.base"), c.getString("train.dpo.adapter"),
        (float) c.getDouble("train.dpo.beta"), c.getDouble("train.dpo.max-prompt-fraction"),
        c.getDouble("train.dpo.validation-fraction"));
    if (s.base.isEmpty()) {
      throw new RefineryException("train dpo needs a model to start from: set train.dpo.base to a model folder "
          + "(as `train sft` exports it)");
    }
    if (s.beta <= 0) {
      throw new RefineryException("train.dpo.beta must be positive");
    }
    if (s.maxPromptFraction <= 0 || s.maxPromptFraction >= 1) {
      throw new RefineryException("train.dpo.max-prompt-fraction must be in (0, 1)");
    }
    if (s.validationFraction < 0 || s.validationFraction >= 1) {
      throw new RefineryException("train.dpo.validation-fraction must be in [0, 1)");
    }
    return s;
  }
}
