package dev.refinery.core.spark;

import dev.refinery.core.config.RefineryConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the one SparkSession of a run: Delta configured, master and settings from configuration. */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(RefineryConfig config, String appName) {
    SparkConf launched = new SparkConf(); // what spark-submit (or -Dspark.*) already set wins over conf
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (!launched.contains("spark.master")) {
      b.master(config.getString("spark.master"));
    }
    b.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    b.config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    String master = launched.get("spark.master", config.getString("spark.master"));
    Map<String, String> fromConfig = config.flatStrings("spark.conf");
    for (Map.Entry<String, String> e : localDefaults(master).entrySet()) {
      if (!userSet(e.getKey(), launched, fromConfig)) {
        b.config(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, String> e : fromConfig.entrySet()) {
      if (!launched.contains(e.getKey())) {
        b.config(e.getKey(), e.getValue());
      }
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel(config.getString("spark.log-level"));
    return spark;
  }

  /**
   * On a cluster, sizes shuffle partitions (2 per core) and Delta's log-replay tasks (1 per core) to the cores
   * of the executors registered now, as {@link #localSizes} does for one machine at start (a local session is
   * left as it is). Spark's 200 and Delta's 50 made a demo run on two 1-core executors schedule 14,000 tasks
   * for 57 documents. Nothing changes if no executor registers in time, nor for a setting the user gave
   * (spark-submit, {@code -Dspark.*}, {@code spark.conf}). The pipeline calls this before each stage, so the
   * sizes follow a cluster that grows or shrinks.
   */
  public static void sizeToCluster(SparkSession spark, RefineryConfig config) {
    if (spark.sparkContext().isLocal() || awaitExecutors(spark) == 0) {
      return; // local: sized at start; or no executor registered in Spark's own waiting time
    }
    SparkConf launched = new SparkConf();
    Map<String, String> fromConfig = config.flatStrings("spark.conf");
    for (Map.Entry<String, String> e : sizesFor(spark.sparkContext().defaultParallelism()).entrySet()) {
      if (!userSet(e.getKey(), launched, fromConfig)) {
        spark.conf().set(e.getKey(), e.getValue());
      }
    }
  }

  /** True if the user set {@code key}: through spark-submit or {@code -Dspark.*} (launched), or in {@code spark.conf}. */
  private static boolean userSet(String key, SparkConf launched, Map<String, String> fromConfig) {
    return launched.contains(key) || fromConfig.containsKey(key);
  }

  /**
   * The executors registered now; in an application that has none yet (one spark-submit per stage, as the Airflow
   * DAG runs them), waits for them as Spark's scheduler would before its first job
   * ({@code spark.scheduler.maxRegisteredResourcesWaitingTime}, 30 s by default) until their number has held for
   * a second, so no time is lost: no task runs before an executor is there.
   */
  private static int awaitExecutors(SparkSession spark) {
    int seen = executors(spark);
    if (seen > 0) {
      return seen;
    }
    long waitMs = spark.sparkContext().getConf().getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s");
    long deadline = System.currentTimeMillis() + waitMs;
    long heldSince = System.currentTimeMillis();
    while (System.currentTimeMillis() < deadline && (seen == 0 || System.currentTimeMillis() - heldSince < 1000)) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      int now = executors(spark);
      if (now != seen) {
        seen = now;
        heldSince = System.currentTimeMillis();
      }
    }
    return seen;
  }

  private static int executors(SparkSession spark) {
    return spark.sparkContext().statusTracker().getExecutorInfos().length - 1; // the driver is listed too
  }

  /** 2 shuffle partitions and 1 Delta log-replay task per core: one rule for one machine and for a cluster. */
  static Map<String, String> sizesFor(int cores) {
    Map<String, String> sizes = new LinkedHashMap<>();
    sizes.put("spark.sql.shuffle.partitions", String.valueOf(2 * Math.max(1, cores)));
    sizes.put("spark.databricks.delta.snapshotPartitions", String.valueOf(Math.max(1, cores)));
    return sizes;
  }

  /**
   * What a local master gets unless the user set it: {@link #localSizes}, and no web UI (a local run is a batch
   * command on this machine; starting the UI's server and pages is about a second of every run's start-up):
   * {@code spark.conf."spark.ui.enabled" = true} brings it back. None for a cluster.
   */
  static Map<String, String> localDefaults(String master) {
    Map<String, String> defaults = new LinkedHashMap<>(localSizes(master));
    if (!defaults.isEmpty()) {
      defaults.put("spark.ui.enabled", "false");
    }
    return defaults;
  }

  /**
   * Partition counts for one machine (a {@code local} master; none for a cluster): Spark's 200 shuffle
   * partitions and Delta's 50 log-replay tasks are sized for clusters, and on a few cores each of those
   * mostly empty tasks (and each small file a write makes of them) is fixed cost paid by every stage: on
   * 2 cores about a minute of a 5,000-document run. {@code spark.conf} settings override these.
   */
  static Map<String, String> localSizes(String master) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?").matcher(master);
    if (!m.matches()) {
      return Map.of();
    }
    int cores = m.group(1) == null ? 1
        : m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    return sizesFor(cores);
  }
}
