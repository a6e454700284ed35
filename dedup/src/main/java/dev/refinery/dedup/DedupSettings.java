package dev.refinery.dedup;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.dedup.minhash.LshBanding;
import dev.refinery.dedup.minhash.MinHashSigner;
import dev.refinery.dedup.minhash.Shingler;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

/** The {@code dedup.*} configuration, checked once. */
public record DedupSettings(
    String input,
    boolean exactText,
    boolean exactUrl,
    boolean minhash,
    int wordNgram,
    int charNgram,
    double cjkShare,
    LshBanding banding,
    long seed,
    String verify,
    String verifyMeasure,
    double verifyThreshold,
    int thetaEntries,
    int pairwiseBucketMax,
    int maxIterations,
    List<String> representativeOrder,
    String qualityColumn,
    boolean incremental,
    boolean lines,
    int lineMaxOccurrences) implements Serializable {

  public static final Set<String> VERIFY_MODES = Set.of("none", "exact", "theta");
  public static final Set<String> VERIFY_MEASURES = Set.of("jaccard", "containment");
  public static final Set<String> ORDER_KEYS = Set.of("quality", "length", "earliest");

  public static DedupSettings from(RefineryConfig c) {
    double threshold = c.getDouble("dedup.minhash.threshold");
    int permutations = c.getInt("dedup.minhash.permutations");
    LshBanding banding;
    try {
      banding = threshold > 0 ? LshBanding.forThreshold(threshold, permutations)
          : new LshBanding(c.getInt("dedup.minhash.bands"), c.getInt("dedup.minhash.rows"));
    } catch (IllegalArgumentException e) {
      throw new RefineryException("dedup.minhash: " + e.getMessage()
          + "; set bands and rows >= 1, or threshold in (0, 1)");
    }
    String verify = c.getString("dedup.minhash.verify");
    if (!VERIFY_MODES.contains(verify)) {
      throw new RefineryException("dedup.minhash.verify = " + verify + "; use one of " + VERIFY_MODES);
    }
    String measure = c.getString("dedup.minhash.verify-measure");
    if (!VERIFY_MEASURES.contains(measure)) {
      throw new RefineryException("dedup.minhash.verify-measure = " + measure + "; use one of " + VERIFY_MEASURES);
    }
    List<String> order = c.getStringList("dedup.representative-order");
    for (String o : order) {
      if (!ORDER_KEYS.contains(o)) {
        throw new RefineryException("dedup.representative-order names '" + o + "'; use any of " + ORDER_KEYS);
      }
    }
    int pairwiseBucketMax = c.getInt("dedup.minhash.pairwise-bucket-max");
    if (pairwiseBucketMax < 2) {
      throw new RefineryException("dedup.minhash.pairwise-bucket-max = " + pairwiseBucketMax + "; must be >= 2");
    }
    int wordN = c.getInt("dedup.minhash.word-ngram");
    int charN = c.getInt("dedup.minhash.char-ngram");
    if (wordN < 1 || charN < 1) {
      throw new RefineryException("dedup.minhash.word-ngram and char-ngram must be >= 1");
    }
    return new DedupSettings(
        c.getString("dedup.input"),
        c.getBoolean("dedup.exact.text"),
        c.getBoolean("dedup.exact.url"),
        c.getBoolean("dedup.minhash.enabled"),
        wordN,
        charN,
        c.getDouble("dedup.minhash.cjk-share"),
        banding,
        c.getLong("dedup.minhash.seed"),
        verify,
        measure,
        c.getDouble("dedup.minhash.verify-threshold"),
        c.getInt("dedup.minhash.theta-entries"),
        pairwiseBucketMax,
        c.getInt("dedup.components.max-iterations"),
        order,
        c.getString("dedup.quality-column"),
        c.getBoolean("dedup.incremental"),
        c.getBoolean("dedup.lines.enabled"),
        c.getInt("dedup.lines.max-occurrences"));
  }

  public MinHashSigner signer() {
    return new MinHashSigner(new Shingler(wordNgram, charNgram, cjkShare), banding.signatureLength(), seed);
  }

  /**
   * What makes stored signatures comparable: only rows with the same value are used incrementally ("oph":
   * one-permutation signatures; those of k separate permutations, before, had no prefix).
   */
  public String signatureParams() {
    return "oph-w" + wordNgram + "-c" + charNgram + "-k" + cjkShare + "-p" + banding.signatureLength() + "-s" + seed;
  }
}
