package dev.refinery.bench;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.dedup.DedupSettings;
import dev.refinery.dedup.minhash.Shingler;
import dev.refinery.dedup.spark.DuplicateFinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Our MinHash LSH dedup against Spark MLlib's {@code MinHashLSH.approxSimilarityJoin} on the same planted
 * corpus (default 200,000 documents), in one invocation. Both get the same shingles (ours: word 5-grams, CJK
 * character 5-grams; MLlib: the same shingle hashes as a binary sparse vector of 2^24 features), both keep
 * pairs of Jaccard >= 0.8 (MLlib: distance <= 0.2 with exact distance on candidates; ours: 20 x 5 bands and
 * exact Jaccard verification of the candidate pairs at 0.8). Both are warmed up on 20,000 documents first,
 * then each runs twice ({@code --runs}) and its faster run counts. Truth is exact Jaccard on a sample of
 * pairs: planted pairs, pairs reported by either tool, and random pairs. Recall: the share of true pairs of
 * the sample that a tool reports (ours: same cluster); precision: the share of a tool's sampled pairs that
 * are true. MLlib runs in a cancellable job group: past {@code --mllib-timeout-min} (default 20) it is
 * cancelled, and the speedup is then a lower bound ({@code mllib_timed_out=true}).
 */
public final class DedupVsMllibBenchmark implements Benchmark {
  private static final double THRESHOLD = 0.8;
  private static final int SAMPLE = 3000;
  private static final int FEATURES = 1 << 24;

  @Override
  public String name() {
    return "dedup-vs-mllib";
  }

  @Override
  public String description() {
    return "our MinHash LSH vs Spark MLlib MinHashLSH.approxSimilarityJoin: time ratio, recall, precision";
  }

  @Override
  public List<String> smoke() {
    return List.of("--docs", "1000", "--runs", "1", "--warmup", "200");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("docs", "speedup", "recall", "precision", "mllib_recall", "mllib_precision", "mllib_timed_out",
        "ours_s", "mllib_s", "mllib_tables", "runs");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int n = args.contains("--docs") ? Integer.parseInt(args.get(args.indexOf("--docs") + 1)) : 200_000;
    int tables = args.contains("--tables") ? Integer.parseInt(args.get(args.indexOf("--tables") + 1)) : 5;
    int runs = args.contains("--runs") ? Integer.parseInt(args.get(args.indexOf("--runs") + 1)) : 2;
    int warmup = args.contains("--warmup") ? Integer.parseInt(args.get(args.indexOf("--warmup") + 1)) : 20_000;
    int timeoutMinutes = args.contains("--mllib-timeout-min")
        ? Integer.parseInt(args.get(args.indexOf("--mllib-timeout-min") + 1)) : 20;
    // LSH candidates from about Jaccard 0.55 up (20 x 5), then exact Jaccard of the candidates' shingles at 0.8.
    RefineryConfig config = RefineryConfig.load(List.of(), List.of("spark.log-level=ERROR",
        "dedup.minhash.permutations=100", "dedup.minhash.bands=20", "dedup.minhash.rows=5",
        "dedup.minhash.verify=exact",
        "dedup.minhash.verify-threshold=" + THRESHOLD));
    DedupSettings settings = DedupSettings.from(config);
    SparkSession spark = SparkSessions.create(config, "bench-dedup-vs-mllib");
    spark.conf().set("spark.sql.shuffle.partitions", "8");
    List<String> table = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    try {
      DedupCorpus source = new DedupCorpus();
      DuplicateFinder finder = new DuplicateFinder(settings);
      // Warm-up of both on 20,000 documents: JIT and Spark's first-job costs are not what is compared.
      Dataset<Row> warm = source.build(warmup, 0.1, new double[] {0.01}, 5).toDataFrame(spark, 8).persist();
      ours(finder, warm).count();
      mllib(warm, settings, tables).count();
      warm.unpersist();

      DedupCorpus.Corpus corpus = source.build(n, 0.1, new double[] {0.01, 0.02, 0.03, 0.05, 0.1}, 11);
      Dataset<Row> docs = corpus.toDataFrame(spark, 8).persist();
      docs.count();

      // Each side runs `runs` times and its fastest run counts (run-to-run spread here is up to 30%).
      Timed oursRun = fastest(runs, () -> ours(finder, docs), Dataset::count);
      Timed mllibRun = fastest(runs, () -> mllib(docs, settings, tables), d -> bounded(spark, d, timeoutMinutes));
      double oursSeconds = oursRun.seconds();
      double mllibSeconds = mllibRun.seconds();
      Long mllibPairs = mllibRun.count();
      boolean timedOut = mllibPairs == null;

      Evaluation e = evaluate(corpus, oursRun.result(), timedOut ? null : mllibRun.result(),
          settings.signer().shingler());
      table.add(String.format("docs=%d  ours %.1f s  mllib (%d hash tables) %s  mllib pairs=%s  (fastest of %d "
          + "runs)", n, oursSeconds, tables, timedOut ? String.format("> %.1f s (cancelled)", mllibSeconds)
              : String.format("%.1f s", mllibSeconds), timedOut ? "?" : mllibPairs, runs));
      table.add(String.format("sample: %d pairs, %d with Jaccard >= %.1f", e.sampled, e.truePairs, THRESHOLD));
      table.add(String.format("ours   recall %.4f precision %.4f", e.recall[0], e.precision[0]));
      table.add(timedOut ? "mllib  not evaluated: cancelled after " + timeoutMinutes + " min"
          : String.format("mllib  recall %.4f precision %.4f", e.recall[1], e.precision[1]));
      figures.put("docs", n);
      figures.put("speedup", mllibSeconds / oursSeconds); // a lower bound when MLlib was cancelled
      figures.put("recall", e.recall[0]);
      figures.put("precision", e.precision[0]);
      figures.put("mllib_recall", timedOut ? "n/a" : e.recall[1]);
      figures.put("mllib_precision", timedOut ? "n/a" : e.precision[1]);
      figures.put("mllib_timed_out", timedOut);
      figures.put("ours_s", oursSeconds);
      figures.put("mllib_s", mllibSeconds);
      figures.put("mllib_tables", tables);
      figures.put("runs", runs);
    } finally {
      spark.stop();
    }
    return new BenchResult(table, figures);
  }

  /** A side's persisted result, its row count (null: cancelled) and its fastest time. */
  private record Timed(Dataset<Row> result, Long count, double seconds) {}

  /** How a side's result is counted: null when the count was cancelled. */
  private interface Counter {
    Long count(Dataset<Row> d) throws Exception;
  }

  /**
   * Builds and counts a side's result {@code runs} times (each run's result persisted, the previous one
   * dropped) and keeps the fastest time; stops after a run whose count is null (cancelled).
   */
  private static Timed fastest(int runs, Supplier<Dataset<Row>> side, Counter counter)
      throws Exception {
    Timed best = null;
    for (int run = 0; run < runs; run++) {
      if (best != null) {
        best.result().unpersist();
      }
      long t0 = System.nanoTime();
      Dataset<Row> result = side.get().persist();
      Long count = counter.count(result);
      double seconds = (System.nanoTime() - t0) / 1e9;
      best = new Timed(result, count, best == null ? seconds : Math.min(best.seconds(), seconds));
      if (count == null) {
        break;
      }
    }
    return best;
  }

  /** Counts {@code d} in a cancellable job group; null when it did not finish within the limit. */
  private static Long bounded(SparkSession spark, Dataset<Row> d, int minutes) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Long> count = pool.submit(() -> {
        spark.sparkContext().setJobGroup("mllib", "MLlib approxSimilarityJoin", true);
        return d.count();
      });
      try {
        return count.get(minutes, TimeUnit.MINUTES);
      } catch (TimeoutException e) {
        spark.sparkContext().cancelJobGroup("mllib");
        return null;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Dataset<Row> ours(DuplicateFinder finder, Dataset<Row> docs) {
    Dataset<Row> fresh = finder.fingerprints(docs)
        .withColumn("rank", functions.struct(functions.lit(0).as("none")));
    return finder.clusters(fresh, null, docs).select("doc_id", "cluster_id");
  }

  /** Pairs (a < b) of Jaccard distance <= 1 - THRESHOLD found by MLlib's MinHashLSH. */
  private static Dataset<Row> mllib(Dataset<Row> docs, DedupSettings settings, int tables) {
    Dataset<Row> features = features(docs, settings.signer().shingler());
    MinHashLSHModel model = new MinHashLSH().setNumHashTables(tables).setInputCol("features")
        .setOutputCol("hashes").setSeed(42).fit(features);
    // approxSimilarityJoin keeps distance < threshold (strictly): the epsilon keeps pairs of Jaccard exactly 0.8.
    return model.approxSimilarityJoin(features, features, 1 - THRESHOLD + 1e-9, "distance")
        .select(col("datasetA.doc_id").as("a"), col("datasetB.doc_id").as("b"))
        .where(col("a").lt(col("b")));
  }

  /** Shingle hashes as binary sparse vectors (MLlib needs at least one non-zero entry). */
  private static Dataset<Row> features(Dataset<Row> docs, Shingler shingler) {
    StructType schema = new StructType().add("doc_id", DataTypes.StringType)
        .add("features", SQLDataTypes.VectorType());
    MapPartitionsFunction<Row, Row> toVectors = rows -> {
      List<Row> out = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        int[] idx = java.util.Arrays.stream(shingler.shingles(r.getString(1), r.getString(2)))
            .mapToInt(h -> (int) Math.floorMod(h, (long) FEATURES)).sorted().distinct().toArray();
        if (idx.length > 0) {
          double[] ones = new double[idx.length];
          java.util.Arrays.fill(ones, 1.0);
          out.add(RowFactory.create(r.getString(0), Vectors.sparse(FEATURES, idx, ones)));
        }
      }
      return out.iterator();
    };
    return docs.select("doc_id", "text", "lang").mapPartitions(toVectors, Encoders.row(schema));
  }

  private record Evaluation(int sampled, int truePairs, double[] recall, double[] precision) {}

  private static Evaluation evaluate(DedupCorpus.Corpus corpus, Dataset<Row> ours, Dataset<Row> mllib,
      Shingler shingler) {
    SplittableRandom random = new SplittableRandom(3);
    List<String[]> planted = new ArrayList<>();
    corpus.pairs().forEach(p -> planted.add(new String[] {p.original(), p.copy()}));
    List<String[]> oursPairs = new ArrayList<>();
    Dataset<Row> dups = ours.alias("m").join(ours.alias("r"), col("m.cluster_id").equalTo(col("r.cluster_id"))
        .and(col("r.doc_id").equalTo(col("r.cluster_id"))).and(col("m.doc_id").notEqual(col("r.doc_id"))));
    for (Row r : dups.select("m.doc_id", "r.doc_id").orderBy(functions.rand(5)).limit(SAMPLE).collectAsList()) {
      oursPairs.add(new String[] {r.getString(0), r.getString(1)});
    }
    List<String[]> mllibPairs = new ArrayList<>();
    if (mllib != null) {
      for (Row r : mllib.orderBy(functions.rand(5)).limit(SAMPLE).collectAsList()) {
        mllibPairs.add(new String[] {r.getString(0), r.getString(1)});
      }
    }
    List<String[]> randomPairs = new ArrayList<>();
    for (int i = 0; i < SAMPLE; i++) {
      randomPairs.add(new String[] {corpus.docs().get(random.nextInt(corpus.docs().size())).id(),
          corpus.docs().get(random.nextInt(corpus.docs().size())).id()});
    }
    List<String[]> sample = new ArrayList<>();
    java.util.Collections.shuffle(planted, new java.util.Random(1));
    sample.addAll(planted.subList(0, Math.min(SAMPLE, planted.size())));
    sample.addAll(oursPairs);
    sample.addAll(mllibPairs);
    sample.addAll(randomPairs);

    Map<String, DedupCorpus.Doc> byId = new HashMap<>();
    corpus.docs().forEach(d -> byId.put(d.id(), d));
    Set<String> ids = new HashSet<>();
    sample.forEach(p -> { ids.add(p[0]); ids.add(p[1]); });
    Map<String, String> cluster = new HashMap<>();
    for (Row r : ours.where(col("doc_id").isin(ids.toArray())).collectAsList()) {
      cluster.put(r.getString(0), r.getString(1));
    }
    Set<String> mllibFound = new HashSet<>();
    Dataset<Row> wanted = ours.sparkSession().createDataFrame(sample.stream()
        .map(p -> RowFactory.create(min(p), max(p))).toList(),
        new StructType().add("a", DataTypes.StringType).add("b", DataTypes.StringType));
    if (mllib != null) {
      for (Row r : mllib.join(wanted, new String[] {"a", "b"}).collectAsList()) {
        mllibFound.add(r.getString(0) + " " + r.getString(1));
      }
    }

    Map<String, Boolean> truth = new HashMap<>();
    for (String[] p : sample) {
      String k = min(p) + " " + max(p);
      if (!p[0].equals(p[1]) && !truth.containsKey(k)) {
        DedupCorpus.Doc a = byId.get(p[0]);
        DedupCorpus.Doc b = byId.get(p[1]);
        truth.put(k, Shingler.jaccard(shingler.shingles(a.text(), a.lang()), shingler.shingles(b.text(), b.lang()))
            >= THRESHOLD);
      }
    }
    int trueCount = 0;
    int[] found = new int[2];
    for (Map.Entry<String, Boolean> t : truth.entrySet()) {
      if (t.getValue()) {
        trueCount++;
        String[] p = t.getKey().split(" ");
        if (cluster.get(p[0]).equals(cluster.get(p[1]))) {
          found[0]++;
        }
        if (mllibFound.contains(t.getKey())) {
          found[1]++;
        }
      }
    }
    double[] precision = {share(oursPairs, truth), share(mllibPairs, truth)};
    return new Evaluation(truth.size(), trueCount,
        new double[] {found[0] / (double) trueCount, found[1] / (double) trueCount}, precision);
  }

  private static double share(List<String[]> pairs, Map<String, Boolean> truth) {
    if (pairs.isEmpty()) {
      return 0;
    }
    return pairs.stream().filter(p -> truth.get(min(p) + " " + max(p))).count() / (double) pairs.size();
  }

  private static String min(String[] p) {
    return p[0].compareTo(p[1]) <= 0 ? p[0] : p[1];
  }

  private static String max(String[] p) {
    return p[0].compareTo(p[1]) <= 0 ? p[1] : p[0];
  }
}
