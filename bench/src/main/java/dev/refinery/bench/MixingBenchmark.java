package dev.refinery.bench;

import dev.refinery.core.Document;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.mixing.MixingStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The mixing stage (domain labelling by URL rules, token counting in executors, planning, deterministic
 * sampling, writing mixture and mixture_report) on a generated documents table of known cell sizes
 * (default 200,000 documents; {@code --docs N}). Reports documents per second through the whole stage and
 * the largest gap between a feasible cell's target share and its achieved share.
 */
public final class MixingBenchmark implements Benchmark {
  /** Cell (url prefix, lang) and its weight in per-mille of generated documents. */
  private static final String[][] CELLS = {
      {"https://en.wikipedia.org/wiki/", "en", "200"}, {"https://www.bbc.co.uk/news/", "en", "200"},
      {"https://blog-%d.example.com/post/", "en", "250"}, {"https://www.reddit.com/r/x/comments/", "en", "50"},
      {"https://github.com/org/repo/blob/main/", "en", "50"}, {"https://beispiel-%d.de/seite/", "de", "100"},
      {"https://www.spiegel.de/politik/", "de", "50"}, {"https://zhan-%d.cn/wen/", "zh", "80"},
      {"https://zh.wikipedia.org/wiki/", "zh", "20"}};
  private static final String SHARES = "mixing.spec.shares=[{domain = wiki, lang = en, share = 0.25}, "
      + "{domain = news, lang = en, share = 0.2}, {domain = web, lang = en, share = 0.1}, "
      + "{domain = forum, lang = en, share = 0.15}, {domain = code, lang = en, share = 0.05}, "
      + "{domain = web, lang = de, share = 0.1}, {domain = web, lang = zh, share = 0.05}, "
      + "{domain = wiki, lang = zh, share = 0.05}, {domain = academic, lang = en, share = 0.05}]";

  @Override
  public String name() {
    return "mixing";
  }

  @Override
  public String description() {
    return "mixing stage (labels + token counts + sampling + writes) on 200,000 generated documents";
  }

  @Override
  public List<String> smoke() {
    return List.of("--docs", "2000");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("rows_per_s", "max_share_error", "docs", "infeasible_cells", "seconds");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int docs = args.contains("--docs") ? Integer.parseInt(args.get(args.indexOf("--docs") + 1)) : 200_000;
    Path root = Files.createTempDirectory("refinery-bench-mixing");
    RefineryConfig config = RefineryConfig.load(List.of(), List.of(
        "warehouse.root=\"" + root.resolve("warehouse") + "\"", "spark.log-level=ERROR",
        "mixing.sources=[{name = web, table = documents}]", "mixing.spec.method=shares", SHARES, "mixing.spec.max-epochs=2"));
    SparkSession spark = SparkSessions.create(config, "bench-mixing");
    try {
      Warehouse warehouse = Warehouse.open(spark, config);
      warehouse.write(spark.range(docs).map((MapFunction<Long, Row>) MixingBenchmark::document,
          Encoders.row(Document.SCHEMA)), "documents", "bench");
      long available = warehouse.readRun("documents", "bench").count();
      // half of all tokens: large cells are down-sampled, small ones repeated, academic/en has no documents
      RefineryConfig run = RefineryConfig.load(List.of(), List.of(
          "warehouse.root=\"" + root.resolve("warehouse") + "\"", "spark.log-level=ERROR",
          "mixing.sources=[{name = web, table = documents}]", "mixing.spec.method=shares", SHARES, "mixing.spec.max-epochs=2",
          "mixing.spec.budget-tokens=" + halfOfAllTokens(docs)));
      StageContext ctx = new StageContext(spark, run, warehouse, "bench");
      MixingStage stage = new MixingStage();
      stage.validate(ctx);
      long t0 = System.nanoTime();
      StageResult result = stage.run(ctx);
      double seconds = (System.nanoTime() - t0) / 1e9;

      List<String> table = new ArrayList<>();
      table.add(String.format("%-24s %12s %12s %8s %8s %7s %s", "cell", "available", "achieved", "target",
          "share", "epochs", "reason"));
      double maxError = 0;
      int infeasible = 0;
      for (Row r : warehouse.readRun("mixture_report", "bench").orderBy("level", "key").collectAsList()) {
        Double target = r.getAs("target_share");
        Double achieved = r.getAs("achieved_share");
        Boolean feasible = r.getAs("feasible");
        if ("cell".equals(r.getAs("level")) && target != null && target > 0) {
          if (Boolean.TRUE.equals(feasible)) {
            maxError = Math.max(maxError, Math.abs(target - (achieved == null ? 0 : achieved)));
          } else {
            infeasible++;
          }
        }
        Double epochs = r.getAs("epochs");
        table.add(String.format("%-24s %12d %12d %8s %8s %7s %s", r.getAs("level") + ":" + r.getAs("key"),
            (long) r.getAs("available_tokens"), (long) r.getAs("achieved_tokens"), fmt(target), fmt(achieved),
            fmt(epochs), r.getAs("reason") == null ? "" : r.getAs("reason")));
      }
      table.add(String.format("documents %d, mixture rows %d, %.1f s for the stage (%d cores)", available,
          result.rowsOut(), seconds, Runtime.getRuntime().availableProcessors()));
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("rows_per_s", available / seconds);
      figures.put("max_share_error", maxError);
      figures.put("docs", available);
      figures.put("infeasible_cells", infeasible);
      figures.put("seconds", seconds);
      return new BenchResult(table, figures);
    } finally {
      spark.stop();
    }
  }

  private static String fmt(Double d) {
    return d == null ? "-" : String.format("%.4f", d);
  }

  /** Exactly half the approximate tokens of the generated corpus (each word below is one token). */
  private static long halfOfAllTokens(int docs) {
    long total = 0;
    for (long i = 0; i < docs; i++) {
      total += words(i);
    }
    return total / 2;
  }

  private static int words(long i) {
    return 40 + (int) Math.floorMod(mix(i) >>> 8, 360);
  }

  /** A deterministic document of one cell: a URL of that cell and 40..399 one-token words. */
  static Row document(Long id) {
    long h = mix(id);
    int pick = (int) Math.floorMod(h, 1000);
    String[] cell = CELLS[CELLS.length - 1];
    int acc = 0;
    for (String[] c : CELLS) {
      acc += Integer.parseInt(c[2]);
      if (pick < acc) {
        cell = c;
        break;
      }
    }
    String url = String.format(cell[0], Math.floorMod(h >>> 20, 500)) + id;
    int n = words(id);
    StringBuilder text = new StringBuilder(n * 6);
    long x = h;
    for (int w = 0; w < n; w++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      int k = (int) ((x >>> 33) % VOCAB.length);
      if (cell[1].equals("zh")) {
        text.append(HAN.charAt(k % HAN.length()));
      } else {
        text.append(w == 0 ? "" : " ").append(VOCAB[k]);
      }
    }
    return RowFactory.create(String.format("%032x", id), "bench", url, null, "text/html", cell[1], 0.99,
        text.toString(), null);
  }

  private static long mix(long z) {
    z = (z + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static final String[] VOCAB = {"data", "model", "train", "text", "token", "spark", "table", "web",
      "page", "news", "code", "wiki", "the", "of", "and", "to", "in", "is", "for", "on", "with", "as", "by",
      "at", "from", "or", "an", "be", "this", "that", "it", "are", "was", "has", "not", "but", "all", "can",
      "new", "more", "one", "two", "time", "year", "work", "life", "city", "game", "team", "song", "book",
      "film", "road", "home", "food", "land", "war", "law", "art", "sea", "sun", "day", "way", "man"};
  private static final String HAN = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长";
}
