package dev.refinery.ingest.readers;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.io.Serializable;
import java.util.List;

/** Per-document limits and knobs of the ingest readers, from the {@code ingest} section of the configuration. */
public record IngestLimits(long maxDocumentBytes, int maxTextChars, long parseTimeoutMillis, double parseHeapShare,
    int minTextChars,
    double maxJunkRatio, List<String> trackingParameters, int langidMinLetters, double langidMinScore,
    int langidSampleChars)
    implements Serializable {

  public static IngestLimits from(RefineryConfig config) {
    double heapShare = config.getDouble("ingest.parse-heap-share");
    if (!(heapShare > 0 && heapShare <= 1)) {
      throw new RefineryException("ingest.parse-heap-share must be above 0 and at most 1 (1 turns the guard off), not "
          + heapShare);
    }
    return new IngestLimits(
        config.getBytes("ingest.max-document-bytes"),
        config.getInt("ingest.max-text-chars"),
        config.getDuration("ingest.parse-timeout").toMillis(),
        heapShare,
        config.getInt("ingest.min-text-chars"),
        config.getDouble("ingest.max-junk-ratio"),
        List.copyOf(config.getStringList("ingest.url-tracking-parameters")),
        config.getInt("ingest.langid.min-letters"),
        config.getDouble("ingest.langid.min-score"),
        config.getInt("ingest.langid.sample-chars"));
  }
}
