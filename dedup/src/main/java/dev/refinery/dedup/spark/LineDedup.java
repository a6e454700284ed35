package dev.refinery.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.xxhash64;

import dev.refinery.dedup.lines.RepeatedLines;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark adapter of {@link RepeatedLines}: counts in how many distinct texts each line occurs (exact copies of
 * a document count once, so duplicated documents do not erase themselves) and removes the lines seen in
 * more than {@code maxOccurrences} of them. Counting is a shuffle. The frequent lines' keys, when there are up
 * to {@link #BROADCAST_KEYS} of them (boilerplate is a few lines repeated across many texts), go to the driver
 * and are broadcast: every text is edited where it lies, its lines split and keyed once instead of twice, and
 * no line row is shuffled back to its document (a join, a group-by and a join of documents). Past that bound
 * matching is those joins, and nothing goes to the driver; the frequent keys, counted once for the probe, stay
 * cached for the joins until {@link Result#release()}.
 */
public final class LineDedup {
  private static final StructType LINE_SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("text_id", DataTypes.LongType, false)
      .add("line_key", DataTypes.LongType, false);

  /** Frequent line keys up to which they are broadcast (a few MB as a hash set). */
  public static final int BROADCAST_KEYS = 100_000;

  private LineDedup() {}

  /**
   * The edited documents ({@code text} edited, a {@code lines_removed} column), and what is cached for them:
   * release it once they are materialized.
   */
  public record Result(Dataset<Row> docs, Dataset<Row> cached) {
    public void release() {
      if (cached != null) {
        cached.unpersist();
      }
    }
  }

  /** @param docs doc_id, text and any other columns */
  public static Result apply(Dataset<Row> docs, int maxOccurrences) {
    return apply(docs, maxOccurrences, BROADCAST_KEYS);
  }

  /** As {@link #apply(Dataset, int)}, broadcasting the frequent keys when there are at most {@code broadcastKeys}. */
  public static Result apply(Dataset<Row> docs, int maxOccurrences, int broadcastKeys) {
    FlatMapFunction<Row, Row> lines = r -> {
      List<Row> out = new ArrayList<>();
      for (Long k : RepeatedLines.keys(r.getString(2))) {
        out.add(RowFactory.create(r.getString(0), r.getLong(1), k));
      }
      return out.iterator();
    };
    Dataset<Row> docLines = docs.select(col("doc_id"), xxhash64(col("text")).as("text_id"), col("text"))
        .flatMap(lines, Encoders.row(LINE_SCHEMA));
    Dataset<Row> frequent = docLines.select("text_id", "line_key").distinct()
        .groupBy("line_key").agg(count("*").as("texts"))
        .where(col("texts").gt(maxOccurrences)).select(col("line_key").as("f_key"));
    if (broadcastKeys > 0) {
      frequent = frequent.persist(); // the probe counts every line; past the bound the joins read the same keys
      List<Row> few = frequent.limit(broadcastKeys + 1).collectAsList();
      if (few.size() <= broadcastKeys) {
        frequent.unpersist();
        Set<Long> keys = new HashSet<>();
        few.forEach(r -> keys.add(r.getLong(0)));
        Broadcast<Set<Long>> shared = new JavaSparkContext(docs.sparkSession().sparkContext()).broadcast(keys);
        return new Result(edited(docs, docs.schema().size(), r -> shared.value()), null);
      }
    }
    Dataset<Row> removals = docLines.join(frequent, col("line_key").equalTo(col("f_key")))
        .groupBy(col("doc_id").as("r_doc_id")).agg(collect_set("line_key").as("remove"));
    Dataset<Row> joined = docs.join(removals, col("doc_id").equalTo(col("r_doc_id")), "left");
    int width = docs.schema().size();
    return new Result(edited(joined, width, r -> r.isNullAt(width + 1) ? null
        : new HashSet<>(r.<Long>getList(width + 1))), broadcastKeys > 0 ? frequent : null);
  }

  /**
   * The first {@code width} columns of {@code rows} (a docs row, text edited) and {@code lines_removed};
   * {@code remove} gives the line keys to take out of a row's text (null: none).
   */
  private static Dataset<Row> edited(Dataset<Row> in, int width, Function<Row, Set<Long>> remove) {
    StructType outSchema = new StructType(Arrays.copyOf(in.schema().fields(), width))
        .add("lines_removed", DataTypes.IntegerType, false);
    int textIdx = in.schema().fieldIndex("text");
    MapPartitionsFunction<Row, Row> edit = rows -> {
      List<Row> out = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        Object[] values = new Object[width + 1];
        for (int i = 0; i < width; i++) {
          values[i] = r.get(i);
        }
        Set<Long> set = remove.call(r);
        int removed = 0;
        if (set != null && !set.isEmpty() && r.getString(textIdx) != null) {
          RepeatedLines.Edit e = RepeatedLines.remove(r.getString(textIdx), set);
          values[textIdx] = e.text();
          removed = e.linesRemoved();
        }
        values[width] = removed;
        out.add(RowFactory.create(values));
      }
      return out.iterator();
    };
    return in.mapPartitions(edit, Encoders.row(outSchema));
  }
}
