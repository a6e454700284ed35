package dev.refinery.bench;

import static org.apache.spark.sql.functions.struct;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.dedup.DedupSettings;
import dev.refinery.dedup.spark.DuplicateFinder;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Precision, recall and F1 of the duplicate decision (same cluster or not): on Clough and Stevenson's
 * plagiarised short answers (answer vs its Wikipedia source; cut and light are duplicates, non is not, heavy is
 * left out) with settings for copied passages (containment, {@link #CLOUGH_SETTINGS}) and with the defaults;
 * and on a planted corpus (an original and its copies with 1-3% of words substituted are duplicates of each
 * other; copies with 10-20% substituted, and all other pairs, are not) with the defaults, counting pairs over
 * the whole corpus.
 */
public final class DedupQualityBenchmark implements Benchmark {
  private static final double[] EDIT_RATES = {0.01, 0.02, 0.03, 0.10, 0.20};
  private static final double DUPLICATE_RATE = 0.03;
  /** Clough-Stevenson is a plagiarism set: an answer counts as a copy when a fifth of its 5-grams are copied. */
  private static final String[] CLOUGH_SETTINGS = {"dedup.minhash.bands=200", "dedup.minhash.rows=1",
      "dedup.minhash.verify=theta", "dedup.minhash.verify-measure=containment",
      "dedup.minhash.verify-threshold=0.2"};

  @Override
  public String name() {
    return "dedup-quality";
  }

  @Override
  public String description() {
    return "dedup precision/recall/F1 on neardup-clough-stevenson and on a planted-duplicate corpus";
  }

  @Override
  public List<String> smoke() {
    return List.of("--docs", "500");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("f1_clough", "f1_planted", "f1_clough_default", "precision_clough", "recall_clough",
        "precision_planted", "recall_planted");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int planted = args.contains("--docs") ? Integer.parseInt(args.get(args.indexOf("--docs") + 1)) : 20_000;
    RefineryConfig config = RefineryConfig.load(List.of(), List.of("spark.log-level=ERROR"));
    SparkSession spark = SparkSessions.create(config, "bench-dedup-quality");
    spark.conf().set("spark.sql.shuffle.partitions", "8");
    DuplicateFinder finder = new DuplicateFinder(DedupSettings.from(config));
    List<String> table = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    try {
      Counts cloughDefault = clough(spark, finder);
      table.add(cloughDefault.line("clough-stevenson, default settings (Jaccard)"));
      // Answers are copied from a source several times longer, so their Jaccard is low even when most of the
      // answer is copied: measured by containment (shared 5-grams / 5-grams of the shorter text) instead, with
      // candidates from 200 bands of 1 row (a pair of Jaccard 0.02 is a candidate with p = 0.98).
      Counts clough = clough(spark, new DuplicateFinder(DedupSettings.from(RefineryConfig.load(List.of(),
          List.of(CLOUGH_SETTINGS)))));
      table.add(clough.line("clough-stevenson, " + String.join(" ", CLOUGH_SETTINGS)));
      Counts plantedCounts = planted(spark, finder, planted);
      table.add(plantedCounts.line("planted (" + planted + " docs, edit <= 3% vs 10-20% + others)"));
      figures.put("f1_clough", clough.f1());
      figures.put("f1_planted", plantedCounts.f1());
      figures.put("f1_clough_default", cloughDefault.f1());
      figures.put("precision_clough", clough.precision());
      figures.put("recall_clough", clough.recall());
      figures.put("precision_planted", plantedCounts.precision());
      figures.put("recall_planted", plantedCounts.recall());
    } finally {
      spark.stop();
    }
    return new BenchResult(table, figures);
  }

  private static Counts clough(SparkSession spark, DuplicateFinder finder) throws Exception {
    File dir = DedupCorpus.sharedData("neardup-clough-stevenson/data");
    List<String> info = Files.readAllLines(new File(dir, "file_information.csv").toPath());
    List<Row> rows = new ArrayList<>();
    Map<String, String[]> labelled = new HashMap<>(); // file -> {task, category}
    for (String line : info.subList(1, info.size())) {
      String[] f = line.split(",");
      // The files are Latin-1 (a few non-ASCII quotes); decoding never fails that way.
      String text = new String(Files.readAllBytes(new File(dir, f[0]).toPath()), StandardCharsets.ISO_8859_1);
      rows.add(RowFactory.create(f[0], text, "en", null));
      labelled.put(f[0], new String[] {f[1], f[2].trim()});
    }
    Map<String, String> cluster = clusters(finder, spark.createDataFrame(rows, DedupCorpus.SCHEMA));
    Counts c = new Counts();
    for (Map.Entry<String, String[]> e : labelled.entrySet()) {
      String category = e.getValue()[1];
      if (category.equals("orig") || category.equals("heavy")) {
        continue;
      }
      boolean truth = category.equals("cut") || category.equals("light");
      boolean predicted = cluster.get(e.getKey()).equals(cluster.get("orig_task" + e.getValue()[0] + ".txt"));
      c.add(truth, predicted);
    }
    return c;
  }

  /**
   * Pair counting over the whole corpus: a pair is a true duplicate when both documents are the same
   * original or its light (<= 3%) copies; predicted when both are in one cluster.
   */
  private static Counts planted(SparkSession spark, DuplicateFinder finder, int docs) throws Exception {
    DedupCorpus.Corpus corpus = new DedupCorpus().build(docs, 0.25, EDIT_RATES, 7);
    Map<String, String> cluster = clusters(finder, corpus.toDataFrame(spark, 8));
    Map<String, String> family = new HashMap<>();
    corpus.docs().forEach(d -> family.put(d.id(), d.id()));
    for (DedupCorpus.PlantedPair p : corpus.pairs()) {
      if (p.editRate() <= DUPLICATE_RATE) {
        family.put(p.copy(), p.original()); // originals are never copies, so one step reaches the root
      }
    }
    Map<String, Long> perCluster = new HashMap<>();
    Map<String, Long> perFamily = new HashMap<>();
    Map<String, Long> perBoth = new HashMap<>();
    for (Map.Entry<String, String> e : cluster.entrySet()) {
      String f = family.get(e.getKey());
      perCluster.merge(e.getValue(), 1L, Long::sum);
      perFamily.merge(f, 1L, Long::sum);
      perBoth.merge(e.getValue() + " " + f, 1L, Long::sum);
    }
    Counts c = new Counts();
    c.truePositives = pairs(perBoth);
    c.falsePositives = pairs(perCluster) - c.truePositives;
    c.falseNegatives = pairs(perFamily) - c.truePositives;
    long n = cluster.size();
    c.trueNegatives = n * (n - 1) / 2 - c.truePositives - c.falsePositives - c.falseNegatives;
    return c;
  }

  private static long pairs(Map<String, Long> groupSizes) {
    return groupSizes.values().stream().mapToLong(k -> k * (k - 1) / 2).sum();
  }

  private static Map<String, String> clusters(DuplicateFinder finder, Dataset<Row> docs) {
    Dataset<Row> fresh = finder.fingerprints(docs)
        .withColumn("rank", struct(functions.lit(0).as("none")));
    Map<String, String> out = new HashMap<>();
    for (Row r : finder.clusters(fresh, null, null).select("doc_id", "cluster_id").collectAsList()) {
      out.put(r.getString(0), r.getString(1));
    }
    return out;
  }

  /** Confusion counts of pair decisions. */
  static final class Counts {
    long truePositives;
    long falsePositives;
    long falseNegatives;
    long trueNegatives;

    void add(boolean truth, boolean predicted) {
      if (truth && predicted) {
        truePositives++;
      } else if (truth) {
        falseNegatives++;
      } else if (predicted) {
        falsePositives++;
      } else {
        trueNegatives++;
      }
    }

    double precision() {
      return truePositives == 0 ? 0 : truePositives / (double) (truePositives + falsePositives);
    }

    double recall() {
      return truePositives == 0 ? 0 : truePositives / (double) (truePositives + falseNegatives);
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    String line(String what) {
      return String.format("%-60s tp=%d fp=%d fn=%d tn=%d precision=%.3f recall=%.3f f1=%.3f", what,
          truePositives, falsePositives, falseNegatives, trueNegatives, precision(), recall(), f1());
    }
  }
}
