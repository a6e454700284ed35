package dev.refinery.train.shards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The side record of a shard saying which document each token came from: one JSON line per span, in token order,
 * with the token offset in the shard where the span starts, the document's id, domain and language, and whether
 * it continues a document begun in the previous shard. A span runs to the next one's offset (or the shard's end)
 * and ends with the document's end-of-text token. The shard file itself is unchanged, so trainers never read
 * this; evaluation uses it to break validation scores down by domain and language.
 */
public final class DocumentSpans {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".spans.jsonl";

  /** Where a document's tokens start in a shard ({@code continued}: the document began in the previous shard). */
  public record Span(long offset, String docId, String domain, String language, boolean continued) {}

  /** Tokens [from, to) of one sequence that belong to {@code span}'s document. */
  public record Piece(int from, int to, Span span) {}

  private DocumentSpans() {}

  /** The side record of the shard at {@code shardPath}. */
  public static String pathOf(String shardPath) {
    return shardPath.replaceFirst("\\.bin$", "") + SUFFIX;
  }

  /** Writes the spans of a shard (replacing the file, atomically as {@link ShardFiles#write} does). */
  public static void write(FileSystem fs, Path path, String attempt, List<Span> spans) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Span s : spans) {
      ObjectNode o = JSON.createObjectNode().put("offset", s.offset()).put("doc_id", s.docId())
          .put("domain", s.domain()).put("language", s.language());
      if (s.continued()) {
        o.put("continued", true);
      }
      b.append(JSON.writeValueAsString(o)).append('\n');
    }
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    ShardFiles.writeAtomically(fs, path, attempt, out -> out.write(bytes));
  }

  public static List<Span> read(FileSystem fs, Path path) throws IOException {
    List<Span> out = new ArrayList<>();
    try (FSDataInputStream in = fs.open(path);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode o = JSON.readTree(line);
        out.add(new Span(o.path("offset").asLong(), o.path("doc_id").asText(null), o.path("domain").asText(),
            o.path("language").asText(), o.path("continued").asBoolean(false)));
      }
    }
    return out;
  }

  /**
   * The pieces of sequence {@code index} (tokens [index * length, (index + 1) * length) of the shard), in order;
   * {@code spans} as {@link #read} returns them (offsets ascending, the first at 0).
   */
  public static List<Piece> pieces(List<Span> spans, long index, int length) {
    long start = index * length;
    long end = start + length;
    int lo = 0;
    int hi = spans.size() - 1;
    while (lo < hi) { // the last span starting at or before the sequence
      int mid = (lo + hi + 1) >>> 1;
      if (spans.get(mid).offset() <= start) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    List<Piece> out = new ArrayList<>();
    for (int i = lo; i < spans.size() && spans.get(i).offset() < end; i++) {
      long from = Math.max(spans.get(i).offset(), start);
      long to = Math.min(i + 1 < spans.size() ? spans.get(i + 1).offset() : end, end);
      if (from < to) {
        out.add(new Piece((int) (from - start), (int) (to - start), spans.get(i)));
      }
    }
    return out;
  }
}
