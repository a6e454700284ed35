package dev.refinery.models.lora;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which linear layers get low-rank adapters and how big they are.
 *
 * @param targets regular expressions matched against linear names such as {@code layers.0.attn.q}
 * @param alpha the update is scaled by alpha / rank
 */
public record LoraConfig(int rank, float alpha, float dropout, List<String> targets) {
  /** The ranks {@code vllm serve --enable-lora} accepts. */
  public static final List<Integer> VLLM_RANKS = List.of(8, 16, 32, 64, 128, 256);

  public LoraConfig {
    if (rank <= 0) {
      throw new IllegalArgumentException("LoRA rank must be positive");
    }
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("LoRA dropout must be in [0, 1)");
    }
    targets = List.copyOf(targets);
    targets.forEach(Pattern::compile);
  }

  /** The LoRA paper's default: attention query and value. */
  public static LoraConfig attentionQueryValue(int rank, float alpha) {
    return new LoraConfig(rank, alpha, 0f, List.of(".*\\.attn\\.q", ".*\\.attn\\.v"));
  }

  boolean matches(String linearName) {
    return targets.stream().anyMatch(t -> Pattern.matches(t, linearName));
  }

  public float scale() {
    return alpha / rank;
  }
}
