package dev.refinery.mixing.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import dev.refinery.core.Document;
import dev.refinery.mixing.plan.CellStats;
import dev.refinery.mixing.plan.MixturePlanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Tokens per (source, domain, lang, hash bucket), aggregated in Spark and collected (at most
 * cells x {@link MixturePlanner#BUCKETS} small rows): the sizes the planner works from, per cell and per
 * source.
 */
public final class CellHistogram {
  /** Documents and tokens of one source. */
  public record SourceSize(long docs, long tokens) {}

  private final List<CellStats> cells;
  private final Map<String, SourceSize> sources;

  private CellHistogram(List<CellStats> cells, Map<String, SourceSize> sources) {
    this.cells = cells;
    this.sources = sources;
  }

  public static CellHistogram of(Dataset<Row> bucketed, List<String> groupBy) {
    List<Row> rows = bucketed
        .groupBy(col(Document.SOURCE), col(LabelAndCount.DOMAIN), col(Document.LANG), col(MixtureSampler.BUCKET))
        .agg(count("*").as("docs"), sum(LabelAndCount.TOKENS).as("tokens"))
        .collectAsList();
    Map<List<String>, long[]> buckets = new TreeMap<>(MixtureSampler::compareCells);
    Map<List<String>, long[]> sizes = new LinkedHashMap<>();
    Map<String, SourceSize> sources = new TreeMap<>();
    for (Row r : rows) {
      List<String> cell = new ArrayList<>();
      for (String c : groupBy) {
        cell.add(r.getString(r.fieldIndex(c)));
      }
      long docs = r.getLong(4);
      long tokens = r.getLong(5);
      buckets.computeIfAbsent(cell, k -> new long[MixturePlanner.BUCKETS])[r.getInt(3)] += tokens;
      long[] size = sizes.computeIfAbsent(cell, k -> new long[2]);
      size[0] += docs;
      size[1] += tokens;
      sources.merge(r.getString(0), new SourceSize(docs, tokens),
          (a, b) -> new SourceSize(a.docs() + b.docs(), a.tokens() + b.tokens()));
    }
    List<CellStats> cells = new ArrayList<>();
    buckets.forEach((cell, b) -> cells.add(new CellStats(cell, sizes.get(cell)[0], sizes.get(cell)[1], b)));
    return new CellHistogram(cells, sources);
  }

  /** Every non-empty cell, in cell order. */
  public List<CellStats> cells() {
    return cells;
  }

  /** Sizes per source name. */
  public Map<String, SourceSize> sources() {
    return sources;
  }
}
