package dev.refinery.train.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.RefineryException;
import dev.refinery.core.text.JsonRecords;
import dev.refinery.core.warehouse.Rejects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The rows of a task's JSONL file, one per non-blank line: a row that is not JSON or lacks what the task needs
 * becomes a reject (doc_id {@code file:line}, the reason, an excerpt) and the others go on.
 */
final class TaskRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A usable row: its id ({@code file:line}) and what the parser made of it. */
  record Parsed<T>(String id, T value) {}

  private TaskRecords() {}

  /** Stops with one line when the file cannot be read (checked before anything is written). */
  static void checkReadable(String file, String task) {
    if (!Files.isRegularFile(Path.of(file))) {
      throw new RefineryException("eval.tasks." + task + ": no such file " + file);
    }
  }

  /**
   * Parses each line with {@code parse}, which returns the value or throws {@link IllegalArgumentException} with
   * the reason; rejects are added to {@code rejects} (rows of {@link Rejects#SCHEMA}).
   */
  static <T> List<Parsed<T>> read(String file, Function<JsonNode, T> parse, List<Row> rejects) {
    String text;
    try {
      text = JsonRecords.text(Path.of(file));
    } catch (IOException e) {
      throw new RefineryException("cannot read " + file + ": " + e.getMessage());
    }
    List<Parsed<T>> out = new ArrayList<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String id = file + ":" + (i + 1);
      try {
        out.add(new Parsed<>(id, parse.apply(JSON.readTree(line))));
      } catch (IOException e) {
        rejects.add(RowFactory.create(id, file, "bad_json", Rejects.excerpt(line)));
      } catch (IllegalArgumentException e) {
        rejects.add(RowFactory.create(id, file, e.getMessage(), Rejects.excerpt(line)));
      }
    }
    return out;
  }

  /** A required string field. */
  static String string(JsonNode row, String field) {
    JsonNode v = row.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing_" + field);
    }
    return v.asText();
  }

  /** An optional string field ("unknown" when absent), for breakdowns. */
  static String label(JsonNode row, String field) {
    JsonNode v = row.get(field);
    return v == null || !v.isTextual() || v.asText().isBlank() ? "unknown" : v.asText();
  }
}
