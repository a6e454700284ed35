package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.models.lora.LoraConfig;

/** The {@code train.lora.*} settings as a {@link LoraConfig}, checked. */
final class LoraSettings {
  private LoraSettings() {}

  static LoraConfig from(RefineryConfig c) {
    int rank = c.getInt("train.lora.rank");
    if (!LoraConfig.VLLM_RANKS.contains(rank)) {
      throw new RefineryException("train.lora.rank is " + rank + "; use one of " + LoraConfig.VLLM_RANKS
          + " (the ranks vllm serve --enable-lora accepts)");
    }
    try {
      return new LoraConfig(rank, (float) c.getDouble("train.lora.alpha"),
          (float) c.getDouble("train.lora.dropout"), c.getStringList("train.lora.targets"));
    } catch (IllegalArgumentException e) {
      throw new RefineryException("train.lora: " + e.getMessage());
    }
  }
}
