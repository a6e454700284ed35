package dev.refinery.core.spark;

import dev.refinery.core.config.RefineryConfig;
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
    for (Map.Entry<String, String> e : config.flatStrings("spark.conf").entrySet()) {
      if (!launched.contains(e.getKey())) {
        b.config(e.getKey(), e.getValue());
      }
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel(config.getString("spark.log-level"));
    return spark;
  }
}
