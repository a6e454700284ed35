package dev.refinery.ingest.readers;

import dev.refinery.ingest.url.UrlNormalizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/**
 * Streams one WARC, WET or ARC file (gzipped or not) record by record, so memory is bounded by one record
 * body (capped at the document limit) whatever the file size. HTTP response records become documents
 * through the HTML extractor (or Tika for PDFs and office files); WET conversion records are text already;
 * requests, metadata and warcinfo records are skipped. A truncated or corrupt file keeps the records read
 * so far and adds one reject for the rest.
 */
final class WarcRecords implements Iterator<IngestItem>, AutoCloseable {
  private final InputFile file;
  private final WarcReader reader;
  private final String source;
  private final FileReaders readers;
  private final UrlNormalizer urls;
  private IngestItem next;
  private boolean done;
  private int produced;

  WarcRecords(InputFile file, InputStream in, FileReaders readers, UrlNormalizer urls) throws IOException {
    this.file = file;
    this.reader = new WarcReader(in);
    this.reader.setLenient(true);
    String name = file.relative().toLowerCase(Locale.ROOT);
    this.source = name.contains(".wet") ? "wet" : name.contains(".arc") && !name.contains(".warc") ? "arc" : "warc";
    this.readers = readers;
    this.urls = urls;
  }

  @Override
  public boolean hasNext() {
    while (next == null && !done) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public IngestItem next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    IngestItem item = next;
    next = null;
    produced++;
    return item;
  }

  /** The next item, or null when the record was skipped (or the file ended: then {@code done}). */
  private IngestItem advance() {
    Optional<WarcRecord> record;
    try {
      record = reader.next();
    } catch (IOException | RuntimeException e) {
      done = true;
      return IngestItem.reject(source, file.relative(), truncationReason(e),
          "after " + produced + " records: " + e);
    }
    if (record.isEmpty()) {
      done = true;
      return produced == 0
          ? IngestItem.reject(source, file.relative(), "no HTTP response or text records in WARC file",
              "the file holds only requests, metadata or warcinfo records (e.g. a WAT file)")
          : null;
    }
    WarcRecord r = record.get();
    try {
      if (r instanceof WarcResponse response) {
        return response(response);
      }
      if (r instanceof WarcConversion conversion) {
        return conversion(conversion);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return IngestItem.reject(source, locatorOf(r), "malformed WARC record", String.valueOf(e));
    }
  }

  private IngestItem response(WarcResponse r) throws IOException {
    String url = urls.normalize(r.target());
    HttpResponse http = r.http();
    Map<String, String> meta = baseMeta(r);
    meta.put("http_status", Integer.toString(http.status()));
    if (http.status() < 200 || http.status() >= 300) {
      return IngestItem.reject(source, url, "HTTP status not 2xx", http.status() + " " + url);
    }
    String contentType = http.headers().first("Content-Type").orElse("");
    byte[] body = readCapped(http.bodyDecoded().stream());
    if (body == null) {
      return IngestItem.reject(source, url, FileReaders.OVERSIZED, url);
    }
    return readers.fromBytes(source, url, url, timestamp(r), contentType, body, url, meta);
  }

  private IngestItem conversion(WarcConversion r) throws IOException {
    String url = urls.normalize(r.target());
    byte[] body = readCapped(r.body().stream());
    if (body == null) {
      return IngestItem.reject(source, url, FileReaders.OVERSIZED, url);
    }
    Map<String, String> meta = baseMeta(r);
    return readers.textDocument(source, url, url, timestamp(r), "text/plain",
        new String(body, StandardCharsets.UTF_8), meta);
  }

  private Map<String, String> baseMeta(WarcRecord r) {
    Map<String, String> meta = new HashMap<>();
    meta.put("warc_file", file.relative());
    meta.put("warc_record_id", String.valueOf(r.id()));
    return meta;
  }

  private byte[] readCapped(InputStream in) throws IOException {
    long cap = readers.limits().maxDocumentBytes();
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, cap + 1));
    return bytes.length > cap ? null : bytes;
  }

  private String locatorOf(WarcRecord r) {
    try {
      return r instanceof org.netpreserve.jwarc.WarcTargetRecord t ? urls.normalize(t.target()) : file.relative();
    } catch (RuntimeException e) {
      return file.relative();
    }
  }

  private static Timestamp timestamp(WarcRecord r) {
    try {
      return Timestamp.from(r.date());
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String truncationReason(Throwable e) {
    String s = String.valueOf(e).toLowerCase(Locale.ROOT);
    if (e instanceof java.io.EOFException || s.contains("unexpected end") || s.contains("eof")) {
      return FileReaders.TRUNCATED;
    }
    return "corrupt archive";
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
