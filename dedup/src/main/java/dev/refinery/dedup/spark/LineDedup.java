package dev.refinery.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.xxhash64;

import dev.refinery.dedup.lines.RepeatedLines;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark adapter of {@link RepeatedLines}: counts in how many distinct texts each line occurs (exact copies of
 * a document count once, so duplicated documents do not erase themselves) and removes the lines seen in
 * more than {@code maxOccurrences} of them. Counting and matching are joins; nothing goes to the driver.
 */
public final class LineDedup {
  private static final StructType LINE_SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("text_id", DataTypes.LongType, false)
      .add("line_key", DataTypes.LongType, false);

  private LineDedup() {}

  /**
   * @param docs doc_id, text and any other columns
   * @return the same rows with {@code text} edited and a {@code lines_removed} column
   */
  public static Dataset<Row> apply(Dataset<Row> docs, int maxOccurrences) {
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
    Dataset<Row> removals = docLines.join(frequent, col("line_key").equalTo(col("f_key")))
        .groupBy(col("doc_id").as("r_doc_id")).agg(collect_set("line_key").as("remove"));

    Dataset<Row> joined = docs.join(removals, col("doc_id").equalTo(col("r_doc_id")), "left");
    StructType outSchema = docs.schema().add("lines_removed", DataTypes.IntegerType, false);
    int textIdx = docs.schema().fieldIndex("text");
    int width = docs.schema().size();
    MapPartitionsFunction<Row, Row> edit = rows -> {
      List<Row> out = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        Object[] values = new Object[width + 1];
        for (int i = 0; i < width; i++) {
          values[i] = r.get(i);
        }
        List<Long> remove = r.isNullAt(width + 1) ? null : r.getList(width + 1);
        int removed = 0;
        if (remove != null && r.getString(textIdx) != null) {
          Set<Long> set = new HashSet<>(remove);
          RepeatedLines.Edit e = RepeatedLines.remove(r.getString(textIdx), set);
          values[textIdx] = e.text();
          removed = e.linesRemoved();
        }
        values[width] = removed;
        out.add(RowFactory.create(values));
      }
      return out.iterator();
    };
    return joined.mapPartitions(edit, Encoders.row(outSchema));
  }
}
