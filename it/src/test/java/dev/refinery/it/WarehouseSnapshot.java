package dev.refinery.it;

import dev.refinery.core.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;

/**
 * The rows of one run in every table of a warehouse, as sorted strings, so two warehouses can be compared
 * table by table (a duplicate row shows up as a repeated string, a missing one as an absent string).
 * Columns that legitimately differ between two correct runs (wall-clock times, absolute paths of the
 * warehouse) are left out.
 */
record WarehouseSnapshot(Map<String, List<String>> rowsByTable) {
  /** Tables whose content is run bookkeeping rather than data: compared by their own checks. */
  static final Set<String> BOOKKEEPING = Set.of("stage_stats", "llm_cache");
  /** Columns holding times of writing or absolute locations. */
  static final Set<String> VOLATILE = Set.of(Warehouse.RUN_ID, "started_at", "duration_ms", "created_at",
      "written_at", "cached_at", "elapsed_ms",
      // Delta version of the input a stage read: more commits precede it in a warehouse that saw failed attempts
      "source_version");

  static WarehouseSnapshot of(SparkSession spark, String root, String runId) {
    Warehouse wh = new Warehouse(spark, root);
    Map<String, List<String>> out = new TreeMap<>();
    for (String t : wh.tables()) {
      if (BOOKKEEPING.contains(t)) {
        continue;
      }
      Dataset<Row> rows = wh.readRun(t, runId);
      List<Column> cols = new ArrayList<>();
      for (StructField f : rows.schema().fields()) {
        if (!VOLATILE.contains(f.name())) {
          cols.add(functions.col("`" + f.name() + "`"));
        }
      }
      Dataset<Row> kept = rows.select(cols.toArray(Column[]::new));
      List<String> lines = new ArrayList<>();
      for (Row r : kept.collectAsList()) {
        // paths under the warehouse (shard files) compare relative to it
        lines.add(render(r).replace(wh.root(), "<warehouse>"));
      }
      lines.sort(String::compareTo);
      out.put(t, lines);
    }
    return new WarehouseSnapshot(out);
  }

  /** doc_id values of one table (with repeats), sorted; empty when the table has no doc_id column. */
  static List<String> docIds(SparkSession spark, String root, String table, String runId) {
    Dataset<Row> rows = new Warehouse(spark, root).readRun(table, runId);
    if (!List.of(rows.columns()).contains("doc_id")) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (Row r : rows.select("doc_id").collectAsList()) {
      ids.add(r.getString(0));
    }
    ids.sort(java.util.Comparator.nullsFirst(String::compareTo));
    return ids;
  }

  private static String render(Row r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < r.length(); i++) {
      Object v = r.get(i);
      if (v instanceof scala.collection.Map<?, ?> m) {
        // map order is not part of the value
        TreeSet<String> entries = new TreeSet<>();
        m.foreach(e -> entries.add(String.valueOf(e)));
        v = entries;
      }
      b.append(i == 0 ? "" : " | ").append(r.schema().fields()[i].name()).append('=').append(v);
    }
    return b.toString();
  }
}
