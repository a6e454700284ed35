package dev.refinery.mixing.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.refinery.core.Document;
import dev.refinery.mixing.plan.CellPlan;
import dev.refinery.mixing.plan.MixturePlan;
import dev.refinery.mixing.plan.MixturePlanner;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Deterministic sampling: each document's place in its cell is a seeded hash of (source, doc_id); a cell
 * is down-sampled by keeping the hash buckets below its cutoff, and up-sampled by repeating every document
 * whole (repeat = 0, 1, ...) before that partial epoch. Same seed and input, same rows.
 */
public final class MixtureSampler {
  public static final String BUCKET = "_bucket";
  public static final String REPEAT = "repeat";
  private static final String FULL = "_full_epochs";
  private static final String CUTOFF = "_cutoff";

  /** Columns of the {@code mixture} table (run_id is added by the warehouse). */
  public static final List<String> MIXTURE_COLUMNS = List.of(Document.DOC_ID, Document.SOURCE,
      SourceReader.SOURCE_TABLE, LabelAndCount.DOMAIN, LabelAndCount.DOMAIN_SOURCE, LabelAndCount.DOMAIN_SCORE,
      Document.LANG, Document.URL, LabelAndCount.TOKENS, REPEAT, Document.TEXT);

  private MixtureSampler() {}

  /** Adds the seeded hash bucket of every document. */
  public static Dataset<Row> withBuckets(Dataset<Row> labelled, long seed) {
    Column hash = xxhash64(lit(seed), col(Document.SOURCE), col(Document.DOC_ID));
    return labelled.withColumn(BUCKET, shiftrightunsigned(hash, MixturePlanner.BUCKET_SHIFT).cast(DataTypes.IntegerType));
  }

  /** The mixture rows the plan asks for. */
  public static Dataset<Row> sample(Dataset<Row> bucketed, MixturePlan plan, List<String> groupBy) {
    SparkSession spark = bucketed.sparkSession();
    StructType schema = new StructType();
    for (String c : groupBy) {
      schema = schema.add(c, DataTypes.StringType, false);
    }
    schema = schema.add(FULL, DataTypes.IntegerType, false).add(CUTOFF, DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>();
    for (CellPlan p : plan.cells()) {
      if (p.fullEpochs() > 0 || p.cutoffBucket() > 0) {
        List<Object> values = new ArrayList<>(p.cell());
        values.add(p.fullEpochs());
        values.add(p.cutoffBucket());
        rows.add(RowFactory.create(values.toArray()));
      }
    }
    Dataset<Row> planTable = spark.createDataFrame(rows, schema);
    Column repeats = col(FULL).plus(when(col(BUCKET).lt(col(CUTOFF)), 1).otherwise(0));
    return bucketed.join(broadcast(planTable), scala.jdk.javaapi.CollectionConverters.asScala(groupBy).toSeq())
        .withColumn("_repeats", repeats)
        .where(col("_repeats").gt(0))
        .withColumn(REPEAT, explode(sequence(lit(0), col("_repeats").minus(1))))
        .select(MIXTURE_COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  /** Orders cells by their values (stable report and plan order). */
  public static int compareCells(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
