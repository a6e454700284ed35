package dev.refinery.ingest.readers;

import dev.refinery.core.config.RefineryConfig;
import java.io.Serializable;
import java.util.List;

/** Per-document limits and knobs of the ingest readers, from the {@code ingest} section of the configuration. */
public record IngestLimits(long maxDocumentBytes, int maxTextChars, long parseTimeoutMillis, int minTextChars,
    double maxJunkRatio, List<String> trackingParameters, int langidMinLetters, double langidMinScore,
    int langidSampleChars)
    implements Serializable {

  public static IngestLimits from(RefineryConfig config) {
    return new IngestLimits(
        config.getBytes("ingest.max-document-bytes"),
        config.getInt("ingest.max-text-chars"),
        config.getDuration("ingest.parse-timeout").toMillis(),
        config.getInt("ingest.min-text-chars"),
        config.getDouble("ingest.max-junk-ratio"),
        List.copyOf(config.getStringList("ingest.url-tracking-parameters")),
        config.getInt("ingest.langid.min-letters"),
        config.getDouble("ingest.langid.min-score"),
        config.getInt("ingest.langid.sample-chars"));
  }
}
