package dev.refinery.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.RefineryException;
import dev.refinery.core.warehouse.Runs;
import dev.refinery.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlOutputTest {
  static SparkSession spark;
  static Dataset<Row> rows;

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
    rows = spark.sql("SELECT * FROM VALUES (1, 'plain', map('k', 1)), (2, 'a, \"quoted\"\nline', map()) "
        + "AS t(n, text, m)");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static String written(ResultFormat f, Dataset<Row> d) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    f.write(d, new PrintStream(b, true, StandardCharsets.UTF_8), null);
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void csvQuotesFieldsAndWritesNestedValuesAsJson() {
    assertEquals("n,text,m\r\n1,plain,\"{\"\"k\"\":1}\"\r\n2,\"a, \"\"quoted\"\"\nline\",{}\r\n",
        written(ResultFormat.CSV, rows));
  }

  @Test
  void jsonIsOneObjectPerLineAndTableCutsLongCells() {
    List<String> lines = written(ResultFormat.JSON, rows).lines().toList();
    assertEquals(2, lines.size());
    assertEquals("{\"n\":1,\"text\":\"plain\",\"m\":{\"k\":1}}", lines.get(0));
    String table = written(ResultFormat.TABLE, spark.sql("SELECT repeat('x', 100) AS long"));
    assertEquals("long\n" + "x".repeat(57) + "...\n", table);
    assertEquals(20, ResultFormat.TABLE.defaultLimit());
    assertEquals(null, ResultFormat.CSV.defaultLimit());
    assertThrows(RefineryException.class, () -> ResultFormat.parse("xml"));
  }

  @Test
  void parquetIsWrittenToAFolderThatReadsBack(@TempDir Path dir) {
    String out = dir.resolve("result").toString();
    ResultFormat.PARQUET.write(rows, System.out, out);
    assertEquals(2, spark.read().parquet(out).count());
  }

  @Test
  void runsArePrintedLatestFirstWithTheirStages() {
    Runs.StageRun ingest = new Runs.StageRun("ingest", new Timestamp(0), 1500, 10, 8);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    RunsCommand.print("wh", List.of(new Runs.Run("demo", List.of(ingest))), new PrintStream(b, true,
        StandardCharsets.UTF_8));
    String text = b.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("run demo:") && text.matches("(?s).*ingest .* 1\\.5 +10 +8\\n.*"), text);
  }
}
