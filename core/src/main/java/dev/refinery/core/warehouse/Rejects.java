package dev.refinery.core.warehouse;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code rejects} table: every input a stage could not process, with a reason a person understands and
 * a short excerpt, so that nothing bad in the input is lost silently.
 */
public final class Rejects {
  public static final String TABLE = "rejects";
  public static final int EXCERPT_CHARS = 200;

  /** What a stage hands to {@link #write}; {@code stage} and {@code run_id} are added. */
  public static final StructType SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType, true)
      .add("source", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, false)
      .add("excerpt", DataTypes.StringType, true);

  private Rejects() {}

  /** Replaces the rejects of (run, stage) with {@code rows} (columns as in {@link #SCHEMA}). */
  public static void write(Warehouse warehouse, String runId, String stage, Dataset<Row> rows) {
    warehouse.writeKeyed(rows.select("doc_id", "source", "reason", "excerpt"), TABLE,
        Map.of(Warehouse.RUN_ID, runId, "stage", stage));
  }

  /** The first {@link #EXCERPT_CHARS} characters, control characters replaced, for the excerpt column. */
  public static String excerpt(String s) {
    if (s == null) {
      return null;
    }
    String cut = s.length() > EXCERPT_CHARS ? s.substring(0, EXCERPT_CHARS) : s;
    StringBuilder b = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      b.append(Character.isISOControl(c) && c != '\n' && c != '\t' ? '\uFFFD' : c);
    }
    return b.toString();
  }
}
