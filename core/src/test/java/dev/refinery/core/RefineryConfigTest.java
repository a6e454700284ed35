package dev.refinery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.config.RefineryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefineryConfigTest {
  @Test
  void defaultsLoadAndOverridesWin(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("a.conf");
    Files.writeString(f, "warehouse.root = \"/tmp/x\"\nrun.id = from-file\n");
    RefineryConfig c = RefineryConfig.load(List.of(f.toString()), List.of("run.id=from-set"));
    assertEquals("/tmp/x", c.getString("warehouse.root"));
    assertEquals("from-set", c.getString("run.id"));
    assertEquals("local[*]", c.getString("spark.master"));
  }

  @Test
  void misspelledKeyNamesTheClosestKnownKey() {
    RefineryException e = assertThrows(RefineryException.class,
        () -> RefineryConfig.load(List.of(), List.of("warehouse.rot=/tmp")));
    assertTrue(e.getMessage().contains("'warehouse.rot'"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'warehouse.root'"), e.getMessage());
  }

  @Test
  void misspelledKeyInAFileIsAnErrorToo(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("b.conf");
    Files.writeString(f, "spark { mastr = \"local[1]\" }\n");
    RefineryException e = assertThrows(RefineryException.class,
        () -> RefineryConfig.load(List.of(f.toString()), List.of()));
    assertTrue(e.getMessage().contains("did you mean 'spark.master'"), e.getMessage());
  }

  @Test
  void emptyDefaultObjectsAreOpenMaps() {
    RefineryConfig c = RefineryConfig.load(List.of(),
        List.of("spark.conf.\"spark.sql.shuffle.partitions\"=3"));
    assertEquals("3", c.flatStrings("spark.conf").get("spark.sql.shuffle.partitions"));
  }

  @Test
  void missingConfFileIsAClearError() {
    RefineryException e = assertThrows(RefineryException.class,
        () -> RefineryConfig.load(List.of("/no/such.conf"), List.of()));
    assertTrue(e.getMessage().contains("/no/such.conf"));
  }

  @Test
  void profilesInConfFolderAreValid() {
    for (String p : List.of("local.conf", "cluster.conf", "gpu.conf")) {
      RefineryConfig c = RefineryConfig.load(List.of(dev.refinery.testing.TestSpark.home() + "/conf/" + p),
          List.of());
      assertFalse(c.flatStrings("spark.conf").isEmpty(), p);
    }
  }

  @Test
  void secretsAreMaskedWhenRendered() {
    RefineryConfig c = RefineryConfig.load(List.of(),
        List.of("spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=hunter2"));
    assertFalse(c.renderMasked().contains("hunter2"));
  }
}
