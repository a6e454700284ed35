package dev.refinery.dedup.decont;

import dev.refinery.core.decont.ContaminationIndex;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Spark adapter of {@link ContaminationIndex}: the index is broadcast once, documents are checked in place. */
public final class ContaminatedDocuments {
  private ContaminatedDocuments() {}

  /** The rows of {@code docs} (with a {@code text} column) that share an n-gram with an evaluation set. */
  public static Dataset<Row> contaminated(Dataset<Row> docs, ContaminationIndex index) {
    Broadcast<ContaminationIndex> shared = new org.apache.spark.api.java.JavaSparkContext(
        docs.sparkSession().sparkContext()).broadcast(index);
    int textIdx = docs.schema().fieldIndex("text");
    return docs.filter((FilterFunction<Row>) r -> shared.value().contaminates(r.getString(textIdx)));
  }
}
