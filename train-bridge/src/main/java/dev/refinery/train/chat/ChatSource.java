package dev.refinery.train.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.RefineryException;
import dev.refinery.core.text.JsonRecords;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Chat training records from JSON/JSONL files (gzipped or not, read by core's {@link JsonRecords}) or from a warehouse table, read on the driver
 * (instruction and preference sets are small next to pretraining corpora). Every record that does not parse
 * becomes a reject with its reason; the run carries on with the rest.
 */
public final class ChatSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What was read and what was turned away. */
  public record Loaded<T>(List<T> records, List<Rejected> rejects) {}

  /** A record that could not be used: its id, where it came from, why, and its start. */
  public record Rejected(String id, String source, String reason, String excerpt) {}

  private ChatSource() {}

  /** Every record of every file; ids are {@code FILE_NAME#INDEX}. */
  public static <T> Loaded<T> files(List<String> paths, BiFunction<String, JsonNode, T> parse) {
    List<T> records = new ArrayList<>();
    List<Rejected> rejects = new ArrayList<>();
    for (String path : paths) {
      String name = Path.of(path).getFileName().toString();
      List<JsonRecords.Entry> entries;
      try {
        entries = JsonRecords.entries(Path.of(path));
      } catch (IOException e) {
        throw new RefineryException("cannot read training file " + path + ": " + e.getMessage());
      }
      for (JsonRecords.Entry e : entries) {
        String id = e.index() < 0 ? name : name + "#" + e.index();
        if (e.ok()) {
          add(id, path, e.value(), e.raw(), parse, records, rejects);
        } else {
          rejects.add(new Rejected(id, path, e.problem(), Rejects.excerpt(e.raw())));
        }
      }
    }
    return new Loaded<>(records, rejects);
  }

  /** Rows of a table (this run's, or all with {@code allRuns}), each as its JSON; ids from the id column. */
  public static <T> Loaded<T> table(Warehouse wh, String table, String runId, boolean allRuns,
      BiFunction<String, JsonNode, T> parse) {
    if (!wh.exists(table)) {
      throw new RefineryException("table '" + table + "' is not in warehouse " + wh.root()
          + "; run the stage that writes it (synth) or give JSON files in the trainer's `files` setting");
    }
    Dataset<Row> rows = allRuns ? wh.read(table) : wh.readRun(table, runId);
    boolean hasId = Arrays.asList(rows.columns()).contains("id");
    List<T> records = new ArrayList<>();
    List<Rejected> rejects = new ArrayList<>();
    int i = 0;
    for (Row row : rows.collectAsList()) {
      String json = row.json();
      String id = hasId && !row.isNullAt(row.fieldIndex("id")) ? row.getString(row.fieldIndex("id")) : table + "#" + i;
      try {
        add(id, table, JSON.readTree(json), json, parse, records, rejects);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("Spark wrote unreadable JSON for a row of " + table, e);
      }
      i++;
    }
    if (records.isEmpty()) {
      throw new RefineryException("table '" + table + "' has no usable rows" + (allRuns ? "" : " for run '" + runId
          + "' (set all-runs = true to read every run)") + "; rejected: " + rejects.size());
    }
    return new Loaded<>(records, rejects);
  }

  private static <T> void add(String id, String source, JsonNode node, String raw, BiFunction<String, JsonNode, T> parse,
      List<T> records, List<Rejected> rejects) {
    try {
      records.add(parse.apply(id, node));
    } catch (IllegalArgumentException e) {
      rejects.add(new Rejected(id, source, e.getMessage(), Rejects.excerpt(raw)));
    }
  }

  /** Writes the rejects of (run, stage) to the rejects table (also when there are none, replacing older ones). */
  public static void writeRejects(Warehouse wh, String runId, String stage, List<Rejected> rejects) {
    List<Row> rows = rejects.stream().map(r -> RowFactory.create(r.id(), r.source(), r.reason(), r.excerpt())).toList();
    Rejects.write(wh, runId, stage, wh.spark().createDataFrame(rows, Rejects.SCHEMA));
  }
}
