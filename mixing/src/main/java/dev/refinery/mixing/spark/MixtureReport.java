package dev.refinery.mixing.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.sum;

import dev.refinery.core.Document;
import dev.refinery.mixing.plan.CellPlan;
import dev.refinery.mixing.plan.MixturePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code mixture_report} table: per cell, target against achieved tokens (achieved counted from the
 * written mixture rows, so every number traces to rows); per source, the epochs taken; one total row. A cell
 * that missed its target says why in {@code reason}.
 */
public final class MixtureReport {
  public static final String TABLE = "mixture_report";
  public static final String CELL = "cell";
  public static final String SOURCE = "source";
  public static final String TOTAL = "total";

  public static final StructType SCHEMA = new StructType()
      .add("level", DataTypes.StringType, false)
      .add("key", DataTypes.StringType, false)
      .add("domain", DataTypes.StringType, true)
      .add("lang", DataTypes.StringType, true)
      .add("source", DataTypes.StringType, true)
      .add("available_docs", DataTypes.LongType, false)
      .add("available_tokens", DataTypes.LongType, false)
      .add("target_share", DataTypes.DoubleType, true)
      .add("target_tokens", DataTypes.DoubleType, true)
      .add("achieved_docs", DataTypes.LongType, false)
      .add("achieved_rows", DataTypes.LongType, false)
      .add("achieved_tokens", DataTypes.LongType, false)
      .add("achieved_share", DataTypes.DoubleType, true)
      .add("mixture_share", DataTypes.DoubleType, true)
      .add("epochs", DataTypes.DoubleType, true)
      .add("feasible", DataTypes.BooleanType, true)
      .add("reason", DataTypes.StringType, true);

  private MixtureReport() {}

  /**
   * The report rows (in {@link #SCHEMA}) from the plan, the source sizes and the mixture rows as written:
   * cells in plan order, then sources, then the total row last.
   */
  public static List<Row> build(Dataset<Row> mixture, MixturePlan plan,
      CellHistogram histogram, List<String> groupBy) {
    Map<List<String>, long[]> achievedCells = achieved(mixture, groupBy);
    Map<List<String>, long[]> achievedSources = achieved(mixture, List.of(Document.SOURCE));
    long totalTokens = achievedCells.values().stream().mapToLong(a -> a[2]).sum();
    long totalRows = achievedCells.values().stream().mapToLong(a -> a[1]).sum();
    long budget = plan.budgetTokens();
    List<Row> rows = new ArrayList<>();
    for (CellPlan p : plan.cells()) {
      long[] a = achievedCells.getOrDefault(p.cell(), new long[3]);
      rows.add(RowFactory.create(CELL, key(groupBy, p.cell()), value(groupBy, p.cell(), "domain"),
          value(groupBy, p.cell(), "lang"), value(groupBy, p.cell(), "source"), p.availableDocs(),
          p.availableTokens(), p.targetShare(), p.targetTokens(), a[0], a[1], a[2], ratio(a[2], budget),
          ratio(a[2], totalTokens), ratio(a[2], p.availableTokens()), p.feasible(), p.reason()));
    }
    histogram.sources().forEach((name, size) -> {
      long[] a = achievedSources.getOrDefault(List.of(name), new long[3]);
      rows.add(RowFactory.create(SOURCE, name, null, null, name, size.docs(), size.tokens(), null, null,
          a[0], a[1], a[2], ratio(a[2], budget), ratio(a[2], totalTokens), ratio(a[2], size.tokens()), null, null));
    });
    long availDocs = histogram.sources().values().stream().mapToLong(CellHistogram.SourceSize::docs).sum();
    long availTokens = histogram.sources().values().stream().mapToLong(CellHistogram.SourceSize::tokens).sum();
    long distinctDocs = achievedSources.values().stream().mapToLong(a -> a[0]).sum();
    rows.add(RowFactory.create(TOTAL, TOTAL, null, null, null, availDocs, availTokens, 1.0, (double) budget,
        distinctDocs, totalRows, totalTokens, ratio(totalTokens, budget), 1.0, ratio(totalTokens, availTokens),
        plan.budgetShortfall() == null, plan.budgetShortfall()));
    return rows;
  }

  /** Per key: distinct documents, rows, tokens. */
  private static Map<List<String>, long[]> achieved(Dataset<Row> mixture, List<String> keys) {
    Column[] by = keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Map<List<String>, long[]> out = new HashMap<>();
    for (Row r : mixture.groupBy(by).agg(countDistinct(col(Document.DOC_ID)), count("*"),
        sum(LabelAndCount.TOKENS)).collectAsList()) {
      List<String> k = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        k.add(r.getString(i));
      }
      int n = keys.size();
      out.put(k, new long[] {r.getLong(n), r.getLong(n + 1), r.isNullAt(n + 2) ? 0 : r.getLong(n + 2)});
    }
    return out;
  }

  static String key(List<String> groupBy, List<String> cell) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < groupBy.size(); i++) {
      b.append(i == 0 ? "" : ",").append(groupBy.get(i)).append('=').append(cell.get(i));
    }
    return b.toString();
  }

  private static String value(List<String> groupBy, List<String> cell, String column) {
    int i = groupBy.indexOf(column);
    return i < 0 ? null : cell.get(i);
  }

  private static Double ratio(long a, long b) {
    return b == 0 ? null : (double) a / b;
  }
}
