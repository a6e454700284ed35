package dev.refinery.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  @Test
  void localMastersGetPartitionsSizedToTheirCores() {
    assertEquals(Map.of("spark.sql.shuffle.partitions", "6", "spark.databricks.delta.snapshotPartitions", "3"),
        SparkSessions.localSizes("local[3]"));
    assertEquals("8", SparkSessions.localSizes("local[4,2]").get("spark.sql.shuffle.partitions"));
    assertEquals("2", SparkSessions.localSizes("local").get("spark.sql.shuffle.partitions"));
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(String.valueOf(cores), SparkSessions.localSizes("local[*]")
        .get("spark.databricks.delta.snapshotPartitions"));
  }

  @Test
  void clustersGetTwoShufflePartitionsAndOneLogReplayTaskPerRegisteredCore() {
    assertEquals(Map.of("spark.sql.shuffle.partitions", "16", "spark.databricks.delta.snapshotPartitions", "8"),
        SparkSessions.sizesFor(8));
    assertEquals("2", SparkSessions.sizesFor(0).get("spark.sql.shuffle.partitions"));
  }

  @Test
  void localRunsHaveNoWebUiUnlessAskedFor() {
    assertEquals("false", SparkSessions.localDefaults("local[2]").get("spark.ui.enabled"));
    assertEquals("4", SparkSessions.localDefaults("local[2]").get("spark.sql.shuffle.partitions"));
    assertTrue(SparkSessions.localDefaults("yarn").isEmpty(), "a cluster's driver keeps its UI");
  }

  @Test
  void clusterMastersAreNotSizedAtStart() {
    assertTrue(SparkSessions.localSizes("yarn").isEmpty());
    assertTrue(SparkSessions.localSizes("spark://host:7077").isEmpty());
    assertTrue(SparkSessions.localSizes("local-cluster[2,1,1024]").isEmpty());
  }
}
