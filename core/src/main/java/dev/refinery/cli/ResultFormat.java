package dev.refinery.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import dev.refinery.core.RefineryException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How {@code refinery sql} writes a result: {@code table} (a look: cells cut at 60 characters), {@code csv}
 * (RFC 4180, nested values as JSON), {@code json} (JSON Lines) or {@code parquet} (a folder, needs --out).
 */
enum ResultFormat {
  TABLE, CSV, JSON, PARQUET;

  static final int TABLE_LIMIT = 20;
  private static final int CELL_CHARS = 60;

  static ResultFormat parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RefineryException("sql --format " + name + " is unknown; use table, csv, json or parquet");
    }
  }

  /** Rows shown when no --limit is given: 20 for a table, all for the others. */
  Integer defaultLimit() {
    return this == TABLE ? TABLE_LIMIT : null;
  }

  /** Writes {@code rows} to {@code out} (parquet: to the folder {@code path}). */
  void write(Dataset<Row> rows, PrintStream out, String path) {
    switch (this) {
      case TABLE -> table(rows, out);
      case CSV -> csv(rows, out);
      case JSON -> rows.toJSON().toLocalIterator().forEachRemaining(out::println);
      case PARQUET -> rows.write().mode("overwrite").parquet(path);
    }
  }

  private static void table(Dataset<Row> rows, PrintStream out) {
    out.println(String.join(" | ", rows.columns()));
    for (Iterator<Row> it = rows.toLocalIterator(); it.hasNext(); ) {
      Row r = it.next();
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        String v = String.valueOf(r.get(i)).replace('\n', ' ');
        cells.add(v.length() > CELL_CHARS ? v.substring(0, CELL_CHARS - 3) + "..." : v);
      }
      out.println(String.join(" | ", cells));
    }
  }

  private static void csv(Dataset<Row> rows, PrintStream out) {
    List<Column> flat = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      boolean nested = f.dataType() instanceof StructType || f.dataType() instanceof ArrayType
          || f.dataType() instanceof MapType;
      flat.add(nested ? to_json(col(f.name())).as(f.name()) : col(f.name()));
    }
    Dataset<Row> cells = rows.select(flat.toArray(Column[]::new));
    out.print(csvLine(List.of(cells.columns())));
    for (Iterator<Row> it = cells.toLocalIterator(); it.hasNext(); ) {
      Row r = it.next();
      List<String> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        values.add(r.isNullAt(i) ? "" : String.valueOf(r.get(i)));
      }
      out.print(csvLine(values));
    }
  }

  /** One RFC 4180 record: fields with a comma, quote or line break are quoted, quotes doubled. */
  static String csvLine(List<String> fields) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      String f = fields.get(i);
      if (i > 0) {
        b.append(',');
      }
      if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
        b.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        b.append(f);
      }
    }
    return b.append("\r\n").toString();
  }
}
