package dev.refinery.bench;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.ingest.IngestStage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * End-to-end ingest throughput: the WARC samples (../shared/data/warc-samples, 4 WARC files, ~55 HTTP
 * responses) copied {@code --copies N} times (default 20) into a temporary folder, then the ingest stage
 * (read, HTML main-content extraction, language ID, URL dedup, Delta write of documents and rejects) in
 * Spark local mode. Throughput counts every record read into a document before URL de-duplication (the
 * copies repeat URLs, so the table itself keeps one of each), per second of stage time, per core.
 */
public final class IngestBenchmark implements Benchmark {
  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public String description() {
    return "ingest stage throughput from WARC to the documents table (documents/second/core)";
  }

  @Override
  public List<String> smoke() {
    return List.of("--copies", "1");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("docs_per_s_per_core", "docs_per_s", "cores");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int copies = args.contains("--copies") ? Integer.parseInt(args.get(args.indexOf("--copies") + 1)) : 20;
    File samples = ExtractionBenchmark.sharedData("warc-samples");
    Path work = Files.createTempDirectory("refinery-bench-ingest");
    try {
      Path input = work.resolve("input");
      List<Path> warcs;
      try (Stream<Path> s = Files.walk(samples.toPath())) {
        warcs = s.filter(p -> p.toString().endsWith(".warc.gz")).sorted().toList();
      }
      for (int c = 0; c < copies; c++) {
        Path dir = Files.createDirectories(input.resolve("copy-" + c));
        for (Path w : warcs) {
          Files.copy(w, dir.resolve(w.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      RefineryConfig config = RefineryConfig.load(List.of(), List.of("spark.log-level=ERROR",
          "warehouse.root=\"" + work.resolve("warehouse") + "\"", "ingest.inputs=[\"" + input + "\"]"));
      SparkSession spark = SparkSessions.create(config, "bench-ingest");
      int cores = spark.sparkContext().defaultParallelism();
      Warehouse warehouse = Warehouse.open(spark, config);
      StageContext ctx = new StageContext(spark, config, warehouse, "bench");
      IngestStage stage = new IngestStage();
      stage.validate(ctx);
      // a first run loads the language models and warms the JIT; the second is timed
      stage.run(ctx);
      long t0 = System.nanoTime();
      StageResult r = stage.run(ctx);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long duplicates = r.drops().getOrDefault("duplicate URL in this run", 0L)
          + r.drops().getOrDefault("duplicate document (same source, locator and text)", 0L);
      long extracted = r.rowsOut() + duplicates;
      double perCore = extracted / seconds / cores;
      spark.stop();
      List<String> table = new ArrayList<>();
      table.add(String.format("input: %d WARC files x %d copies; %d records in, %d documents extracted, "
          + "%d kept after URL dedup", warcs.size(), copies, r.rowsIn(), extracted, r.rowsOut()));
      r.drops().forEach((k, v) -> table.add(String.format("  dropped %-50s %d", k, v)));
      table.add(String.format("stage time %.1f s on %d cores: %.1f documents/s, %.2f documents/s/core", seconds,
          cores, extracted / seconds, perCore));
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("docs_per_s_per_core", perCore);
      figures.put("docs_per_s", extracted / seconds);
      figures.put("cores", cores);
      return new BenchResult(table, figures);
    } finally {
      Folders.deleteTree(work);
    }
  }
}
