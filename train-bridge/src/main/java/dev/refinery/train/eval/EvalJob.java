package dev.refinery.train.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.train.shards.DocumentSpans;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.shards.ShardFiles;
import dev.refinery.train.shards.ShardManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * {@code refinery eval}: scores one model on the tasks of an {@link EvalRequest} and replaces that (run, model)'s
 * rows of {@code eval_results}. Each task's items are spread over Spark partitions; a partition loads the model
 * once and scores its items in batches ({@link LogLikelihoods}). Bad task rows go to {@code rejects}.
 */
public final class EvalJob {
  public static final String STAGE = "eval";
  private static final double LN2 = Math.log(2);
  static final StructType TEXT = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType)
      .add("domain", DataTypes.StringType).add("language", DataTypes.StringType);
  /** Summed negative log-likelihood (nats), scored tokens and their UTF-8 bytes of some items (texts, sequences). */
  static final StructType NLL = new StructType().add("domain", DataTypes.StringType)
      .add("language", DataTypes.StringType).add("nll", DataTypes.DoubleType).add("tokens", DataTypes.LongType)
      .add("bytes", DataTypes.LongType).add("items", DataTypes.LongType);
  static final StructType REQUEST = new StructType().add("doc", DataTypes.IntegerType)
      .add("choice", DataTypes.IntegerType).add("context", DataTypes.StringType)
      .add("continuation", DataTypes.StringType);
  static final StructType LOGLIKELIHOOD = new StructType().add("doc", DataTypes.IntegerType)
      .add("choice", DataTypes.IntegerType).add("loglikelihood", DataTypes.DoubleType)
      .add("tokens", DataTypes.IntegerType).add("greedy", DataTypes.BooleanType);

  /** A multiple-choice question of a task file, with its whole row (what the few-shot draw compares). */
  record Question(String query, List<String> choices, int gold, JsonNode row) {}

  private EvalJob() {}

  /** Checks the model and every task's input before anything is written; one line says what is wrong. */
  public static void validate(StageContext ctx, EvalRequest r) {
    if (r.model().isEmpty()) {
      throw new RefineryException("eval: no model; pass --model DIR (or set eval.model)");
    }
    for (String f : List.of(Checkpoints.CONFIG, Tokenizers.FILE_NAME)) {
      if (!Files.isRegularFile(Path.of(r.model(), f))) {
        throw new RefineryException("eval: " + Path.of(r.model(), f) + " not found; --model names a model folder "
            + "(Refinery's own or a Hugging Face one) with " + Checkpoints.CONFIG + ", the weights and "
            + Tokenizers.FILE_NAME);
      }
    }
    if (!r.adapter().isEmpty() && !Files.isDirectory(Path.of(r.adapter()))) {
      throw new RefineryException("eval: no adapter folder " + r.adapter());
    }
    TaskContamination.validate(ctx, r);
    if (r.tasks().isEmpty()) {
      throw new RefineryException("eval: no tasks; define them under eval.tasks");
    }
    boolean judged = false;
    for (EvalTask t : r.tasks()) {
      if (t.kind() == EvalTask.Kind.VALIDATION) {
        String run = shardsRun(ctx, t);
        if (!ctx.warehouse().exists(ShardManifest.TABLE)
            || ShardManifest.entries(ctx.warehouse(), run, ShardManifest.VALIDATION).isEmpty()) {
          throw new RefineryException("eval.tasks." + t.name() + ": run '" + run + "' has no validation shards");
        }
      } else {
        TaskRecords.checkReadable(t.file(), t.name());
        judged |= t.kind() == EvalTask.Kind.JUDGED;
      }
    }
    if (judged) {
      JudgedTask.validate(ctx, r);
    }
  }

  /** Scores the model on every task, writes eval_results (run, model) and the bad task rows; returns the rows. */
  public static List<EvalResult> run(StageContext ctx, EvalRequest r) {
    validate(ctx, r);
    List<EvalResult> results = new ArrayList<>();
    List<Row> rejects = new ArrayList<>();
    for (EvalTask t : r.tasks()) {
      results.addAll(switch (t.kind()) {
        case PERPLEXITY -> {
          List<Row> texts = texts(t, rejects);
          List<EvalResult> scores = new ArrayList<>(perplexity(t,
              perplexityRows(r, ctx.spark().createDataFrame(texts, TEXT), partitions(ctx, r)), true));
          scores.addAll(TaskContamination.rows(ctx, r, t.name(), texts.stream().map(x -> List.of(x.getString(1))).toList()));
          yield scores;
        }
        case VALIDATION -> validationScores(ctx, r, t); // held out of the same table by the shards stage
        case CHOICE -> {
          List<TaskRecords.Parsed<Question>> qs = questions(t, rejects);
          List<EvalResult> scores = new ArrayList<>(choice(t, qs, scoreChoices(ctx, r, t, qs)));
          scores.addAll(TaskContamination.rows(ctx, r, t.name(), qs.stream().map(q -> {
            List<String> item = new ArrayList<>(List.of(q.value().query()));
            item.addAll(q.value().choices());
            return item;
          }).toList()));
          yield scores;
        }
        case JUDGED -> JudgedTask.score(ctx, r, t, rejects);
      });
    }
    SparkSession spark = ctx.spark();
    Dataset<Row> rows = spark.createDataFrame(results.stream().map(EvalResult::toRow).toList(), EvalResult.SCHEMA);
    ctx.warehouse().writeKeyed(rows, EvalResult.TABLE, Map.of(Warehouse.RUN_ID, ctx.runId(), "model", r.name()));
    Rejects.write(ctx.warehouse(), ctx.runId(), STAGE, spark.createDataFrame(rejects, Rejects.SCHEMA));
    return results;
  }

  // ---- perplexity and bits per byte ----

  private static List<Row> texts(EvalTask t, List<Row> rejects) {
    List<Row> rows = new ArrayList<>();
    for (TaskRecords.Parsed<Row> p : TaskRecords.read(t.file(), row -> {
      String text = TaskRecords.string(row, "text");
      if (text.isBlank()) {
        throw new IllegalArgumentException("empty_text");
      }
      return RowFactory.create(null, text, TaskRecords.label(row, "domain"), TaskRecords.label(row, "language"));
    }, rejects)) {
      rows.add(RowFactory.create(p.id(), p.value().getString(1), p.value().getString(2), p.value().getString(3)));
    }
    return rows;
  }

  /** Per text: Σ nll over the strided windows of its tokens. */
  private static Dataset<Row> perplexityRows(EvalRequest r, Dataset<Row> texts, int partitions) {
    return texts.repartition(partitions).mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
      List<Row> in = new ArrayList<>();
      it.forEachRemaining(in::add);
      if (in.isEmpty()) {
        return java.util.Collections.emptyIterator();
      }
      try (LogLikelihoods model = LogLikelihoods.open(r.model(), r.adapter(), r.batchSize(), r.torchThreads())) {
        int maxLength = r.maxLength() > 0 ? Math.min(r.maxLength(), model.contextLength()) : model.contextLength();
        int stride = r.stride() > 0 ? Math.min(r.stride(), maxLength) : maxLength;
        List<LogLikelihoods.Window> windows = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
          int[] ids = model.tokenizer().encodeOrdinary(in.get(i).getString(1));
          for (LogLikelihoods.Window w : LogLikelihoods.strided(ids, maxLength, stride)) {
            windows.add(w);
            owners.add(i);
          }
        }
        int[] owner = owners.stream().mapToInt(Integer::intValue).toArray();
        LogLikelihoods.Score[] scores = model.score(windows);
        double[] nll = new double[in.size()];
        long[] tokens = new long[in.size()];
        for (int k = 0; k < scores.length; k++) {
          nll[owner[k]] -= scores[k].logLikelihood();
          tokens[owner[k]] += scores[k].tokens();
        }
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
          long bytes = in.get(i).getString(1).getBytes(StandardCharsets.UTF_8).length;
          out.add(RowFactory.create(in.get(i).getString(2), in.get(i).getString(3), nll[i], tokens[i], bytes, 1L));
        }
        return out.iterator();
      }
    }, Encoders.row(NLL));
  }

  /**
   * Rows of {@link #NLL} for a run's validation shards, one Spark task per shard group. With the shards'
   * {@link DocumentSpans}, each document's piece of a sequence is scored on its own, its context being the tokens
   * of its own document before it in the sequence (and the end-of-text token ending the document before), as
   * {@code perplexity} scores a text: a row per piece with its domain and language, one item per document.
   * Shards cut before spans were recorded have one row per sequence, scored whole, domain and language null.
   */
  private static Dataset<Row> validation(StageContext ctx, EvalRequest r, List<ShardEntry> shards) {
    SerializableConfiguration hadoop = new SerializableConfiguration(ctx.spark().sparkContext().hadoopConfiguration());
    Dataset<ShardEntry> entries = ctx.spark().createDataset(shards, Encoders.javaSerialization(ShardEntry.class));
    int partitions = Math.min(shards.size(), partitions(ctx, r));
    return entries.repartition(partitions).mapPartitions((MapPartitionsFunction<ShardEntry, Row>) it -> {
      List<ShardEntry> files = new ArrayList<>();
      it.forEachRemaining(files::add);
      if (files.isEmpty()) {
        return java.util.Collections.emptyIterator();
      }
      List<Row> out = new ArrayList<>();
      try (LogLikelihoods model = LogLikelihoods.open(r.model(), r.adapter(), r.batchSize(), r.torchThreads())) {
        for (ShardEntry shard : files) {
          org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(shard.path());
          FileSystem fs = p.getFileSystem(hadoop.value());
          List<int[]> sequences;
          try (FSDataInputStream in = fs.open(p)) {
            sequences = ShardFiles.sequences(in, shard.path());
          }
          List<DocumentSpans.Span> spans = shard.spans() == null ? null
              : DocumentSpans.read(fs, new org.apache.hadoop.fs.Path(shard.spans()));
          List<Row> items = new ArrayList<>(); // per scored piece: domain, language, bytes, items
          List<List<LogLikelihoods.Window>> windows = new ArrayList<>();
          for (int s = 0; s < sequences.size(); s++) {
            int[] seq = sequences.get(s);
            if (spans == null) {
              windows.add(sequenceWindows(r, model, seq));
              items.add(RowFactory.create(null, null, scoredBytes(model, seq), 1L));
              continue;
            }
            for (DocumentSpans.Piece piece : DocumentSpans.pieces(spans, s, seq.length)) {
              // the end-of-text before a document is its context; the first token of a sequence has none
              int[] ids = Arrays.copyOfRange(seq, Math.max(0, piece.from() - 1), piece.to());
              windows.add(sequenceWindows(r, model, ids));
              boolean starts = !piece.span().continued() && piece.from() + s * (long) seq.length
                  == piece.span().offset();
              items.add(RowFactory.create(piece.span().domain(), piece.span().language(), scoredBytes(model, ids),
                  starts ? 1L : 0L));
            }
          }
          List<LogLikelihoods.Window> all = new ArrayList<>();
          windows.forEach(all::addAll);
          LogLikelihoods.Score[] scores = model.score(all);
          int k = 0;
          for (int i = 0; i < items.size(); i++) {
            double nll = 0;
            long tokens = 0;
            for (int w = 0; w < windows.get(i).size(); w++, k++) {
              nll -= scores[k].logLikelihood();
              tokens += scores[k].tokens();
            }
            Row item = items.get(i);
            out.add(RowFactory.create(item.get(0), item.get(1), nll, tokens, item.getLong(2), item.getLong(3)));
          }
        }
      }
      return out.iterator();
    }, Encoders.row(NLL));
  }

  /** The windows scoring every token of {@code ids} but the first, strided when it is longer than the model reads. */
  private static List<LogLikelihoods.Window> sequenceWindows(EvalRequest r, LogLikelihoods model, int[] ids) {
    int length = Math.min(ids.length, model.contextLength() + 1);
    int stride = r.stride() > 0 ? Math.min(r.stride(), length) : length;
    return LogLikelihoods.strided(ids, length, stride);
  }

  /** UTF-8 bytes of the tokens {@link #sequenceWindows} scores. */
  private static long scoredBytes(LogLikelihoods model, int[] ids) {
    return ids.length < 2 ? 0 : model.tokenizer().decode(Arrays.copyOfRange(ids, 1, ids.length))
        .getBytes(StandardCharsets.UTF_8).length;
  }

  private static List<EvalResult> validationScores(StageContext ctx, EvalRequest r, EvalTask t) {
    String run = shardsRun(ctx, t);
    List<ShardEntry> shards = ShardManifest.entries(ctx.warehouse(), run, ShardManifest.VALIDATION);
    boolean spans = shards.stream().allMatch(e -> e.spans() != null);
    if (!spans) {
      System.err.println("refinery: eval.tasks." + t.name() + ": the validation shards of run '" + run + "' were cut "
          + "before document spans were recorded: scored overall only (run the shards stage again for a breakdown "
          + "by domain and language)");
    }
    return perplexity(t, validation(ctx, r, shards), spans);
  }

  /** Rows of eval_results from rows of {@link #NLL}; {@code brokenDown}: per domain and language, else overall. */
  private static List<EvalResult> perplexity(EvalTask t, Dataset<Row> scored, boolean brokenDown) {
    Column sumNll = functions.sum("nll");
    Column[] more = {functions.sum("tokens"), functions.sum("bytes"), functions.sum("items")};
    // every (domain, language), each domain and each language over all of the other, and the total (a cube);
    // shards cut before document spans were recorded know neither, so their one row is the total
    Column none = functions.lit(null).cast("string");
    List<Row> cells = (brokenDown ? scored.cube("domain", "language").agg(sumNll, more)
        : scored.agg(sumNll, more).select(none, none, functions.col("*"))).collectAsList();
    List<EvalResult> out = new ArrayList<>();
    for (Row c : cells) {
      String domain = c.isNullAt(0) ? EvalResult.ALL : c.getString(0);
      String language = c.isNullAt(1) ? EvalResult.ALL : c.getString(1);
      double nll = c.getDouble(2);
      long tokens = c.getLong(3);
      long bytes = c.getLong(4);
      long n = c.getLong(5);
      if (tokens == 0) {
        continue;
      }
      out.add(new EvalResult(t.name(), "perplexity", Math.exp(nll / tokens), n, domain, language));
      out.add(new EvalResult(t.name(), "bits_per_byte", nll / LN2 / Math.max(1, bytes), n, domain, language));
      out.add(new EvalResult(t.name(), "tokens", tokens, n, domain, language));
    }
    return out;
  }

  // ---- multiple choice ----

  static List<TaskRecords.Parsed<Question>> questions(EvalTask t, List<Row> rejects) {
    return TaskRecords.read(t.file(), row -> {
      String query = TaskRecords.string(row, "query");
      JsonNode choices = row.get("choices");
      if (choices == null || !choices.isArray() || choices.size() < 2) {
        throw new IllegalArgumentException("choices_not_a_list_of_two_or_more");
      }
      List<String> list = new ArrayList<>();
      for (JsonNode c : choices) {
        if (!c.isTextual()) {
          throw new IllegalArgumentException("choice_not_a_string");
        }
        list.add(c.asText());
      }
      JsonNode gold = row.get("gold");
      if (gold == null || !gold.canConvertToInt() || !gold.isIntegralNumber() || gold.asInt() < 0
          || gold.asInt() >= list.size()) {
        throw new IllegalArgumentException("gold_not_a_choice_index");
      }
      return new Question(query, List.copyOf(list), gold.asInt(), row);
    }, rejects);
  }

  /**
   * The context of every question, in file order: {@code num-fewshot} solved questions of the same file (each its
   * query, the target delimiter, its gold answer and the few-shot delimiter), then the query. The solved ones are
   * drawn as lm-evaluation-harness's default sampler draws them when a task's few-shot split is its test split:
   * one {@link PythonRandom} stream seeded with the task's seed (the harness's default few-shot seed is 1234)
   * samples num-fewshot + 1 questions per question in order, and the first num-fewshot of those whose row differs
   * from the question's own are used.
   */
  static List<String> contexts(EvalTask t, List<TaskRecords.Parsed<Question>> qs) {
    List<Question> all = qs.stream().map(TaskRecords.Parsed::value).toList();
    if (t.numFewshot() > 0 && t.numFewshot() >= all.size()) {
      throw new RefineryException("eval.tasks." + t.name() + ".num-fewshot is " + t.numFewshot() + " but "
          + t.file() + " has only " + all.size() + " questions; it needs more than num-fewshot");
    }
    PythonRandom random = new PythonRandom(t.seed());
    List<String> out = new ArrayList<>();
    for (Question q : all) {
      StringBuilder b = new StringBuilder();
      if (t.numFewshot() > 0) {
        List<Question> shots = random.sample(all, t.numFewshot() + 1).stream()
            .filter(x -> !x.row().equals(q.row())).limit(t.numFewshot()).toList();
        for (Question x : shots) {
          b.append(x.query()).append(t.targetDelimiter()).append(x.choices().get(x.gold())).append(t.fewshotDelimiter());
        }
      }
      out.add(b.append(q.query()).toString());
    }
    return out;
  }

  /** The log-likelihood of every (question, choice), rows of {@link #LOGLIKELIHOOD} in question/choice order. */
  static List<Row> scoreChoices(StageContext ctx, EvalRequest r, EvalTask t, List<TaskRecords.Parsed<Question>> qs) {
    List<Row> requests = new ArrayList<>();
    List<String> contexts = contexts(t, qs);
    for (int i = 0; i < qs.size(); i++) {
      String context = contexts.get(i);
      List<String> choices = qs.get(i).value().choices();
      for (int c = 0; c < choices.size(); c++) {
        requests.add(RowFactory.create(i, c, context, t.targetDelimiter() + choices.get(c)));
      }
    }
    Dataset<Row> scored = ctx.spark().createDataFrame(requests, REQUEST)
        .repartition(partitions(ctx, r), functions.col("doc")) // a question's choices together: one shared context
        .mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
          List<Row> in = new ArrayList<>();
          it.forEachRemaining(in::add);
          if (in.isEmpty()) {
            return java.util.Collections.emptyIterator();
          }
          try (LogLikelihoods model = LogLikelihoods.open(r.model(), r.adapter(), r.batchSize(), r.torchThreads())) {
            List<LogLikelihoods.Window> windows = new ArrayList<>();
            for (Row q : in) {
              windows.add(model.contextContinuation(q.getString(2), q.getString(3)));
            }
            LogLikelihoods.Score[] s = model.score(windows);
            List<Row> out = new ArrayList<>();
            for (int k = 0; k < in.size(); k++) {
              out.add(RowFactory.create(in.get(k).getInt(0), in.get(k).getInt(1), s[k].logLikelihood(), s[k].tokens(),
                  s[k].greedy()));
            }
            return out.iterator();
          }
        }, Encoders.row(LOGLIKELIHOOD));
    List<Row> rows = new ArrayList<>(scored.collectAsList());
    rows.sort(java.util.Comparator.comparingInt((Row x) -> x.getInt(0)).thenComparingInt(x -> x.getInt(1)));
    return rows;
  }

  /**
   * acc: the choice of highest log-likelihood is the gold one; acc_norm: the same after dividing each by the
   * choice's length ({@link EvalTask.Norm}; lm-evaluation-harness divides by characters). Ties go to the first.
   */
  static List<EvalResult> choice(EvalTask t, List<TaskRecords.Parsed<Question>> qs, List<Row> scores) {
    int k = 0;
    long acc = 0;
    long accNorm = 0;
    for (TaskRecords.Parsed<Question> p : qs) {
      Question q = p.value();
      int best = -1;
      int bestNorm = -1;
      double top = Double.NEGATIVE_INFINITY;
      double topNorm = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < q.choices().size(); c++, k++) {
        Row s = scores.get(k);
        double ll = s.getDouble(2);
        String choice = q.choices().get(c);
        double length = switch (t.norm()) {
          case CHARS -> choice.codePointCount(0, choice.length());
          case BYTES -> choice.getBytes(StandardCharsets.UTF_8).length;
          case TOKENS -> s.getInt(3);
        };
        if (ll > top) {
          top = ll;
          best = c;
        }
        if (ll / Math.max(1, length) > topNorm) {
          topNorm = ll / Math.max(1, length);
          bestNorm = c;
        }
      }
      acc += best == q.gold() ? 1 : 0;
      accNorm += bestNorm == q.gold() ? 1 : 0;
    }
    long n = qs.size();
    if (n == 0) {
      return List.of();
    }
    return List.of(new EvalResult(t.name(), "acc", (double) acc / n, n, EvalResult.ALL, EvalResult.ALL),
        new EvalResult(t.name(), "acc_norm", (double) accNorm / n, n, EvalResult.ALL, EvalResult.ALL));
  }

  private static String shardsRun(StageContext ctx, EvalTask t) {
    return t.shardsRun().isEmpty() ? ctx.runId() : t.shardsRun();
  }

  private static int partitions(StageContext ctx, EvalRequest r) {
    return r.partitions() > 0 ? r.partitions() : ctx.spark().sparkContext().defaultParallelism();
  }
}
