package dev.refinery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synth stage in a child JVM with a fake API key in its environment (named by
 * synth.endpoint.api-key-env), Spark logging at INFO, against a loopback endpoint: the key reaches the
 * endpoint, and appears nowhere else: not in stdout/stderr, any table row (stage_stats, rejects, the LLM
 * cache, ...), any byte of any file under the warehouse (Delta logs included), or the printed configuration.
 */
class SecretsTest {
  static final String KEY_ENV = "REFINERY_IT_FAKE_API_KEY";
  static final String KEY = "sk-it-" + UUID.randomUUID().toString().replace("-", "");
  @TempDir
  static Path tmp;
  private static FakeLlmServer llm;
  private static SparkSession spark;
  private static ChildJvm.Result run;
  private static Path warehouse;
  private static List<String> settings;

  @BeforeAll
  static void runSynthWithAKey() throws Exception {
    llm = new FakeLlmServer();
    warehouse = tmp.resolve("warehouse");
    settings = new ArrayList<>(FakeLlmServer.synthSettings(llm.baseUrl()));
    settings.addAll(List.of("warehouse.root=" + warehouse, "run.id=secrets", "pipeline.stages=[\"synth\"]",
        "synth.endpoint.api-key-env=" + KEY_ENV, "spark.log-level=INFO"));
    List<String> args = new ArrayList<>(List.of("run"));
    for (String s : settings) {
      args.add("--set");
      args.add(s);
    }
    args.addAll(ChildJvm.smallSpark());
    run = ChildJvm.refinery(tmp.resolve("child"), "1500m", 400, Map.of(KEY_ENV, KEY), args);
    System.out.printf("it: synth with an API key in a child JVM: %.1f s%n", run.millis() / 1000.0);
    spark = TestSpark.start();
  }

  @AfterAll
  static void stop() {
    llm.close();
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void theKeyReachesTheEndpointOnly() {
    assertEquals(0, run.exitCode(), ChildJvm.tail(run.stderr()));
    assertTrue(llm.authorizations.contains("Bearer " + KEY), "the endpoint got the key from the environment");
    assertTrue(run.stderr().contains("stage synth done"), "the run's log was captured: " + run.stderr());
    assertFalse(run.output().contains(KEY), "key in the child's stdout/stderr");
  }

  @Test
  void theKeyIsInNoTableAndNoWarehouseFile() throws IOException {
    Warehouse wh = new Warehouse(spark, warehouse.toString());
    assertTrue(wh.tables().containsAll(List.of("stage_stats", "instructions", "llm_cache")), "" + wh.tables());
    for (String t : wh.tables()) {
      for (Row r : wh.read(t).collectAsList()) {
        assertFalse(r.toString().contains(KEY), "key in a row of " + t);
      }
    }
    byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(warehouse)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(contains(Files.readAllBytes(f), key), "key in the bytes of " + f);
      }
    }
  }

  @Test
  void thePrintedConfigurationHoldsNoSecret() {
    List<String> withSecret = new ArrayList<>(settings);
    // a secret someone put in conf for the file system: masked when printed
    withSecret.add("spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=" + KEY);
    String printed = RefineryConfig.load(List.of(), withSecret).renderMasked();
    assertTrue(printed.contains(KEY_ENV), "the variable's name is printed");
    assertFalse(printed.contains(KEY), "the key is not");
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
