package dev.refinery.train.eval;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.core.RefineryException;
import dev.refinery.core.eval.AnswerJudge;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.generation.Completion;
import dev.refinery.models.generation.Generator;
import dev.refinery.models.generation.SamplingParams;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.TorchThreads;
import dev.refinery.train.trainer.ModelFolders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A judged generation task: the model answers each instruction of the task file greedily (its chat template, at
 * most {@code max-new-tokens}), and the registered {@link AnswerJudge} (synth's LLM judge) weighs each answer
 * against the file's reference answer: {@code win_rate} (ties count half), {@code wins}, {@code ties},
 * {@code losses}. An instruction the model cannot take (longer than its context) or the judge gave no verdict on
 * goes to rejects.
 */
final class JudgedTask {
  static final StructType PROMPT = new StructType().add("i", DataTypes.IntegerType).add("prompt", DataTypes.StringType);
  static final StructType ANSWER = new StructType().add("i", DataTypes.IntegerType).add("answer", DataTypes.StringType);

  /** An instruction (with its input, when the file gives one) and the reference answer (null: not yet generated). */
  record Item(String instruction, String reference) {}

  private JudgedTask() {}

  /**
   * What eval checks before anything is written: chat templates in the model folder and in every task's reference
   * model folder, and a usable judge.
   */
  static void validate(StageContext ctx, EvalRequest r) {
    template(r.model());
    for (EvalTask t : r.tasks()) {
      if (t.kind() == EvalTask.Kind.JUDGED && !t.referenceModel().isEmpty()) {
        for (String f : List.of(dev.refinery.models.checkpoint.Checkpoints.CONFIG, Tokenizers.FILE_NAME)) {
          if (!java.nio.file.Files.isRegularFile(Path.of(t.referenceModel(), f))) {
            throw new RefineryException("eval.tasks." + t.name() + ".reference-model: " + Path.of(t.referenceModel(), f)
                + " not found; it names a model folder");
          }
        }
        template(t.referenceModel());
      }
    }
    AnswerJudge.registered().validate(ctx);
  }

  static List<EvalResult> score(StageContext ctx, EvalRequest r, EvalTask t, List<Row> rejects) {
    List<TaskRecords.Parsed<Item>> items = items(t, rejects);
    List<String> instructions = items.stream().map(p -> p.value().instruction()).toList();
    // the task file's text (instruction, and the reference it gives) is what training data could contain
    List<List<String>> fileText = items.stream().map(p -> p.value().reference() == null
        ? List.of(p.value().instruction()) : List.of(p.value().instruction(), p.value().reference())).toList();
    List<String> answers = answers(ctx, r, t, instructions);
    if (!t.referenceModel().isEmpty()) { // the reference model's answers, generated the same way
      List<String> theirs = answers(ctx, r.withModel(t.referenceModel(), "", ""), t, instructions);
      for (int i = 0; i < items.size(); i++) {
        TaskRecords.Parsed<Item> p = items.get(i);
        items.set(i, new TaskRecords.Parsed<>(p.id(), new Item(p.value().instruction(), theirs.get(i))));
        if (theirs.get(i) == null) {
          answers.set(i, null);
        }
      }
    }
    List<AnswerJudge.Item> asked = new ArrayList<>();
    List<TaskRecords.Parsed<Item>> askedFor = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      TaskRecords.Parsed<Item> p = items.get(i);
      if (answers.get(i) == null) {
        rejects.add(RowFactory.create(p.id(), t.file(), "prompt_longer_than_context",
            Rejects.excerpt(p.value().instruction())));
        continue;
      }
      asked.add(new AnswerJudge.Item(p.value().instruction(), answers.get(i), p.value().reference()));
      askedFor.add(p);
    }
    List<AnswerJudge.Verdict> verdicts = asked.isEmpty() ? List.of() : AnswerJudge.registered().judge(ctx, asked);
    long wins = 0;
    long ties = 0;
    long losses = 0;
    for (int i = 0; i < verdicts.size(); i++) {
      AnswerJudge.Verdict v = verdicts.get(i);
      if (v.outcome() == null) {
        rejects.add(RowFactory.create(askedFor.get(i).id(), t.file(), v.problem(), Rejects.excerpt(asked.get(i).answer())));
        continue;
      }
      switch (v.outcome()) {
        case WIN -> wins++;
        case TIE -> ties++;
        case LOSS -> losses++;
      }
    }
    long n = wins + ties + losses;
    List<EvalResult> out = new ArrayList<>();
    String all = EvalResult.ALL;
    if (n > 0) {
      out.addAll(List.of(new EvalResult(t.name(), "win_rate", (wins + 0.5 * ties) / n, n, all, all),
          new EvalResult(t.name(), "wins", wins, n, all, all), new EvalResult(t.name(), "ties", ties, n, all, all),
          new EvalResult(t.name(), "losses", losses, n, all, all)));
    }
    out.addAll(TaskContamination.rows(ctx, r, t.name(), fileText));
    return out;
  }

  /**
   * Rows {@code {"instruction", "reference", optional "input"}}, or self-instruct's
   * {@code {"instruction", "instances": [{"input", "output"}, ...]}} (the first instance: its output is the
   * reference); a non-empty input follows the instruction after a blank line.
   */
  static List<TaskRecords.Parsed<Item>> items(EvalTask t, List<Row> rejects) {
    return TaskRecords.read(t.file(), row -> {
      String instruction = TaskRecords.string(row, "instruction");
      if (!t.referenceModel().isEmpty()) { // references come from the reference model
        String input = row.path("input").isTextual() ? row.path("input").asText() : "";
        if (row.path("instances").isArray() && !row.path("instances").isEmpty()) {
          input = row.path("instances").get(0).path("input").asText("");
        }
        if (instruction.isBlank()) {
          throw new IllegalArgumentException("empty_instruction");
        }
        return new Item(input.isBlank() ? instruction : instruction + "\n\n" + input, null);
      }
      JsonNode source = row;
      String referenceField = "reference";
      if (!row.has("reference") && row.path("instances").isArray() && !row.path("instances").isEmpty()) {
        source = row.path("instances").get(0);
        referenceField = "output";
      }
      String reference = TaskRecords.string(source, referenceField);
      String input = source.path("input").isTextual() ? source.path("input").asText() : "";
      if (instruction.isBlank() || reference.isBlank()) {
        throw new IllegalArgumentException("empty_instruction_or_reference");
      }
      return new Item(input.isBlank() ? instruction : instruction + "\n\n" + input, reference);
    }, rejects);
  }

  /** The model's greedy answer to each instruction, in order (null: the prompt does not fit its context). */
  static List<String> answers(StageContext ctx, EvalRequest r, EvalTask t, List<String> instructions) {
    List<Row> prompts = new ArrayList<>();
    for (int i = 0; i < instructions.size(); i++) {
      prompts.add(RowFactory.create(i, instructions.get(i)));
    }
    int partitions = Math.max(1, Math.min(instructions.size(),
        r.partitions() > 0 ? r.partitions() : ctx.spark().sparkContext().defaultParallelism()));
    List<Row> rows = new ArrayList<>(ctx.spark().createDataFrame(prompts, PROMPT).repartition(partitions)
        .mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
          List<Row> in = new ArrayList<>();
          it.forEachRemaining(in::add);
          if (in.isEmpty()) {
            return java.util.Collections.emptyIterator();
          }
          TorchThreads.cap(r.torchThreads());
          ChatTemplate template = template(r.model());
          try (DecoderModel model = ModelFolders.load(r.model(), r.adapter(), Device.cpu())) {
            Generator g = new Generator(model, Tokenizers.load(Path.of(r.model())));
            SamplingParams greedy = new SamplingParams(t.maxNewTokens(), 0f, 0, 1f, List.of(template.stop()), 0L);
            List<Row> out = new ArrayList<>();
            List<Integer> fits = new ArrayList<>();
            List<int[]> ids = new ArrayList<>();
            for (Row q : in) {
              int[] p = g.tokenizer().encode(template.render(List.of(new ChatTemplate.Turn("user", q.getString(1))),
                  true));
              if (p.length == 0 || p.length >= model.config().contextLength()) {
                out.add(RowFactory.create(q.getInt(0), null));
              } else {
                fits.add(q.getInt(0));
                ids.add(p);
              }
            }
            for (int from = 0; from < ids.size(); from += r.batchSize()) {
              int to = Math.min(ids.size(), from + r.batchSize());
              List<Completion> done = g.generateTokens(ids.subList(from, to), greedy, true, null);
              for (int k = from; k < to; k++) {
                out.add(RowFactory.create(fits.get(k), done.get(k - from).text().strip()));
              }
            }
            return out.iterator();
          }
        }, org.apache.spark.sql.Encoders.row(ANSWER)).collectAsList());
    rows.sort(Comparator.comparingInt(x -> x.getInt(0)));
    List<String> answers = new ArrayList<>();
    for (Row x : rows) {
      answers.add(x.isNullAt(1) ? null : x.getString(1));
    }
    return answers;
  }

  private static ChatTemplate template(String modelDir) {
    try {
      return ChatTemplate.of(Path.of(modelDir));
    } catch (IOException e) {
      throw new RefineryException("eval: cannot read the chat template of " + modelDir + ": " + e.getMessage());
    }
  }
}
