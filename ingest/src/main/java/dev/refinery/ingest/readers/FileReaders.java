package dev.refinery.ingest.readers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.ingest.html.HtmlDecoder;
import dev.refinery.ingest.url.UrlNormalizer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The readers of one Spark partition: opens each input file and turns it into documents and rejects,
 * dispatching on the file kind. Holds what is worth reusing across files (Tika parser, HTML extractor).
 * Nothing a file contains may throw out of here: every failure becomes a reject.
 */
public final class FileReaders implements AutoCloseable {
  public static final String OVERSIZED = "oversized document (over ingest.max-document-bytes)";
  public static final String TRUNCATED = "truncated file (unexpected end of gzip or archive)";
  public static final String UNREADABLE = "unreadable file";

  private final IngestLimits limits;
  private final Configuration hadoop;
  private final UrlNormalizer urls;
  private final HtmlPages html = new HtmlPages();
  // lines are already bounded by ingest.max-document-bytes; Jackson's own 20M-character string cap would
  // misreport a long but valid text as malformed
  private final ObjectMapper json = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE).build()).build());
  private TikaDocumentParser tika;

  public FileReaders(IngestLimits limits, Configuration hadoop) {
    this.limits = limits;
    this.hadoop = hadoop;
    this.urls = new UrlNormalizer(limits.trackingParameters());
  }

  IngestLimits limits() {
    return limits;
  }

  /** Every item of one file, streamed where the format allows it (WARC, JSONL). */
  public Iterator<IngestItem> read(InputFile file) {
    FileKind kind = FileKind.of(file.path());
    String source = sourceOf(kind);
    InputStream in;
    try {
      Path p = new Path(file.path());
      FileSystem fs = p.getFileSystem(hadoop);
      in = fs.open(p);
    } catch (IOException | RuntimeException e) {
      return single(IngestItem.reject(source, file.relative(), UNREADABLE, String.valueOf(e)));
    }
    try {
      switch (kind) {
        case WARC:
          return closing(new WarcRecords(file, in, this, urls), in);
        case JSONL:
          return closing(new JsonlLines(file, decompress(file, in)), in);
        default:
          try (InputStream body = decompress(file, in)) {
            return single(readWhole(kind, source, file, body));
          }
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(in);
      String reason = e instanceof java.io.EOFException || String.valueOf(e).contains("Unexpected end")
          ? TRUNCATED : "corrupt file";
      return single(IngestItem.reject(source, file.relative(), reason, String.valueOf(e)));
    }
  }

  private IngestItem readWhole(FileKind kind, String source, InputFile file, InputStream in) throws IOException {
    Timestamp modified = new Timestamp(file.modifiedMillis());
    Map<String, String> meta = new HashMap<>();
    meta.put("path", file.relative());
    if (kind == FileKind.DOCUMENT) {
      if (file.size() > limits.maxDocumentBytes()) {
        return IngestItem.reject(source, file.relative(), OVERSIZED, file.size() + " bytes");
      }
      return tikaDocument(source, file.relative(), null, modified, in, fileName(file), meta);
    }
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limits.maxDocumentBytes() + 1));
    if (bytes.length > limits.maxDocumentBytes()) {
      return IngestItem.reject(source, file.relative(), OVERSIZED, "over " + limits.maxDocumentBytes() + " bytes");
    }
    if (kind == FileKind.HTML) {
      return fromBytes(source, file.relative(), null, modified, "text/html", bytes, null, meta);
    }
    return fromBytes(source, file.relative(), null, modified, "text/plain", bytes, null, meta);
  }

  /** A web payload (or HTML file) by its content type: HTML extractor, plain text, or Tika. */
  IngestItem fromBytes(String source, String locator, String url, Timestamp fetchedAt, String contentType,
      byte[] bytes, String baseUrl, Map<String, String> meta) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    boolean textual = type.isEmpty() || type.contains("html") || type.contains("xml") || type.startsWith("text/");
    if (textual && TextChecks.looksBinary(bytes, limits)) {
      return IngestItem.reject(source, locator, TextChecks.BINARY_JUNK, new String(bytes, 0,
          Math.min(bytes.length, 200), java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    if (type.isEmpty() || type.contains("html") || type.contains("xml")) {
      HtmlPages.Page page = html.read(bytes, contentType, baseUrl);
      meta.putAll(page.meta());
      return textDocument(source, locator, url, fetchedAt, "text/html", page.text(), meta);
    }
    if (type.startsWith("text/plain")) {
      return textDocument(source, locator, url, fetchedAt, "text/plain", HtmlDecoder.decode(bytes, contentType).text(),
          meta);
    }
    if (type.startsWith("application/pdf") || type.contains("officedocument") || type.contains("msword")
        || type.contains("opendocument") || type.contains("epub") || type.contains("rtf")) {
      return tikaDocument(source, locator, url, fetchedAt, new ByteArrayInputStream(bytes), locator, meta);
    }
    return IngestItem.reject(source, locator, "unsupported content type", contentType + " " + locator);
  }

  private IngestItem tikaDocument(String source, String locator, String url, Timestamp fetchedAt, InputStream in,
      String name, Map<String, String> meta) {
    if (tika == null) {
      tika = new TikaDocumentParser(limits.parseTimeoutMillis(), limits.parseHeapShare(), limits.maxTextChars());
    }
    TikaDocumentParser.Parsed parsed = tika.parse(in, name);
    if (parsed.reason() != null) {
      return IngestItem.reject(source, locator, parsed.reason(), parsed.detail());
    }
    if (parsed.truncated()) {
      meta.put("truncated", "true");
    }
    String type = parsed.contentType() == null ? null : parsed.contentType().split(";")[0].trim();
    return textDocument(source, locator, url, fetchedAt, type, parsed.text(), meta);
  }

  /** Checks and cuts extracted text, then makes the document (or the reject saying why not). */
  IngestItem textDocument(String source, String locator, String url, Timestamp fetchedAt, String contentType,
      String text, Map<String, String> meta) {
    String cleaned = text == null ? null : text.strip();
    String problem = TextChecks.problem(cleaned, limits);
    if (problem != null) {
      return IngestItem.reject(source, locator, problem, cleaned);
    }
    String cut = TextChecks.cut(cleaned, limits);
    if (cut.length() < cleaned.length()) {
      meta.put("truncated", "true");
    }
    return IngestItem.document(source, locator, url, fetchedAt, contentType, cut, meta);
  }

  /** One JSON object per line with a {@code text} field and optional {@code url} and {@code id}. */
  private final class JsonlLines implements Iterator<IngestItem> {
    private final InputFile file;
    private final BufferedReader lines;
    private final Timestamp modified;
    private IngestItem next;
    private boolean done;
    private int lineNo;
    private boolean lineTooLong;

    JsonlLines(InputFile file, InputStream in) {
      this.file = file;
      this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      this.modified = new Timestamp(file.modifiedMillis());
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
      return item;
    }

    /**
     * The next line without its terminator, or null at the end. A line longer than ingest.max-document-bytes
     * characters is read past, not held (memory stays bounded): {@code lineTooLong} is set and only its start
     * is returned, for the reject's excerpt.
     */
    private String readBoundedLine() throws IOException {
      int c = lines.read();
      if (c == -1) {
        return null;
      }
      StringBuilder b = new StringBuilder();
      lineTooLong = false;
      for (; c != -1 && c != '\n'; c = lines.read()) {
        if (lineTooLong) {
          continue;
        }
        if (b.length() >= limits.maxDocumentBytes()) {
          lineTooLong = true;
          b.setLength(Rejects.EXCERPT_CHARS);
        } else {
          b.append((char) c);
        }
      }
      int end = b.length();
      return end > 0 && b.charAt(end - 1) == '\r' ? b.substring(0, end - 1) : b.toString();
    }

    private IngestItem advance() {
      String line;
      try {
        line = readBoundedLine();
      } catch (IOException e) {
        done = true;
        return IngestItem.reject("jsonl", file.relative(), WarcRecords.truncationReason(e),
            "after line " + lineNo + ": " + e);
      }
      if (line == null) {
        done = true;
        return null;
      }
      lineNo++;
      String locator = file.relative() + ":" + lineNo;
      if (lineTooLong) {
        return IngestItem.reject("jsonl", locator, OVERSIZED, line);
      }
      if (line.isBlank()) {
        return null;
      }
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (IOException e) {
        return IngestItem.reject("jsonl", locator, "malformed JSON line", line);
      }
      JsonNode text = node == null ? null : node.get("text");
      if (text == null || !text.isTextual()) {
        return IngestItem.reject("jsonl", locator, "JSONL line without a text field", line);
      }
      String url = node.hasNonNull("url") ? urls.normalize(node.get("url").asText()) : null;
      if (url != null) {
        locator = url;
      } else if (node.hasNonNull("id")) {
        locator = file.relative() + "#" + node.get("id").asText();
      }
      Map<String, String> meta = new HashMap<>();
      meta.put("path", file.relative());
      meta.put("line", Integer.toString(lineNo));
      if (node.hasNonNull("id")) {
        meta.put("id", node.get("id").asText());
      }
      return textDocument("jsonl", locator, url, modified, "text/plain", text.asText(), meta);
    }
  }

  private static InputStream decompress(InputFile file, InputStream in) throws IOException {
    return FileKind.gzipped(file.path()) ? new GZIPInputStream(in, 65536) : in;
  }

  private static String sourceOf(FileKind kind) {
    return switch (kind) {
      case WARC -> "warc";
      case HTML -> "html";
      case TEXT -> "text";
      case JSONL -> "jsonl";
      case DOCUMENT -> "document";
    };
  }

  private static String fileName(InputFile file) {
    String p = file.path();
    return p.substring(p.lastIndexOf('/') + 1);
  }

  private static Iterator<IngestItem> single(IngestItem item) {
    return Collections.singletonList(item).iterator();
  }

  /** Closes {@code in} once {@code items} is exhausted. */
  private static Iterator<IngestItem> closing(Iterator<IngestItem> items, InputStream in) {
    return new Iterator<>() {
      private boolean closed;

      @Override
      public boolean hasNext() {
        boolean more = items.hasNext();
        if (!more && !closed) {
          closed = true;
          closeQuietly(in);
        }
        return more;
      }

      @Override
      public IngestItem next() {
        return items.next();
      }
    };
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing left to read from it either way
    }
  }

  @Override
  public void close() {
    if (tika != null) {
      tika.close();
    }
  }
}
