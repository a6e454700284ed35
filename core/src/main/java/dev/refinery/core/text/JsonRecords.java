package dev.refinery.core.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The records of a JSON file: a JSON array (its elements), one JSON value (itself), or JSON Lines (one value
 * per non-blank line); gzip-compressed when the name ends in {@code .gz}. The one reader of such files, so
 * evaluation sets, seed tasks and prompt files accept the same formats.
 */
public final class JsonRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonRecords() {}

  /**
   * One record of a file, or why it could not be parsed: {@code index} is the element's position in a JSON
   * array or the line's (0-based, blank lines counted) in JSON Lines, -1 for a whole array that does not
   * parse; {@code raw} is the record's text.
   */
  public record Entry(int index, JsonNode value, String raw, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  /** The records of {@code file}; an {@link IOException} says what could not be read or parsed. */
  public static List<JsonNode> read(Path file) throws IOException {
    String text = text(file);
    List<Entry> entries = entries(text);
    Entry bad = entries.stream().filter(e -> !e.ok()).findFirst().orElse(null);
    if (bad == null) {
      return entries.stream().map(Entry::value).toList();
    }
    if (bad.index() < 0) {
      throw new IOException(bad.problem());
    }
    return List.of(JSON.readTree(text.strip())); // one value spread over lines, or an IOException saying why not
  }

  /**
   * The records of {@code file} one by one, each parsed or with its problem, so a caller can reject bad
   * records and keep the rest; an {@link IOException} only when the file cannot be read.
   */
  public static List<Entry> entries(Path file) throws IOException {
    return entries(text(file));
  }

  private static List<Entry> entries(String text) {
    List<Entry> out = new ArrayList<>();
    if (text.stripLeading().startsWith("[")) {
      try {
        JsonNode array = JSON.readTree(text);
        for (int i = 0; i < array.size(); i++) {
          out.add(new Entry(i, array.get(i), array.get(i).toString(), null));
        }
      } catch (JsonProcessingException e) {
        out.add(new Entry(-1, null, text, "invalid JSON array: " + e.getOriginalMessage()));
      }
      return out;
    }
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(new Entry(i, JSON.readTree(line), line, null));
      } catch (JsonProcessingException e) {
        out.add(new Entry(i, null, line, "invalid JSON line"));
      }
    }
    return out;
  }

  /** Every string value anywhere inside {@code node} (fields of objects, elements of arrays), in order. */
  public static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    collect(node, out);
    return out;
  }

  /** The file's text, gunzipped when its name ends in {@code .gz}. */
  public static String text(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isContainerNode()) {
      node.forEach(child -> collect(child, out));
    }
  }
}
