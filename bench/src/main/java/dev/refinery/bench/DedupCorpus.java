package dev.refinery.bench;

import dev.refinery.core.text.Hashing;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Corpora for the dedup benchmarks, recombined from real text in ../shared/data: each original document is
 * 6 to 12 random sentences of one language of langid/sentences (79 languages, 500 sentences each) or 3 to 6
 * speeches of tinyshakespeare; a share of documents are copies of an original with a known rate of word
 * (or, for Chinese, Japanese and Thai, character) substitutions.
 */
final class DedupCorpus {
  static final StructType SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("text", DataTypes.StringType, false)
      .add("lang", DataTypes.StringType, true)
      .add("url", DataTypes.StringType, true);
  private static final Set<String> CHARACTER_LANGS = Set.of("zh", "ja", "th");

  record Doc(String id, String text, String lang) {}

  record PlantedPair(String original, String copy, double editRate) {}

  record Corpus(List<Doc> docs, List<PlantedPair> pairs) {
    /**
     * The documents over an RDD, as a table scan would give them: a local relation would carry every row
     * inside the logical plan, and Catalyst walks them again on each rule of each query (seconds per query
     * at 200,000 documents, a cost no real input has).
     */
    Dataset<Row> toDataFrame(SparkSession spark, int partitions) {
      List<Row> rows = new ArrayList<>(docs.size());
      for (Doc d : docs) {
        rows.add(RowFactory.create(d.id(), d.text(), d.lang(), null));
      }
      JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
      return spark.createDataFrame(context.parallelize(rows, partitions), SCHEMA).repartition(partitions);
    }
  }

  private record Pool(String lang, List<String> items, String separator, int min, int max) {}

  private final List<Pool> pools = new ArrayList<>();

  DedupCorpus() throws IOException {
    File sentences = sharedData("langid/sentences");
    File[] files = sentences.listFiles((d, n) -> n.endsWith(".txt"));
    if (files == null || files.length == 0) {
      throw new IOException("no sentences under " + sentences + " (set REFINERY_SHARED_DATA)");
    }
    java.util.Arrays.sort(files);
    for (File f : files) {
      String lang = f.getName().replace(".txt", "");
      List<String> lines = Files.readAllLines(f.toPath(), StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank()).toList();
      pools.add(new Pool(lang, lines, CHARACTER_LANGS.contains(lang) ? "" : " ", 6, 12));
    }
    String shakespeare = Files.readString(sharedData("tinyshakespeare/input.txt").toPath());
    List<String> speeches = List.of(shakespeare.split("\n\n")).stream().filter(s -> s.length() > 80).toList();
    pools.add(new Pool("en", speeches, "\n", 3, 6));
  }

  /** ../shared/data, or REFINERY_SHARED_DATA. */
  static File sharedData(String relative) {
    String d = System.getenv("REFINERY_SHARED_DATA");
    return new File(d != null ? new File(d) : new File(System.getProperty("refinery.home", "."), "../shared/data"),
        relative);
  }

  /**
   * @param total documents in all
   * @param dupShare copies per original (e.g. 0.1)
   * @param editRates the copies' substitution rates, used in turn
   */
  Corpus build(int total, double dupShare, double[] editRates, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int originals = (int) Math.round(total / (1 + dupShare));
    List<Doc> docs = new ArrayList<>(total);
    List<PlantedPair> pairs = new ArrayList<>();
    for (int i = 0; i < originals; i++) {
      // a third from Shakespeare, the rest spread over the 79 languages
      Pool pool = random.nextInt(3) == 0 ? pools.get(pools.size() - 1) : pools.get(random.nextInt(pools.size() - 1));
      int n = pool.min() + random.nextInt(pool.max() - pool.min() + 1);
      StringBuilder text = new StringBuilder();
      for (int k = 0; k < n; k++) {
        if (k > 0) {
          text.append(pool.separator());
        }
        text.append(pool.items().get(random.nextInt(pool.items().size())));
      }
      docs.add(new Doc(id(seed, i), text.toString(), pool.lang()));
    }
    for (int c = 0; originals + c < total; c++) {
      Doc original = docs.get(random.nextInt(originals));
      double rate = editRates[c % editRates.length];
      Doc copy = new Doc(id(seed, originals + c), edit(original, rate, random), original.lang());
      docs.add(copy);
      pairs.add(new PlantedPair(original.id(), copy.id(), rate));
    }
    return new Corpus(docs, pairs);
  }

  /** Substitutes each token with probability {@code rate} by another token of the same document. */
  static String edit(Doc d, double rate, SplittableRandom random) {
    boolean chars = CHARACTER_LANGS.contains(d.lang());
    if (chars) {
      int[] cps = d.text().codePoints().toArray();
      int[] out = cps.clone();
      for (int i = 0; i < out.length; i++) {
        if (random.nextDouble() < rate) {
          out[i] = cps[random.nextInt(cps.length)];
        }
      }
      return new String(out, 0, out.length);
    }
    String[] words = d.text().split(" ");
    String[] out = words.clone();
    for (int i = 0; i < out.length; i++) {
      if (random.nextDouble() < rate) {
        out[i] = words[random.nextInt(words.length)] + (random.nextBoolean() ? "s" : "");
      }
    }
    return String.join(" ", out);
  }

  private static String id(long seed, int i) {
    return Hashing.hex(Hashing.xxh64("doc-" + seed + "-" + i)) + Hashing.hex(Hashing.xxh64("doc-" + i, seed));
  }
}
