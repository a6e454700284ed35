package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.util.List;

/** The {@code train.sft.*} settings (data, base model, tokenizer, packing), checked. */
public record SftSettings(String input, boolean allRuns, List<String> files, String base, String tokenizer,
    int contextLength, boolean packing, String systemPrompt, double validationFraction) {

  public static SftSettings from(RefineryConfig c) {
    SftSettings s = new SftSettings(c.getString("train.sft.input"), c.getBoolean("train.sft.all-runs"),
        c.getStringList("train.sft.files"), c.getString("train.sft.base"), c.getString("train.sft.tokenizer"),
        c.getInt("train.sft.context-length"), c.getBoolean("train.sft.packing"), c.getString("train.sft.system-prompt"),
        c.getDouble("train.sft.validation-fraction"));
    if (s.contextLength < 2) {
      throw new RefineryException("train.sft.context-length must be at least 2");
    }
    if (s.validationFraction < 0 || s.validationFraction >= 1) {
      throw new RefineryException("train.sft.validation-fraction must be in [0, 1)");
    }
    return s;
  }
}
