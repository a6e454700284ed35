package dev.refinery.train.shards;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;

/** The {@code train.shards.*} settings, checked. */
public record ShardSettings(String input, String docId, String text, String domain, String language, boolean allRuns,
    String dir,
    String tokenizer, int sequenceLength, long tokensPerShard, int partitions, double validationFraction,
    long splitSeed, String validationWhere) {

  public static ShardSettings from(RefineryConfig c) {
    ShardSettings s = new ShardSettings(c.getString("train.shards.input"), c.getString("train.shards.doc-id"),
        c.getString("train.shards.text"), c.getString("train.shards.domain"), c.getString("train.shards.language"),
        c.getBoolean("train.shards.all-runs"), c.getString("train.shards.dir"),
        c.getString("train.shards.tokenizer"), c.getInt("train.shards.sequence-length"),
        c.getLong("train.shards.tokens-per-shard"), c.getInt("train.shards.partitions"),
        c.getDouble("train.shards.validation-fraction"), c.getLong("train.shards.split-seed"),
        c.getString("train.shards.validation-where"));
    if (s.sequenceLength < 2) {
      throw new RefineryException("train.shards.sequence-length must be at least 2 (context + 1), got " + s.sequenceLength);
    }
    if (s.validationFraction < 0 || s.validationFraction >= 1) {
      throw new RefineryException("train.shards.validation-fraction must be in [0, 1), got " + s.validationFraction);
    }
    if (s.tokensPerShard < s.sequenceLength) {
      throw new RefineryException("train.shards.tokens-per-shard must hold at least one sequence ("
          + s.sequenceLength + " tokens), got " + s.tokensPerShard);
    }
    if (s.tokenizer.isEmpty()) {
      throw new RefineryException("train.shards.tokenizer is empty; give a tokenizer.json path or \"char\"");
    }
    return s;
  }
}
