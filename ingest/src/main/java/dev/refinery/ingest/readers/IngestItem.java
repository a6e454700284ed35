package dev.refinery.ingest.readers;

import java.sql.Timestamp;
import java.util.Map;

/**
 * What a reader produced for one record or file: a document (text set, reason null) or a reject (reason
 * set: what went wrong, in words a person understands; excerpt shows what was seen).
 *
 * @param source the reader kind (warc, wet, arc, html, text, jsonl, document): part of the doc id
 * @param locator normalised URL for web records, path relative to the input root for files
 */
public record IngestItem(String source, String locator, String url, Timestamp fetchedAt, String contentType,
    String text, Map<String, String> meta, String reason, String excerpt) {

  public static IngestItem document(String source, String locator, String url, Timestamp fetchedAt,
      String contentType, String text, Map<String, String> meta) {
    return new IngestItem(source, locator, url, fetchedAt, contentType, text, meta, null, null);
  }

  public static IngestItem reject(String source, String locator, String reason, String excerpt) {
    return new IngestItem(source, locator, null, null, null, null, Map.of(), reason, excerpt);
  }

  public boolean isReject() {
    return reason != null;
  }
}
