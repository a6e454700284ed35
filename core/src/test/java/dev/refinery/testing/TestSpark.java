package dev.refinery.testing;

import dev.refinery.core.config.RefineryConfig;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Shared test support (published in core's test-jar): one small local SparkSession per test class, a
 * configuration pointing at a temporary warehouse, and the location of ../shared/data.
 */
public final class TestSpark {
  private TestSpark() {}

  /** local[2], two shuffle partitions, no adaptive execution, Delta configured, no UI. Stop it in {@code @AfterAll}. */
  public static SparkSession start() {
    return start("local[2]");
  }

  /** The same session on another master, e.g. {@code local[2,3]} to let Spark retry failed tasks. */
  public static SparkSession start(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("refinery-test")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        // Tiny inputs: adaptive re-planning of every stage costs more CPU than it saves (15% here).
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "2")
        .getOrCreate();
  }

  /** Defaults plus {@code warehouse.root} at {@code warehouse} plus the given key=value overrides. */
  public static RefineryConfig config(Path warehouse, String... overrides) {
    List<String> sets = new ArrayList<>();
    sets.add("warehouse.root=\"" + warehouse.toAbsolutePath() + "\"");
    sets.addAll(List.of(overrides));
    return RefineryConfig.load(List.of(), sets);
  }

  /** The project root (where conf/ and demo/ are). */
  public static File home() {
    String h = System.getenv("REFINERY_HOME");
    if (h == null) {
      h = System.getProperty("refinery.home", "..");
    }
    return new File(h);
  }

  /** ../shared/data (override with REFINERY_SHARED_DATA). */
  public static File sharedData(String relative) {
    String d = System.getenv("REFINERY_SHARED_DATA");
    File base = d != null ? new File(d) : new File(home(), "../shared/data");
    return new File(base, relative);
  }
}
