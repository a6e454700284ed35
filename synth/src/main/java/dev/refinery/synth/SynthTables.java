package dev.refinery.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.core.RefineryException;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.synth.client.ChatMessage;
import dev.refinery.synth.generators.PreferencePairs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code instructions} (alpaca columns instruction/input/output plus an OpenAI {@code messages} array)
 * and {@code preferences} (prompt/chosen/rejected with judge scores) tables, the run's rejects, and the JSONL
 * exports trainers read directly: alpaca.jsonl, messages.jsonl, preferences.jsonl.
 */
public final class SynthTables {
  public static final String INSTRUCTIONS = "instructions";
  public static final String PREFERENCES = "preferences";
  public static final String STAGE = "synth";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ArrayType MESSAGES = DataTypes.createArrayType(new StructType()
      .add("role", DataTypes.StringType, false)
      .add("content", DataTypes.StringType, false), false);

  public static final StructType INSTRUCTIONS_SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("instruction", DataTypes.StringType, false)
      .add("input", DataTypes.StringType, false)
      .add("output", DataTypes.StringType, false)
      .add("messages", MESSAGES, false)
      .add("lang", DataTypes.StringType, false)
      .add("generator", DataTypes.StringType, false)
      .add("parent_id", DataTypes.StringType, true)
      .add("model", DataTypes.StringType, false)
      .add("prompt_tokens", DataTypes.LongType, false)
      .add("completion_tokens", DataTypes.LongType, false);

  public static final StructType PREFERENCES_SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("prompt", DataTypes.StringType, false)
      .add("chosen", DataTypes.StringType, false)
      .add("rejected", DataTypes.StringType, false)
      .add("chosen_score", DataTypes.IntegerType, false)
      .add("rejected_score", DataTypes.IntegerType, false)
      .add("chosen_rationale", DataTypes.StringType, true)
      .add("rejected_rationale", DataTypes.StringType, true)
      .add("lang", DataTypes.StringType, false)
      .add("generator", DataTypes.StringType, false);

  private SynthTables() {}

  /** Replaces this run's rows of instructions, preferences and synth rejects (idempotent). */
  public static void write(Warehouse warehouse, String runId, SynthOutput out) {
    SparkSession spark = warehouse.spark();
    List<Row> instructions = new ArrayList<>();
    for (SynthOutput.Example e : out.examples()) {
      Instruction i = e.instruction();
      List<Row> messages = List.of(RowFactory.create("user", i.userTurn()),
          RowFactory.create("assistant", e.response().text()));
      instructions.add(RowFactory.create(i.id(), i.instruction(), i.input(), e.response().text(), messages,
          i.lang(), i.generator(), i.parentId(), e.model(), e.response().promptTokens(),
          e.response().completionTokens()));
    }
    warehouse.write(spark.createDataFrame(instructions, INSTRUCTIONS_SCHEMA), INSTRUCTIONS, runId);
    List<Row> prefs = new ArrayList<>();
    for (PreferencePairs.Pair p : out.pairs()) {
      Instruction i = p.instruction();
      prefs.add(RowFactory.create(i.id(), i.userTurn(), p.chosen(), p.rejected(), p.chosenScore(),
          p.rejectedScore(), p.chosenRationale(), p.rejectedRationale(), i.lang(), i.generator()));
    }
    warehouse.write(spark.createDataFrame(prefs, PREFERENCES_SCHEMA), PREFERENCES, runId);
    List<Row> rejects = out.rejects().stream()
        .map(r -> RowFactory.create(r.id(), r.source(), r.reason(), r.excerpt())).toList();
    Rejects.write(warehouse, runId, STAGE, spark.createDataFrame(rejects, Rejects.SCHEMA));
  }

  /** Writes the three JSONL files into {@code dir} (any Hadoop path), replacing earlier ones. */
  public static void export(SparkSession spark, String dir, SynthOutput out) {
    List<String> alpaca = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    for (SynthOutput.Example e : out.examples()) {
      Instruction i = e.instruction();
      ObjectNode a = JSON.createObjectNode().put("instruction", i.instruction()).put("input", i.input())
          .put("output", e.response().text());
      alpaca.add(a.toString());
      ObjectNode m = JSON.createObjectNode();
      var arr = m.putArray("messages");
      for (ChatMessage c : List.of(ChatMessage.user(i.userTurn()), ChatMessage.assistant(e.response().text()))) {
        arr.addObject().put("role", c.role()).put("content", c.content());
      }
      messages.add(m.toString());
    }
    List<String> prefs = new ArrayList<>();
    for (PreferencePairs.Pair p : out.pairs()) {
      prefs.add(JSON.createObjectNode().put("prompt", p.instruction().userTurn()).put("chosen", p.chosen())
          .put("rejected", p.rejected()).put("chosen_score", p.chosenScore())
          .put("rejected_score", p.rejectedScore()).toString());
    }
    writeLines(spark, dir + "/alpaca.jsonl", alpaca);
    writeLines(spark, dir + "/messages.jsonl", messages);
    writeLines(spark, dir + "/preferences.jsonl", prefs);
  }

  private static void writeLines(SparkSession spark, String file, List<String> lines) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream o = fs.create(p, true)) {
        for (String l : lines) {
          o.write(l.getBytes(StandardCharsets.UTF_8));
          o.write('\n');
        }
      }
    } catch (IOException e) {
      throw new RefineryException("cannot write export " + file + ": " + e.getMessage()
          + "; set synth.export.dir to a folder you can write");
    }
  }
}
