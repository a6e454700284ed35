package dev.refinery.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.cli.RunSummary;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.warehouse.Warehouse;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;

/**
 * A driver that stays small: the pipeline from ingest to shards on N short documents (default 1,000,000) on
 * a Spark standalone cluster (tests/lib/cluster.sh: a master and two 1-core workers on 127.0.0.1, or the one
 * REFINERY_CLUSTER_MASTER names), submitted as README "Running on a cluster" shows, with the driver at 1 GB of
 * heap and the executors at 2 GB. If any step gathered the corpus, its similarity edges or its signatures on
 * the driver, the run would die there. The input is JSONL.gz recombined from real sentences of ../shared/data
 * (DedupCorpus: 79 languages and Shakespeare, a tenth near or exact copies), written once and cached under
 * $REFINERY_CACHE/bench (~/.cache/refinery/bench). Reports the wall time, each stage's seconds and rows, and
 * the peak heap in use of the driver and of the executors (Spark's event log, sampled every 250 ms: an upper
 * bound, garbage not yet collected included). {@code bench/run.sh small-driver [N] [--stages a,b]
 * [--compare-local]}: with {@code --compare-local}, {@code bin/refinery run} then runs the same stages on the same
 * input in local mode, and the two run summaries (every table's rows and doc_id fingerprint, drops per stage
 * and reason) must be equal. The test command's smoke run submits only ingest on 200 documents to its shared
 * cluster (a stage left out reports -1).
 */
public final class SmallDriverBenchmark implements Benchmark {
  private static final List<String> STAGES = List.of("ingest", "quality", "dedup", "mixing", "shards");
  private static final int CORPUS_VERSION = 1; // bump when the generator's output changes

  @Override
  public String name() {
    return "small-driver";
  }

  @Override
  public String description() {
    return "ingest to shards on 1,000,000 short documents on a standalone cluster: 1 GB driver, 2 GB executors";
  }

  @Override
  public List<String> smoke() {
    return List.of("200", "--stages", "ingest");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    List<String> keys = new ArrayList<>(List.of("documents", "wall_s", "ingest_s", "quality_s", "dedup_s",
        "mixing_s", "shards_s", "unique", "driver_heap_mb", "executor_heap_mb", "driver_max_mb", "executor_max_mb"));
    if (args.contains("--compare-local")) {
      keys.addAll(List.of("local_s", "same_as_local"));
    }
    return keys;
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    List<String> rest = new ArrayList<>(args);
    List<String> stages = STAGES;
    int at = rest.indexOf("--stages");
    if (at >= 0) {
      stages = List.of(rest.get(at + 1).split(","));
      rest.subList(at, at + 2).clear();
    }
    boolean compareLocal = rest.remove("--compare-local");
    int documents = rest.isEmpty() ? 1_000_000 : Integer.parseInt(rest.get(0));
    File home = new File(System.getProperty("refinery.home", "."));
    Path corpus = corpus(documents);
    Path work = Files.createTempDirectory("refinery-bench-small-driver");
    try {
      Files.createDirectories(work.resolve("events"));
      Map<String, Double> seconds = new LinkedHashMap<>();
      Map<String, Long> out = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      submit(home, corpus, work, stages, seconds, out);
      double wall = (System.nanoTime() - t0) / 1e9;
      EventLogHeap heap = EventLogHeap.read(work.resolve("events"));

      List<String> table = new ArrayList<>();
      table.add(String.format("%,d documents (%s), stages %s, driver 1 GB, executors 2 GB x 2 (1 core each)",
          documents, corpus, stages));
      table.add(String.format("spark-submit run   %8.1f s  (JVM start and executors included)", wall));
      seconds.forEach((s, v) -> table.add(String.format("  %-10s %8.1f s  %,d out", s, v, out.get(s))));
      table.add(String.format("peak heap in use: driver %d MiB of %d, executors %d MiB of %d", heap.driverMb(),
          heap.driverMaxMb(), heap.executorMb(), heap.executorMaxMb()));
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("documents", documents);
      figures.put("wall_s", wall);
      for (String s : STAGES) {
        figures.put(s + "_s", seconds.getOrDefault(s, -1.0));
      }
      figures.put("unique", out.getOrDefault("dedup", -1L));
      figures.put("driver_heap_mb", heap.driverMb());
      figures.put("executor_heap_mb", heap.executorMb());
      figures.put("driver_max_mb", heap.driverMaxMb());
      figures.put("executor_max_mb", heap.executorMaxMb());
      if (compareLocal) {
        long t1 = System.nanoTime();
        RefineryRun.follow(RefineryRun.local(home, stages, work.resolve("local-warehouse"), corpus).start(),
            "bin/refinery run", new LinkedHashMap<>(), new LinkedHashMap<>());
        double localS = (System.nanoTime() - t1) / 1e9;
        List<String> both = summaries(work.resolve("warehouse"), work.resolve("local-warehouse"));
        boolean same = both.get(0).equals(both.get(1));
        table.add(String.format("bin/refinery run (local[2]) %8.1f s; run summaries %s", localS,
            same ? "equal" : "DIFFER"));
        table.add("cluster run:");
        both.get(0).lines().forEach(l -> table.add("  " + l));
        if (!same) {
          table.add("local run:");
          both.get(1).lines().forEach(l -> table.add("  " + l));
        }
        figures.put("local_s", localS);
        figures.put("same_as_local", same);
      }
      return new BenchResult(table, figures);
    } finally {
      Folders.deleteTree(work);
    }
  }

  /** The cached input folder for {@code documents}, written first if it is not complete. */
  static Path corpus(int documents) throws IOException {
    String root = System.getenv("REFINERY_CACHE");
    Path dir = Path.of(root != null ? root : System.getProperty("user.home") + "/.cache/refinery", "bench",
        "small-driver-" + documents + "-v" + CORPUS_VERSION);
    Path done = dir.resolve("_COMPLETE");
    if (Files.exists(done)) {
      return dir;
    }
    Folders.deleteTree(dir);
    Files.createDirectories(dir);
    DedupCorpus.Corpus c = new DedupCorpus().build(documents, 0.1, new double[] {0.0, 0.02, 0.05, 0.1}, 42);
    int files = Math.max(4, Math.min(64, documents / 16_000));
    ObjectMapper json = new ObjectMapper();
    Writer[] writers = new Writer[files];
    try {
      for (int f = 0; f < files; f++) {
        writers[f] = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(
            dir.resolve(String.format("part-%03d.jsonl.gz", f))), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
      }
      int i = 0;
      for (DedupCorpus.Doc d : c.docs()) {
        ObjectNode line = json.createObjectNode().put("id", d.id()).put("text", d.text());
        writers[i++ % files].write(json.writeValueAsString(line) + "\n");
      }
    } finally {
      for (Writer w : writers) {
        if (w != null) {
          w.close();
        }
      }
    }
    Files.writeString(done, documents + " documents\n");
    return dir;
  }

  /** spark-submit of {@code refinery run} to the cluster; per-stage seconds and rows from its log lines. */
  private static void submit(File home, Path corpus, Path work, List<String> stages, Map<String, Double> seconds,
      Map<String, Long> out) throws IOException, InterruptedException {
    String events = work.resolve("events").toString();
    String script = String.join("\n",
        "set -euo pipefail",
        ". \"$REFINERY_HOME/tests/lib/cluster.sh\"",
        "trap cluster_stop EXIT",
        "cluster_start >&2",
        "CLUSTER_DRIVER_MEMORY=1g CLUSTER_EXECUTOR_MEMORY=2g",
        "CLUSTER_SUBMIT_CONF=(--conf spark.eventLog.enabled=true --conf \"spark.eventLog.dir=file://$1\"",
        "  --conf spark.eventLog.logStageExecutorMetrics=true --conf spark.executor.metrics.pollingInterval=250ms",
        "  --conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false)",
        "export CLUSTER_DRIVER_MEMORY CLUSTER_EXECUTOR_MEMORY",
        "cluster_submit run --set \"" + RefineryRun.stagesSetting(stages) + "\" --set \"warehouse.root=\\\"$2\\\"\" \\",
        "  --set \"ingest.inputs=[\\\"$3\\\"]\" --set spark.log-level=ERROR");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, "small-driver", events,
        work.resolve("warehouse").toString(), corpus.toString()).directory(work.toFile()).redirectErrorStream(true);
    pb.environment().put("REFINERY_HOME", home.getAbsolutePath());
    RefineryRun.follow(pb.start(), "spark-submit run", seconds, out);
  }

  /**
   * The run summaries of each warehouse (every table's rows and doc_id fingerprint, drops per stage and reason,
   * as {@code refinery demo} prints them), without their first line (which names the warehouse).
   */
  private static List<String> summaries(Path... warehouses) {
    RefineryConfig config = RefineryConfig.load(List.of(), List.of("spark.log-level=ERROR"));
    SparkSession spark = SparkSessions.create(config, "bench-small-driver-summaries");
    try {
      List<String> out = new ArrayList<>();
      for (Path w : warehouses) {
        RefineryConfig c = RefineryConfig.load(List.of(), List.of("spark.log-level=ERROR",
            "warehouse.root=\"" + w + "\""));
        String summary = RunSummary.of(Warehouse.open(spark, c), c.getString("run.id")).strip();
        out.add(summary.substring(summary.indexOf('\n') + 1));
      }
      return out;
    } finally {
      spark.stop();
    }
  }
}
