package dev.refinery.quality.classifier;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;

import dev.refinery.core.RefineryException;
import dev.refinery.core.warehouse.Warehouse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads example texts for one class: warehouse tables (their {@code text} column), JSON-lines files (field
 * {@code text}, else {@code raw_content}), or text files with one example per line; fastText-style lines
 * ({@code __label__X words}) count only when X is this class's label. Folders are read recursively.
 */
public final class LabelledExamples {
  private static final String FASTTEXT_LABEL = "__label__";

  private LabelledExamples() {}

  public static Dataset<Row> read(SparkSession spark, Warehouse warehouse, List<String> sources, String label) {
    Dataset<Row> all = null;
    for (String s : sources) {
      Dataset<Row> one = warehouse.exists(s) ? warehouse.read(s).select(col("text")) : readPath(spark, s, label);
      all = all == null ? one : all.union(one);
    }
    if (all == null) {
      throw new RefineryException("no examples configured for class '" + label
          + "'; set quality.classifier.train.good and .bad to tables or paths");
    }
    return all.where(length(col("text")).gt(0));
  }

  private static Dataset<Row> readPath(SparkSession spark, String path, String label) {
    List<String> jsonl = new ArrayList<>();
    List<String> text = new ArrayList<>();
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new RefineryException("examples " + path + " is neither a warehouse table nor an existing path");
      }
      collect(fs, p, jsonl, text);
    } catch (IOException e) {
      throw new RefineryException("cannot read examples " + path + ": " + e.getMessage());
    }
    Dataset<Row> out = spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType()
        .add("text", "string"));
    if (!jsonl.isEmpty()) {
      Dataset<Row> j = spark.read().json(jsonl.toArray(new String[0]));
      String field = Arrays.asList(j.columns()).contains("text") ? "text" : "raw_content";
      out = out.union(j.select(col(field).cast("string").as("text")));
    }
    if (!text.isEmpty()) {
      String prefix = FASTTEXT_LABEL + label + " ";
      Dataset<String> lines = spark.read().textFile(text.toArray(new String[0]));
      Dataset<String> kept = lines.flatMap(
          (org.apache.spark.api.java.function.FlatMapFunction<String, String>) line -> {
            if (!line.startsWith(FASTTEXT_LABEL)) {
              return List.of(line).iterator();
            }
            return line.startsWith(prefix) ? List.of(line.substring(prefix.length())).iterator()
                : java.util.Collections.emptyIterator();
          }, Encoders.STRING());
      out = out.union(kept.toDF("text"));
    }
    return out;
  }

  private static void collect(FileSystem fs, Path p, List<String> jsonl, List<String> text) throws IOException {
    FileStatus st = fs.getFileStatus(p);
    if (st.isDirectory()) {
      for (FileStatus c : fs.listStatus(p)) {
        collect(fs, c.getPath(), jsonl, text);
      }
      return;
    }
    String name = p.getName();
    if (name.endsWith(".jsonl") || name.endsWith(".json")) {
      jsonl.add(p.toString());
    } else if (name.endsWith(".txt")) {
      text.add(p.toString());
    }
  }
}
