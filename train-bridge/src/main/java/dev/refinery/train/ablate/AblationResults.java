package dev.refinery.train.ablate;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.warehouse.Warehouse;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code ablation_results} table: one row per (ablation, variant), keyed by run_id (the ablation's name)
 * and variant; {@code settings} is the fingerprint of what produced the row, so a re-run knows it is done.
 */
public final class AblationResults {
  public static final String TABLE = "ablation_results";
  public static final String VARIANT = "variant";
  static final StructType SCHEMA = new StructType()
      .add("variant_run", DataTypes.StringType, false)
      .add("settings", DataTypes.StringType, false)
      .add("tokens", DataTypes.LongType, false)
      .add("train_loss", DataTypes.DoubleType, true)
      .add("val_loss", DataTypes.DoubleType, true)
      .add("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
      .add("finished_at", DataTypes.TimestampType, false);

  /** One variant's outcome; {@code metrics} holds the held-out evaluation, keyed {@code task/metric}. */
  public record Result(String variant, String variantRun, String settings, long tokens, double trainLoss,
      double valLoss, Map<String, Double> metrics) {}

  private AblationResults() {}

  static void write(Warehouse wh, String ablation, Result r) {
    Row row = RowFactory.create(r.variantRun(), r.settings(), r.tokens(), nullIfNaN(r.trainLoss()),
        nullIfNaN(r.valLoss()), new TreeMap<>(r.metrics()), new Timestamp(System.currentTimeMillis()));
    wh.writeKeyed(wh.spark().createDataFrame(List.of(row), SCHEMA), TABLE,
        Map.of(Warehouse.RUN_ID, ablation, VARIANT, r.variant()));
  }

  /** The stored result of a variant, if it was produced with these settings. */
  static Optional<Result> find(Warehouse wh, String ablation, String variant, String settings) {
    if (!wh.exists(TABLE)) {
      return Optional.empty();
    }
    List<Row> rows = wh.readRun(TABLE, ablation).where(col(VARIANT).equalTo(variant).and(col("settings").equalTo(settings)))
        .collectAsList();
    return rows.stream().findFirst().map(AblationResults::result);
  }

  /** Every variant's result of an ablation, by variant name. */
  public static List<Result> read(Warehouse wh, String ablation) {
    List<Result> out = new ArrayList<>();
    if (wh.exists(TABLE)) {
      wh.readRun(TABLE, ablation).orderBy(VARIANT).collectAsList().forEach(r -> out.add(result(r)));
    }
    return out;
  }

  private static Result result(Row r) {
    Map<String, Double> metrics = new TreeMap<>(r.<String, Double>getJavaMap(r.fieldIndex("metrics")));
    return new Result(r.getString(r.fieldIndex(VARIANT)), r.getString(r.fieldIndex("variant_run")),
        r.getString(r.fieldIndex("settings")), r.getLong(r.fieldIndex("tokens")), orNaN(r, "train_loss"),
        orNaN(r, "val_loss"), metrics);
  }

  /** The table's columns: variant, tokens, losses, then one column per evaluation metric (union over variants). */
  public static List<String> header(List<Result> results) {
    List<String> h = new ArrayList<>(List.of(VARIANT, "tokens", "train_loss", "val_loss"));
    TreeSet<String> metrics = new TreeSet<>();
    results.forEach(r -> metrics.addAll(r.metrics().keySet()));
    h.addAll(metrics);
    return h;
  }

  /** The cells of {@link #header}, numbers with four decimals ("" where a variant has no such metric). */
  public static List<List<String>> cells(List<Result> results) {
    List<String> header = header(results);
    List<List<String>> rows = new ArrayList<>();
    for (Result r : results) {
      Map<String, String> cells = new LinkedHashMap<>();
      cells.put(VARIANT, r.variant());
      cells.put("tokens", String.valueOf(r.tokens()));
      cells.put("train_loss", number(r.trainLoss()));
      cells.put("val_loss", number(r.valLoss()));
      r.metrics().forEach((k, v) -> cells.put(k, number(v)));
      rows.add(header.stream().map(k -> cells.getOrDefault(k, "")).toList());
    }
    return rows;
  }

  /** A plain-text table with aligned columns, for the console and the README. */
  public static String text(List<Result> results) {
    List<String> header = header(results);
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    rows.addAll(cells(results));
    int[] width = new int[header.size()];
    rows.forEach(row -> {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    });
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      List<String> padded = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        padded.add(String.format(i == 0 ? "%-" + width[i] + "s" : "%" + width[i] + "s", row.get(i)));
      }
      sb.append(String.join(" | ", padded).stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : String.format("%.4f", v);
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static double orNaN(Row r, String column) {
    int i = r.fieldIndex(column);
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }
}
