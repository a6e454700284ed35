package dev.refinery.it;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Pipeline;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.testing.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/** The small corpus and the pipeline invocation every reliability test shares. */
final class ItSupport {
  /** Stages in pipeline order, as registered. */
  static final List<String> STAGES = List.of("ingest", "quality", "dedup", "synth", "mixing", "shards");
  static final String RUN_ID = "it";

  /**
   * Demo files that still exercise every stage: one exact and two near-duplicate pairs, junk for quality,
   * the WARC, JSONL and text readers, two broken files for rejects (about 25 documents).
   */
  private static final List<String> SUBSET = List.of(
      "web/en-news-eastgate-bridge.html", "web/neardup-en-eastgate-bridge-aggregator.html",
      "web/fr-wiki-canal-du-midi.html", "web/exactdup-fr-wiki-canal-du-midi-mirror.html",
      "web/zh-news-ditie-gb18030.html", "web/neardup-zh-news-ditie-portal.html",
      "web/de-news-bahnstrecke-elektrifizierung.html", "web/es-blog-cuidar-suculentas.html",
      "web/en-wiki-tides.html", "web/junk-seo-keyword-spam.html", "web/junk-too-short.html",
      "text/en-essay-workshop-notebook.txt", "text/en-short-reminder.txt", "text/zh-essay-manbu.txt",
      "notes.jsonl", "crawl.warc.gz", "broken/binary.html", "broken/truncated.pdf");

  private ItSupport() {}

  /** Copies the subset of demo/corpus into {@code dir}. */
  static Path smallCorpus(Path dir) {
    Path demo = TestSpark.home().toPath().resolve("demo/corpus");
    try {
      for (String f : SUBSET) {
        Path to = dir.resolve(f);
        Files.createDirectories(to.getParent());
        Files.copy(demo.resolve(f), to);
        // fetched_at of files is their modification time: fix it so every copy ingests identically
        Files.setLastModifiedTime(to, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** Test defaults: the corpus, the warehouse, a small shard layout, plus {@code extra}. */
  static RefineryConfig config(Path warehouse, Path corpus, String... extra) {
    List<String> sets = new ArrayList<>(baseSettings(corpus));
    sets.addAll(List.of(extra));
    return TestSpark.config(warehouse, sets.toArray(String[]::new));
  }

  static List<String> baseSettings(Path corpus) {
    return List.of(
        "run.id=" + RUN_ID,
        "ingest.inputs=[\"" + corpus.toAbsolutePath() + "\"]",
        "train.shards.sequence-length=65",
        "train.shards.tokens-per-shard=4096",
        "train.shards.validation-fraction=0.2");
  }

  /** Runs the named stages through the pipeline (validate all, run, stage_stats), as `refinery run` does. */
  static List<StageStats> run(SparkSession spark, RefineryConfig config, List<String> stageNames) {
    Pipeline pipeline = Pipeline.discover();
    List<Stage> stages = stageNames.stream().map(n -> {
      Stage s = pipeline.get(n);
      if (s == null) {
        throw new IllegalStateException("stage " + n + " is not registered");
      }
      return s;
    }).toList();
    StageContext ctx = new StageContext(spark, config, Warehouse.open(spark, config), config.getString("run.id"));
    return pipeline.run(ctx, stages, line -> System.out.println("it: " + line));
  }

  /**
   * A local session like TestSpark's, but {@code local[2,3]}: each task may fail up to 3 times, so a task
   * that fails once is retried (as on a cluster) instead of failing the job.
   */
  static SparkSession sparkWithTaskRetries() {
    return dev.refinery.testing.TestSpark.start("local[2,3]");
  }

  /** Every regular file under {@code dir}, relative, sorted (for shard folders). */
  static List<String> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
          .filter(n -> !n.contains(".crc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
