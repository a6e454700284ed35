package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.models.lora.LoraConfig;

/** The {@code train.lora.*} settings as a {@link LoraConfig}, checked. */
final class LoraSettings {
  private LoraSettings() {}

  static LoraConfig from(RefineryConfig c) {
    try {
      return new LoraConfig(c.getInt("train.lora.rank"), (float) c.getDouble("train.lora.alpha"),
          (float) c.getDouble("train.lora.dropout"), c.getStringList("train.lora.targets"));
    } catch (IllegalArgumentException e) {
      throw new RefineryException("train.lora: " + e.getMessage());
    }
  }
}
