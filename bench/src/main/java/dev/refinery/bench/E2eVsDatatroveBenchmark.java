package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.cli.RunSummary;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.warehouse.Warehouse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The whole pipeline against datatrove's, as a user runs each: gzipped WARC files of the 990 real pages of
 * ../shared/data/extraction-trafilatura-eval, each page written K times under its own URL
 * ({@code bench/run.sh e2e-vs-datatrove K}, default 5: about 5,000 records), then {@code bin/refinery run}
 * with ingest, quality and dedup (a fresh JVM, start-up included), then datatrove 0.10.1's FineWeb recipe and
 * its four MinHash stages (bench/python/e2e/fineweb.py, LocalPipelineExecutor, tasks = workers = cores) on the
 * same files. Both keep every language. Reports both wall times, the ratio (datatrove / Refinery: above 1 is
 * Refinery ahead), both sides' per-stage seconds and kept counts, and the doc_id fingerprints of
 * documents_kept and documents_unique (to check that speed work leaves the kept documents unchanged).
 * {@code --pages N} takes only the first N pages (the test suite's smoke run: {@code --pages 60 1}). Several K
 * ({@code 20 200}) run one after the other and add the exponent of Refinery's time between the smallest and the
 * largest ({@code t ~ records^exponent}); {@code --refinery-only} leaves datatrove out (at 200 copies it alone
 * needs well over an hour on 2 cores).
 */
public final class E2eVsDatatroveBenchmark implements Benchmark {
  @Override
  public String name() {
    return "e2e-vs-datatrove";
  }

  @Override
  public String description() {
    return "bin/refinery run (ingest, quality, dedup) vs datatrove's FineWeb recipe + MinHash on K copies of real pages";
  }

  @Override
  public List<String> smoke() {
    return List.of("--pages", "60", "1");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    List<String> keys = new ArrayList<>(List.of("records", "refinery_s", "ingest_s", "quality_s", "dedup_s",
        "kept_fp", "unique_fp"));
    if (!args.contains("--refinery-only")) {
      keys.addAll(List.of("datatrove_s", "ratio"));
    }
    if (copiesOf(args).size() > 1) {
      keys.addAll(List.of("first_records", "first_refinery_s", "exponent"));
    }
    return keys;
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    List<String> rest = new ArrayList<>(args);
    int pages = Integer.MAX_VALUE;
    int at = rest.indexOf("--pages");
    if (at >= 0) {
      pages = Integer.parseInt(rest.get(at + 1));
      rest.subList(at, at + 2).clear();
    }
    boolean withPeer = !rest.remove("--refinery-only");
    List<Integer> copies = copiesOf(rest);
    File home = new File(System.getProperty("refinery.home", "."));
    List<ExtractionBenchmark.Page> all = ExtractionBenchmark.load(ExtractionBenchmark.sharedData(
        "extraction-trafilatura-eval"));
    List<ExtractionBenchmark.Page> used = all.subList(0, Math.min(pages, all.size()));
    String python = withPeer ? PythonProcess.venvPython(new File(home, "bench/python/e2e/setup_venv.sh")) : null;

    List<String> table = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    long firstRecords = 0;
    double firstSeconds = 0;
    for (int k : copies) {
      figures.clear();
      runOnce(home, used, k, python, table, figures);
      long records = (Long) figures.get("records");
      double seconds = (Double) figures.get("refinery_s");
      if (firstRecords == 0) {
        firstRecords = records;
        firstSeconds = seconds;
      }
    }
    if (copies.size() > 1) {
      double exponent = Math.log((Double) figures.get("refinery_s") / firstSeconds)
          / Math.log((double) (Long) figures.get("records") / firstRecords);
      figures.put("first_records", firstRecords);
      figures.put("first_refinery_s", firstSeconds);
      figures.put("exponent", exponent);
      table.add(String.format("Refinery's time grows as records^%.3f from %d to %d records", exponent, firstRecords,
          figures.get("records")));
    }
    return new BenchResult(table, figures);
  }

  /** The copy counts K named on the command line (default 5; not --pages N): one run each, smallest first. */
  private static List<Integer> copiesOf(List<String> args) {
    List<String> rest = new ArrayList<>(args);
    int at = rest.indexOf("--pages");
    if (at >= 0) {
      rest.subList(at, Math.min(at + 2, rest.size())).clear();
    }
    List<Integer> copies = rest.stream().filter(a -> a.matches("\\d+")).map(Integer::parseInt).sorted().toList();
    return copies.isEmpty() ? List.of(5) : copies;
  }

  /** One input size: the WARC files, Refinery, then (when python is set) datatrove on the same files. */
  private static void runOnce(File home, List<ExtractionBenchmark.Page> used, int copies, String python,
      List<String> table, Map<String, Object> figures) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    Path work = Files.createTempDirectory("refinery-bench-e2e");
    try {
      Path warcs = work.resolve("warc");
      int files = Math.max(2 * cores, (int) Math.min(256, (long) used.size() * copies / 1000));
      long records = WarcCorpus.write(used, copies, files, warcs);

      Path warehouse = work.resolve("warehouse");
      Map<String, Double> ours = new LinkedHashMap<>();
      Map<String, Long> oursOut = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      refinery(home, warcs, warehouse, ours, oursOut);
      double refineryS = (System.nanoTime() - t0) / 1e9;
      Map<String, String> fingerprints = fingerprints(warehouse);

      table.add(String.format("input: %d pages x %d copies = %d WARC records in %d files; %d cores", used.size(),
          copies, records, files, cores));
      table.add(String.format("refinery run   %8.1f s  (JVM start and Spark included)", refineryS));
      ours.forEach((s, v) -> table.add(String.format("  %-20s %8.1f s  %d out", s, v, oursOut.get(s))));
      figures.put("records", records);
      figures.put("refinery_s", refineryS);
      figures.put("ingest_s", ours.getOrDefault("ingest", -1.0));
      figures.put("quality_s", ours.getOrDefault("quality", -1.0));
      figures.put("dedup_s", ours.getOrDefault("dedup", -1.0));
      figures.put("kept_fp", fingerprints.get("documents_kept"));
      figures.put("unique_fp", fingerprints.get("documents_unique"));
      if (python != null) {
        long t1 = System.nanoTime();
        String summary = PythonProcess.stdout(List.of(python, new File(home, "bench/python/e2e/fineweb.py").getPath(),
            warcs.toString(), work.resolve("datatrove").toString(), String.valueOf(cores)));
        double datatroveS = (System.nanoTime() - t1) / 1e9;
        String[] lines = summary.strip().split("\n");
        JsonNode peer = new ObjectMapper().readTree(lines[lines.length - 1]); // fineweb.py's JSON line comes last
        table.add(String.format("datatrove      %8.1f s  (Python start included)", datatroveS));
        peer.get("seconds").fields().forEachRemaining(e -> table.add(String.format("  %-20s %8.1f s", e.getKey(),
            e.getValue().asDouble())));
        table.add(String.format("kept after quality: refinery %d, datatrove %d; after dedup: refinery %d, datatrove %d",
            oursOut.getOrDefault("quality", -1L), peer.get("kept").asLong(), oursOut.getOrDefault("dedup", -1L),
            peer.get("unique").asLong()));
        table.add(String.format("ratio datatrove / refinery: %.2f", datatroveS / refineryS));
        figures.put("datatrove_s", datatroveS);
        figures.put("ratio", datatroveS / refineryS);
      }
      fingerprints.forEach((t, fp) -> table.add(String.format("  %-18s %s", t, fp)));
    } finally {
      Folders.deleteTree(work);
    }
  }

  /** {@code bin/refinery run} as a user starts it; per-stage seconds and rows out from its log lines. */
  private static void refinery(File home, Path warcs, Path warehouse, Map<String, Double> seconds,
      Map<String, Long> out) throws IOException, InterruptedException {
    RefineryRun.follow(RefineryRun.local(home, List.of("ingest", "quality", "dedup"), warehouse, warcs).start(),
        "bin/refinery run", seconds, out);
  }

  /** Rows and the doc_id fingerprint of the kept tables, as {@code refinery demo} prints them ({@link RunSummary}). */
  private static Map<String, String> fingerprints(Path warehouse) {
    RefineryConfig config = RefineryConfig.load(List.of(), List.of("spark.log-level=ERROR",
        "warehouse.root=\"" + warehouse + "\""));
    SparkSession spark = SparkSessions.create(config, "bench-e2e-fingerprints");
    try {
      Warehouse w = Warehouse.open(spark, config);
      Map<String, String> out = new LinkedHashMap<>();
      for (String t : List.of("documents_kept", "documents_unique")) {
        out.put(t, RunSummary.fingerprint(w.readRun(t, config.getString("run.id"))).toString());
      }
      return out;
    } finally {
      spark.stop();
    }
  }
}
