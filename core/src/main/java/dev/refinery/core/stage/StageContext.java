package dev.refinery.core.stage;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.warehouse.Warehouse;
import org.apache.spark.sql.SparkSession;

/** What a stage gets to work with: Spark, the configuration, the warehouse and the id of this run. */
public record StageContext(SparkSession spark, RefineryConfig config, Warehouse warehouse, String runId) {}
