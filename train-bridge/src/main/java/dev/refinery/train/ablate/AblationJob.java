package dev.refinery.train.ablate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Pipeline;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.StageStats;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.tokenizer.BpeTrainer;
import dev.refinery.models.tokenizer.SpecialTokens;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.train.ablate.AblationResults.Result;
import dev.refinery.train.ablate.AblationSettings.Variant;
import dev.refinery.train.eval.EvalJob;
import dev.refinery.train.eval.EvalRequest;
import dev.refinery.train.eval.EvalResult;
import dev.refinery.train.eval.EvalTask;
import dev.refinery.train.trainer.ModelFolders;
import dev.refinery.train.trainer.PretrainJob;
import dev.refinery.train.trainer.TrainMetric;
import dev.refinery.train.trainer.TrainSummary;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;

/**
 * {@code refinery ablate}: every variant's pipeline run (core's {@link Pipeline}, stages by name), the same
 * model pretrained on its shards ({@link PretrainJob}) and scored on the same {@code eval.tasks}
 * ({@link EvalJob}), its results row. Variants run as parallel Spark jobs
 * (one job group each) on the one session. Progress is kept per variant under
 * {@code <warehouse>/_ablations/<name>/<variant>/<data fingerprint>/<fingerprint>/}: a variant whose result
 * row has the same fingerprint is skipped, one half done goes on from its last finished stage or checkpoint,
 * and one whose model or evaluation changed but not its data trains again without running the pipeline.
 */
public final class AblationJob {
  /** Attempts of a step that lost a race for a Delta commit to a parallel variant (its writes are idempotent). */
  private static final int COMMIT_ATTEMPTS = 5;
  /** Held while a variant trains and evaluates its model in a local-mode JVM (see {@link #variant}). */
  private static final Object LOCAL_MODELS = new Object();
  private static final String STARTED = "started";
  private static final String TRAINED = "trained";
  private static final String CHECKPOINTS = "checkpoints";

  private final StageContext ctx;
  private final AblationSettings settings;
  private final Consumer<String> log;
  private final Pipeline pipeline = Pipeline.discover();

  public AblationJob(StageContext ctx, Consumer<String> log) {
    this.ctx = ctx;
    this.settings = AblationSettings.from(ctx.config());
    this.log = log;
  }

  public AblationSettings settings() {
    return settings;
  }

  /** Runs (or resumes) every variant and returns their results in the order of {@code ablate.variants}. */
  public List<Result> run() {
    // every variant's configuration and stages are checked before anything is written
    String tokenizer = tokenizerFile();
    List<Prepared> prepared = settings.variants().stream().map(v -> prepare(v, tokenizer)).toList();
    ctx.warehouse().checkWritable();
    SparkContext sc = ctx.spark().sparkContext();
    // local mode: the machine's cores (local.conf raises default parallelism above them); a cluster: its slots
    int cores = sc.isLocal() ? Runtime.getRuntime().availableProcessors() : sc.defaultParallelism();
    int threads = Math.min(prepared.size(),
        settings.parallelism() > 0 ? settings.parallelism() : Math.max(1, cores / settings.cores()));
    log.accept(String.format("ablation %s: %d variants, %d at a time, %d steps of %d tokens each (budget %d)",
        settings.name(), prepared.size(), threads, settings.steps(),
        (long) settings.batchSize() * (settings.sequenceLength() - 1), settings.tokens()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (Prepared p : prepared) {
        futures.add(pool.submit(() -> inJobGroup(p)));
      }
      List<Result> results = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          results.add(futures.get(i).get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RefineryException r) {
            throw new RefineryException("variant " + prepared.get(i).variant().name() + ": " + r.getMessage());
          }
          throw new RefineryException("variant " + prepared.get(i).variant().name() + " failed: " + cause, cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RefineryException("ablation interrupted");
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A variant with its configuration, run id, settings fingerprint and the stages it runs, in run order;
   * {@code dataDir} keeps its pipeline progress (per data fingerprint), {@code dir} under it its model's.
   */
  private record Prepared(Variant variant, String runId, String fingerprint, RefineryConfig config, List<Stage> stages,
      Path dataDir, Path dir) {}

  private Prepared prepare(Variant v, String tokenizer) {
    com.typesafe.config.Config all = ctx.config().raw();
    String base = rendered(all.withoutPath("ablate").withoutPath("run").withoutPath("eval"));
    String dataFingerprint = settings.dataFingerprint(v, base);
    String fingerprint = settings.fingerprint(v, base, rendered(all.getConfig("eval")));
    Path dataDir = new Path(ctx.warehouse().root() + "/_ablations/" + settings.name() + "/" + v.name() + "/"
        + dataFingerprint);
    Path dir = new Path(dataDir, fingerprint);
    RefineryConfig c = ctx.config();
    List<String> overrides = new ArrayList<>(settings.dataOverrides(v, tokenizer));
    overrides.addAll(settings.modelOverrides(new Path(dir, CHECKPOINTS).toString()));
    for (String kv : overrides) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new RefineryException("ablate: variant " + v.name() + ": '" + kv + "' is not key=value");
      }
      try {
        c = c.with(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      } catch (RefineryException e) {
        throw new RefineryException("ablate: variant " + v.name() + ": " + e.getMessage());
      }
    }
    List<String> names = settings.stages().isEmpty() ? c.getStringList("pipeline.stages") : settings.stages();
    List<Stage> stages = Pipeline.inRunOrder(pipeline.selected(names), c);
    StageContext vctx = new StageContext(ctx.spark(), c, ctx.warehouse(), settings.runId(v));
    for (Stage s : stages) {
      s.validate(vctx);
    }
    checkEvaluation(c);
    return new Prepared(v, settings.runId(v), fingerprint, c, stages, dataDir, dir);
  }

  /** Every variant is scored on eval.tasks: there must be some, and their files must be there before we start. */
  private static void checkEvaluation(RefineryConfig c) {
    EvalRequest r = EvalRequest.from(c);
    if (r.tasks().isEmpty()) {
      throw new RefineryException("ablate: no evaluation; define the held-out text and tasks under eval.tasks, e.g. "
          + "eval.tasks.heldout = { kind = perplexity, file = \"heldout.jsonl\" }");
    }
    for (EvalTask t : r.tasks()) {
      if (t.kind() != EvalTask.Kind.VALIDATION && !Files.isRegularFile(java.nio.file.Path.of(t.file()))) {
        throw new RefineryException("ablate: eval.tasks." + t.name() + ".file '" + t.file() + "' not found");
      }
    }
  }

  private static String rendered(com.typesafe.config.Config c) {
    return c.root().render(ConfigRenderOptions.concise().setJson(false));
  }

  private Result inJobGroup(Prepared p) {
    SparkContext sc = ctx.spark().sparkContext();
    sc.setJobGroup(p.runId(), "refinery ablate " + p.runId(), false);
    try {
      return variant(p);
    } finally {
      sc.clearJobGroup();
    }
  }

  private Result variant(Prepared p) {
    Warehouse wh = ctx.warehouse();
    Consumer<String> vlog = line -> log.accept("variant " + p.variant().name() + ": " + line);
    var done = AblationResults.find(wh, settings.name(), p.variant().name(), p.fingerprint());
    if (done.isPresent()) {
      vlog.accept("done earlier with the same settings, skipped");
      return done.get();
    }
    long started = startedAt(p.dataDir());
    StageContext vctx = new StageContext(ctx.spark(), p.config(), wh, p.runId());
    // 1. the pipeline, from the first stage this attempt has not finished
    committing(vlog, () -> {
      Set<String> finished = stagesFinishedSince(p.runId(), started);
      List<Stage> remaining = p.stages().stream().filter(s -> !finished.contains(s.name())).toList();
      if (remaining.size() < p.stages().size()) {
        vlog.accept("stages " + String.join(", ", finished) + " already done");
      }
      if (!remaining.isEmpty()) {
        pipeline.run(vctx, remaining, vlog);
      }
      return null;
    });
    // Steps 2 and 3 run one variant at a time in local mode: two trainers' backward passes at once in one JVM
    // crashed libtorch (SIGSEGV in at::accelerator::getAccelerator under torchBackward); pipelines still overlap.
    double[] trained;
    Map<String, Double> metrics = new TreeMap<>();
    synchronized (ctx.spark().sparkContext().isLocal() ? LOCAL_MODELS : new Object()) {
      // 2. the model, resumed from its last checkpoint if an earlier attempt stopped mid-way
      trained = readTrained(p.dir());
      if (trained == null) {
        vlog.accept("pretraining " + settings.steps() + " steps");
        TrainSummary s = committing(vlog, () -> PretrainJob.run(vctx));
        // a trainer resumed from its final checkpoint takes no step: its losses are the restored metrics' last
        trained = new double[] {s.tokens(), last(s.metrics(), "train_loss"), last(s.metrics(), "val_loss")};
        writeTrained(p.dir(), trained);
      } else {
        vlog.accept("model already trained");
      }
      // 3. the same held-out text and tasks (eval.tasks) for every variant's model
      String model = new Path(new Path(p.dir(), CHECKPOINTS), ModelFolders.MODEL).toString();
      EvalRequest request = EvalRequest.from(p.config()).withModel(model, "", p.runId());
      vlog.accept("evaluating on " + String.join(", ", request.tasks().stream().map(EvalTask::name).toList()));
      List<EvalResult> rows = committing(vlog, () -> EvalJob.run(vctx, request));
      for (EvalResult e : rows) {
        if (e.domain().equals(EvalResult.ALL) && e.language().equals(EvalResult.ALL) && !e.metric().equals("tokens")) {
          metrics.put(e.task() + "/" + e.metric(), e.value());
        }
      }
    }
    Result r = new Result(p.variant().name(), p.runId(), p.fingerprint(), (long) trained[0], trained[1], trained[2],
        metrics);
    committing(vlog, () -> {
      AblationResults.write(wh, settings.name(), r);
      return null;
    });
    vlog.accept("done");
    return r;
  }

  private static double last(List<TrainMetric> metrics, String name) {
    double v = Double.NaN;
    for (TrainMetric m : metrics) {
      if (m.name().equals(name)) {
        v = m.value();
      }
    }
    return v;
  }

  /** Stages whose stage_stats row of this run was written by this settings' attempts. */
  private Set<String> stagesFinishedSince(String runId, long startedMs) {
    Set<String> out = new HashSet<>();
    if (ctx.warehouse().exists(StageStats.TABLE)) {
      ctx.warehouse().readRun(StageStats.TABLE, runId).where(col("started_at").geq(lit(new Timestamp(startedMs))))
          .select("stage").collectAsList().forEach(r -> out.add(r.getString(0)));
    }
    return out;
  }

  /**
   * Runs a step again when it lost a Delta commit race to a parallel variant (Delta's conflict exceptions are
   * {@link ConcurrentModificationException}s); every step writes idempotently by run id, so a retry is safe.
   */
  private static <T> T committing(Consumer<String> vlog, Supplier<T> step) {
    for (int attempt = 1; ; attempt++) {
      try {
        return step.get();
      } catch (RuntimeException e) {
        if (attempt == COMMIT_ATTEMPTS || !lostCommitRace(e)) {
          throw e;
        }
        vlog.accept("a parallel variant committed to the same table first; retrying (" + attempt + ")");
      }
    }
  }

  private static boolean lostCommitRace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConcurrentModificationException) {
        return true;
      }
    }
    return false;
  }

  /** When these settings' first attempt started (written by it), so later attempts resume rather than redo. */
  private long startedAt(Path dir) {
    Path marker = new Path(dir, STARTED);
    try {
      FileSystem fs = marker.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration());
      if (!fs.exists(marker)) {
        long now = System.currentTimeMillis();
        writeText(fs, marker, Long.toString(now));
        return now;
      }
      return Long.parseLong(readText(fs, marker).trim());
    } catch (IOException | NumberFormatException e) {
      throw new RefineryException("cannot read or write the ablation progress marker " + marker + ": " + e.getMessage());
    }
  }

  private double[] readTrained(Path dir) {
    Path marker = new Path(dir, TRAINED);
    try {
      FileSystem fs = marker.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration());
      if (!fs.exists(marker)) {
        return null;
      }
      String[] f = readText(fs, marker).trim().split(" ");
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (IOException | RuntimeException e) {
      return null; // an unreadable marker: train again (resuming from the checkpoint, which is cheap)
    }
  }

  private void writeTrained(Path dir, double[] trained) {
    Path marker = new Path(dir, TRAINED);
    try {
      writeText(marker.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration()), marker,
          (long) trained[0] + " " + trained[1] + " " + trained[2]);
    } catch (IOException e) {
      throw new RefineryException("cannot write the ablation progress marker " + marker + ": " + e.getMessage());
    }
  }

  private static void writeText(FileSystem fs, Path p, String text) throws IOException {
    try (OutputStream o = fs.create(p, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String readText(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The tokenizer every variant's shards use: {@code ablate.train.tokenizer} itself, or for "bytes" a
   * byte-level vocabulary with no merges written to a local file (the shards stage keeps its own copy).
   */
  private String tokenizerFile() {
    if (!settings.tokenizer().equals("bytes")) {
      return settings.tokenizer();
    }
    try {
      java.nio.file.Path dir = Files.createTempDirectory("refinery-ablate");
      java.nio.file.Path file = dir.resolve(Tokenizers.FILE_NAME);
      new BpeTrainer(256 + SpecialTokens.CHAT.size()).train(Map.of()).save(file);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ablation's byte tokenizer", e);
    }
  }
}
