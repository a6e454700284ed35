package dev.refinery.core.spark;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Progress of long stages on the console: which pipeline stage, Spark tasks done of total, rows read, rate
 * and ETA. On a terminal the line is redrawn in place; otherwise (logs, Airflow) one line at most every
 * {@code quietIntervalMs}, so logs are not flooded.
 */
public final class ConsoleProgress extends SparkListener {
  private final PrintStream out;
  private final boolean terminal;
  private final long intervalMs;
  private final Map<Integer, int[]> tasks = new ConcurrentHashMap<>(); // stage id -> {done, total}
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong lastPrint = new AtomicLong();
  private volatile String label = "";
  private volatile long startedMs = System.currentTimeMillis();

  public ConsoleProgress(PrintStream out, boolean terminal, long quietIntervalMs) {
    this.out = out;
    this.terminal = terminal;
    this.intervalMs = terminal ? 500 : quietIntervalMs;
  }

  /** Attaches a progress reporter to {@code spark} writing to stderr. */
  public static ConsoleProgress attach(SparkSession spark, long quietIntervalMs) {
    ConsoleProgress p = new ConsoleProgress(System.err, System.console() != null, quietIntervalMs);
    spark.sparkContext().addSparkListener(p);
    return p;
  }

  /** Names the pipeline stage now running and resets the counters. */
  public void begin(String pipelineStage) {
    label = pipelineStage;
    rows.set(0);
    tasks.clear();
    startedMs = System.currentTimeMillis();
  }

  /** Ends the stage's progress line (on a terminal, moves to a fresh line). */
  public void end() {
    if (terminal && lastPrint.get() > 0) {
      out.print("\r\033[K");
      out.flush();
    }
    lastPrint.set(0);
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted e) {
    tasks.put(e.stageInfo().stageId(), new int[] {0, e.stageInfo().numTasks()});
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted e) {
    tasks.remove(e.stageInfo().stageId());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    int[] t = tasks.get(e.stageId());
    if (t != null) {
      synchronized (t) {
        t[0]++;
      }
    }
    if (e.taskMetrics() != null) {
      rows.addAndGet(e.taskMetrics().inputMetrics().recordsRead());
    }
    long now = System.currentTimeMillis();
    long last = lastPrint.get();
    if (now - last >= intervalMs && lastPrint.compareAndSet(last, now)) {
      print(now);
    }
  }

  private void print(long now) {
    int done = 0;
    int total = 0;
    for (int[] t : tasks.values()) {
      synchronized (t) {
        done += t[0];
        total += t[1];
      }
    }
    double secs = Math.max(0.001, (now - startedMs) / 1000.0);
    long r = rows.get();
    String eta = done > 0 && total > done ? String.format(", ETA %.0f s", secs * (total - done) / done) : "";
    String line = String.format("refinery: %s: tasks %d/%d, %d rows read, %.0f rows/s%s", label, done, total, r,
        r / secs, eta);
    if (terminal) {
      out.print("\r\033[K" + line);
    } else {
      out.println(line);
    }
    out.flush();
  }
}
