package dev.refinery.mixing.spec;

import java.io.Serializable;

/**
 * One entry of {@code mixing.sources}: a warehouse table (or view), an optional SQL filter, SQL expressions
 * for the text, URL and language columns, and an optional fixed domain for every row of the source.
 */
public record SourceSpec(String name, String table, String filter, String text, String url, String lang,
    String domain, boolean allRuns) implements Serializable {

  public boolean hasFixedDomain() {
    return !domain.isBlank();
  }
}
