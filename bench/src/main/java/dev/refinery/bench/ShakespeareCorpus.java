package dev.refinery.bench;

import dev.refinery.core.warehouse.Warehouse;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * ../shared/data/tinyshakespeare as a {@code mixture} table of consecutive chunks (documents), so the shard
 * writer's split by document gives a held-out share of the text, and {@code copies} repeats make it bigger.
 */
final class ShakespeareCorpus {
  private ShakespeareCorpus() {}

  static File file() {
    String d = System.getenv("REFINERY_SHARED_DATA");
    File base = d != null ? new File(d) : new File(System.getProperty("refinery.home", "."), "../shared/data");
    return new File(base, "tinyshakespeare/input.txt");
  }

  /** The doc_id of the last chunk of the first copy: the end of the text (nanoGPT's validation split). */
  static String lastChunkId(int chunks) {
    return "shakespeare-0-" + (chunks - 1);
  }

  /** Writes {@code chunks * copies} documents into the mixture table of run {@code runId}; returns characters. */
  static long writeMixture(Warehouse wh, String runId, int chunks, int copies) throws Exception {
    String text = Files.readString(file().toPath(), StandardCharsets.UTF_8);
    List<Row> rows = new ArrayList<>();
    int size = (text.length() + chunks - 1) / chunks;
    for (int c = 0; c < copies; c++) {
      for (int i = 0; i < chunks; i++) {
        String chunk = text.substring(Math.min(text.length(), i * size), Math.min(text.length(), (i + 1) * size));
        rows.add(RowFactory.create("shakespeare-" + c + "-" + i, chunk));
      }
    }
    StructType schema = new StructType().add("doc_id", DataTypes.StringType).add("text", DataTypes.StringType);
    wh.write(wh.spark().createDataFrame(rows, schema), "mixture", runId);
    return (long) text.length() * copies;
  }
}
