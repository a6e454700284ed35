package dev.refinery.bench;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.dedup.DedupSettings;
import dev.refinery.dedup.spark.DuplicateFinder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Time of the dedup engine (fingerprints, LSH buckets, connected components, representatives; default
 * settings) on planted corpora of 50k, 100k, 200k and 400k documents, and the exponent of the power-law fit
 * time ~ n^e (least squares on the logs). Input is cached before the clock starts; the output is forced
 * with Spark's no-op writer.
 */
public final class DedupScalingBenchmark implements Benchmark {
  @Override
  public String name() {
    return "dedup-scaling";
  }

  @Override
  public String description() {
    return "dedup engine time at 50k/100k/200k/400k documents and the exponent of the fit (goal <= 1.15)";
  }

  @Override
  public List<String> smoke() {
    return List.of("--sizes", "500,1000");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    List<String> keys = new java.util.ArrayList<>(List.of("exponent"));
    for (int size : sizes(args)) {
      keys.add("seconds_" + size);
    }
    return keys;
  }

  private static int[] sizes(List<String> args) {
    return args.contains("--sizes")
        ? java.util.Arrays.stream(args.get(args.indexOf("--sizes") + 1).split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {50_000, 100_000, 200_000, 400_000};
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int[] sizes = sizes(args);
    RefineryConfig config = RefineryConfig.load(List.of(), List.of("spark.log-level=ERROR"));
    SparkSession spark = SparkSessions.create(config, "bench-dedup-scaling");
    spark.conf().set("spark.sql.shuffle.partitions", "16");
    DuplicateFinder finder = new DuplicateFinder(DedupSettings.from(config));
    DedupCorpus source = new DedupCorpus();
    List<String> table = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    try {
      time(spark, finder, source, 20_000); // warm-up: JIT and Spark's first-job costs
      double[] logN = new double[sizes.length];
      double[] logT = new double[sizes.length];
      for (int i = 0; i < sizes.length; i++) {
        double seconds = time(spark, finder, source, sizes[i]);
        table.add(String.format("%,9d docs  %8.1f s  %,10.0f docs/s", sizes[i], seconds, sizes[i] / seconds));
        figures.put("seconds_" + sizes[i], seconds);
        logN[i] = Math.log(sizes[i]);
        logT[i] = Math.log(seconds);
      }
      figures.put("exponent", slope(logN, logT));
    } finally {
      spark.stop();
    }
    Map<String, Object> ordered = new LinkedHashMap<>();
    ordered.put("exponent", figures.remove("exponent"));
    ordered.putAll(figures);
    return new BenchResult(table, ordered);
  }

  static double time(SparkSession spark, DuplicateFinder finder, DedupCorpus source, int n) {
    Dataset<Row> docs = source.build(n, 0.1, new double[] {0.01, 0.02, 0.05, 0.2}, n).toDataFrame(spark, 16)
        .persist();
    docs.count();
    long t0 = System.nanoTime();
    Dataset<Row> fresh = finder.fingerprints(docs).withColumn("rank",
        functions.struct(functions.lit(0).as("none")));
    finder.clusters(fresh, null, null).write().format("noop").mode("overwrite").save();
    double seconds = (System.nanoTime() - t0) / 1e9;
    docs.unpersist();
    return seconds;
  }

  private static double slope(double[] x, double[] y) {
    double mx = java.util.Arrays.stream(x).average().orElse(0);
    double my = java.util.Arrays.stream(y).average().orElse(0);
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      num += (x[i] - mx) * (y[i] - my);
      den += (x[i] - mx) * (x[i] - mx);
    }
    return num / den;
  }
}
