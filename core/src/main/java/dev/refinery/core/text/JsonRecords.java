package dev.refinery.core.text;

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

  /** The records of {@code file}; an {@link IOException} says what could not be read or parsed. */
  public static List<JsonNode> read(Path file) throws IOException {
    String text = text(file).strip();
    List<JsonNode> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    if (text.startsWith("[")) {
      JSON.readTree(text).forEach(out::add);
      return out;
    }
    try {
      for (String line : text.lines().filter(l -> !l.isBlank()).toList()) {
        out.add(JSON.readTree(line));
      }
    } catch (IOException notOnePerLine) {
      out.clear();
      out.add(JSON.readTree(text)); // one value spread over lines
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
