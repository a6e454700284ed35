package dev.refinery.train.eval;

import dev.refinery.core.RefineryException;
import dev.refinery.core.decont.ContaminationIndex;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * How many of a task's items occur in the training tables ({@code eval.contamination-tables}), by the word n-grams
 * of {@link ContaminationIndex} (sized by {@code decontamination.*}, as dedup and synth check them): one index of all
 * items finds the training rows that share an n-gram with any item, in one Spark pass; each item is then checked
 * against those rows alone.
 */
final class TaskContamination {
  private TaskContamination() {}

  /** Stops with one line when a table is missing (checked before anything is written). */
  static void validate(StageContext ctx, EvalRequest r) {
    for (String table : r.contaminationTables()) {
      if (!ctx.warehouse().exists(table)) {
        throw new RefineryException("eval.contamination-tables: no table '" + table + "' in the warehouse");
      }
    }
  }

  /** Rows {@code contaminated} (items) and {@code contaminated_fraction}; none when no table is configured. */
  static List<EvalResult> rows(StageContext ctx, EvalRequest r, String task, List<List<String>> items) {
    if (r.contaminationTables().isEmpty() || items.isEmpty()) {
      return List.of();
    }
    int n = ctx.config().getInt("decontamination.ngram");
    int minWords = ctx.config().getInt("decontamination.min-words");
    ContaminationIndex any = new ContaminationIndex(n, minWords);
    items.forEach(item -> item.forEach(any::add));
    Dataset<String> texts = null;
    for (String table : r.contaminationTables()) {
      Dataset<Row> rows = ctx.warehouse().read(table);
      if (Arrays.asList(rows.columns()).contains(Warehouse.RUN_ID)) {
        rows = rows.where(Warehouse.isRun(ctx.runId()));
      }
      Dataset<String> t = rows.select(functions.expr(r.contaminationText()).cast("string")).as(Encoders.STRING());
      texts = texts == null ? t : texts.union(t);
    }
    List<String> hits = texts.filter((FilterFunction<String>) any::contaminates).collectAsList();
    long contaminated = 0;
    for (List<String> item : items) {
      ContaminationIndex one = new ContaminationIndex(n, minWords);
      item.forEach(one::add);
      contaminated += hits.stream().anyMatch(one::contaminates) ? 1 : 0;
    }
    List<EvalResult> out = new ArrayList<>();
    out.add(new EvalResult(task, "contaminated", contaminated, items.size(), EvalResult.ALL, EvalResult.ALL));
    out.add(new EvalResult(task, "contaminated_fraction", (double) contaminated / items.size(), items.size(),
        EvalResult.ALL, EvalResult.ALL));
    return out;
  }
}
