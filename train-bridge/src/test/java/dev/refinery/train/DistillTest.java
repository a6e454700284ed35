package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.models.checkpoint.HfCheckpoint;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.testing.TestSpark;
import dev.refinery.train.shards.ShardStage;
import dev.refinery.train.tokens.TokenizerSpec;
import dev.refinery.train.trainer.Checkpoints;
import dev.refinery.train.trainer.DistillJob;
import dev.refinery.train.trainer.ModelFolders;
import dev.refinery.train.trainer.PretrainJob;
import dev.refinery.train.trainer.TrainJobs;
import dev.refinery.train.trainer.TrainMetric;
import dev.refinery.train.trainer.TrainSummary;
import dev.refinery.train.trainer.TrainerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distill trainer on a tiny corpus, with a teacher pretrained (wider) on the same shards. */
class DistillTest {
  private static SparkSession spark;
  private static final String[] TEACHER = {"train.model.width=32", "train.max-steps=12", "train.lr.decay-steps=12"};
  @TempDir static Path tmp;
  private static TrainSummary teacher;
  private static final String[] TINY = {"train.shards.sequence-length=17", "train.shards.tokens-per-shard=272",
      "train.shards.partitions=2", "train.shards.validation-fraction=0.2", "train.model.layers=1",
      "train.model.heads=2", "train.model.width=16", "train.lr.peak=1e-2", "train.lr.warmup-steps=1", "train.lr.decay-steps=9",
      "train.log-every=1", "train.eval-every=3", "train.eval-batches=2", "train.checkpoint-every=3",
      "train.block-sequences=1", "train.batch-size=4"};

  @BeforeAll
  static void start() throws Exception {
    spark = TestSpark.start();
    RefineryConfig conf = config(tmp.resolve("setup"));
    Warehouse wh = Warehouse.open(spark, conf);
    String[] lines = {"to be or not to be. ", "the rest is silence. ", "a horse, a horse! ", "all the world's a stage. "};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      rows.add(RowFactory.create("doc" + i, lines[i % 4].repeat(2 + i % 5) + lines[(i / 4) % 4]));
    }
    StructType schema = new StructType().add("doc_id", DataTypes.StringType).add("text", DataTypes.StringType);
    wh.write(spark.createDataFrame(rows, schema), "mixture", "r1");
    StageContext ctx = new StageContext(spark, conf, wh, "r1");
    new ShardStage().run(ctx);
    RefineryConfig teacherConf = config(tmp.resolve("teacher-checkpoints"), TEACHER);
    teacher = PretrainJob.run(new StageContext(spark, teacherConf, wh, "r1"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static RefineryConfig config(Path checkpoints, String... more) {
    List<String> sets = new ArrayList<>(List.of(TINY));
    sets.add("train.checkpoint-dir=\"" + checkpoints.toAbsolutePath() + "\"");
    sets.add("train.distill.teacher=\"" + teacherModel().toAbsolutePath() + "\"");
    sets.addAll(List.of(more));
    return TestSpark.config(tmp.resolve("wh"), sets.toArray(String[]::new));
  }

  /** The model folder pretrain exports under its checkpoint folder. */
  private static Path teacherModel() {
    return tmp.resolve("teacher-checkpoints").resolve("model");
  }

  private static StageContext context(Path checkpoints, String... more) {
    RefineryConfig conf = config(checkpoints, more);
    return new StageContext(spark, conf, Warehouse.open(spark, conf), "r1");
  }

  /** The teacher was pretrained with these settings: distilling into its own shape with alpha 1 retraces it. */
  @Test
  void withAlphaOneDistillIsCrossEntropyTraining() throws Exception {
    TrainSummary kd = DistillJob.run(context(tmp.resolve("alpha1"), with(TEACHER, "train.distill.alpha=1")));
    assertEquals(values(teacher.metrics(), "train_loss"), values(kd.metrics(), "train_loss"));
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> a = parameters(tmp.resolve("teacher-checkpoints"), m);
      Map<String, NDArray> b = parameters(tmp.resolve("alpha1"), m);
      assertEquals(a.keySet(), b.keySet());
      a.forEach((name, p) -> assertTrue(p.contentEquals(b.get(name)), name + " differs"));
    }
    List<Double> kl = values(kd.metrics(), "val_kl");
    assertTrue(kl.get(0) > 1e-3, "evaluation measures the KL to the teacher: " + kl);
    assertEquals(0, kl.get(kl.size() - 1), 1e-5, "the finished student is the teacher");
  }

  @Test
  void distillationApproachesTheTeacherAndResumesExactly() {
    String[] pureKd = {"train.distill.alpha=0", "train.distill.temperature=2"};
    TrainSummary straight = DistillJob.run(context(tmp.resolve("straight"), with(pureKd, "train.max-steps=9")));
    List<Double> kl = values(straight.metrics(), "val_kl");
    assertEquals(3, kl.size());
    assertTrue(kl.get(2) < 0.8 * kl.get(0), "KL to the teacher should fall: " + kl);

    DistillJob.run(context(tmp.resolve("stopped"), with(pureKd, "train.max-steps=3")));
    TrainSummary resumed = DistillJob.run(context(tmp.resolve("stopped"), with(pureKd, "train.max-steps=9",
        "train.resume=true")));
    for (String metric : List.of("train_loss", "train_kl", "val_loss", "val_kl")) {
      assertEquals(values(straight.metrics(), metric), values(resumed.metrics(), metric), metric);
    }
    long rows = spark.read().format("delta").load(tmp.resolve("wh").resolve(TrainJobs.METRICS_TABLE).toString())
        .where("trainer = 'distill' and metric = 'val_kl'").count();
    assertTrue(rows >= 3, "distill metrics in train_metrics: " + rows);
  }

  @Test
  void teacherWithAnotherTokenizerIsRejectedWithOneMessage() throws Exception {
    RefineryException e = assertThrows(RefineryException.class, () -> DistillJob.run(context(tmp.resolve("bad"),
        "train.max-steps=1", "train.distill.teacher=\"" + otherTokenizerFolder() + "\"")));
    assertTrue(e.getMessage().startsWith("train.distill.teacher ")
        && e.getMessage().contains("must have the shards' tokenizer"), e.getMessage());
  }

  /** The teacher's model with a three-letter tokenizer beside it. */
  private static synchronized Path otherTokenizerFolder() throws Exception {
    Path other = tmp.resolve("other-teacher");
    if (!Files.isDirectory(other)) {
      Files.createDirectories(other);
      for (String f : List.of("config.json", "model.safetensors")) {
        Files.copy(teacherModel().resolve(f), other.resolve(f));
      }
      Files.writeString(other.resolve("tokenizer.json"), TokenizerSpec.characters(List.of("a", "b", "c")).json());
    }
    return other.toAbsolutePath();
  }

  /**
   * A user who pretrains gets a Hugging Face folder: the llama flavour exports as LlamaForCausalLM, which
   * transformers loads with our logits; that folder then serves as the start of continued pretraining and as
   * distillation's teacher and student, each run writing a Hugging Face folder transformers loads.
   */
  @Test
  void llamaFlavourExportsAndHuggingFaceFoldersStartPretrainingAndDistillation() throws Exception {
    TrainSummary llama = PretrainJob.run(context(tmp.resolve("llama"), with(TEACHER, "train.model.flavour=llama")));
    // what `train pretrain --export hf` writes after the run
    Path hf = Path.of(ModelFolders.exportHuggingFace(TrainerKind.PRETRAIN, config(tmp.resolve("llama")),
        llama.checkpointDir(), spark.sparkContext().hadoopConfiguration()));
    assertEquals(tmp.resolve("llama").resolve(ModelFolders.HF).toAbsolutePath(), hf.toAbsolutePath());

    String from = "train.init-from=\"" + hf.toAbsolutePath() + "\"";
    TrainSummary continued = PretrainJob.run(context(tmp.resolve("continued"), "train.max-steps=3", from));
    double fresh = values(llama.metrics(), "train_loss").get(0);
    double start = values(continued.metrics(), "train_loss").get(0);
    assertTrue(start < 0.8 * fresh, "continued pretraining starts from the trained model: first loss " + start
        + ", a fresh model's " + fresh);
    TrainSummary student = DistillJob.run(context(tmp.resolve("hf-student"), "train.max-steps=3", from,
        "train.distill.teacher=\"" + hf.toAbsolutePath() + "\""));
    List<Path> folders = new ArrayList<>(List.of(hf));
    for (TrainSummary run : List.of(continued, student)) {
      Path out = Path.of(run.checkpointDir(), "model");
      assertTrue(HfCheckpoint.isHuggingFace(out), out + " is a Hugging Face folder");
      folders.add(out);
    }
    TransformersLogits.assertTransformersLoads(folders, new int[] {3, 7, 1, 12, 5, 9, 2, 4},
        "the llama-flavoured export, continued pretraining's and the distilled student's folders");
  }

  @Test
  void initFromAFolderWithAnotherTokenizerOrTheGptFlavourWithBiasesOrItsExportStopsWithOneLine() {
    RefineryException tokenizer = assertThrows(RefineryException.class, () -> PretrainJob.run(context(
        tmp.resolve("bad-init"), "train.max-steps=1", "train.init-from=\"" + otherTokenizerFolder() + "\"")));
    assertTrue(tokenizer.getMessage().startsWith("train.init-from ") && tokenizer.getMessage()
        .contains("must have the shards' tokenizer"), tokenizer.getMessage());
    RefineryException bias = assertThrows(RefineryException.class, () -> PretrainJob.run(context(
        tmp.resolve("bad-bias"), "train.model.flavour=llama", "train.model.bias=true")));
    assertTrue(bias.getMessage().contains("llama flavour has no biases"), bias.getMessage());
    RefineryException export = assertThrows(RefineryException.class,
        () -> ModelFolders.checkHuggingFaceExport(TrainerKind.PRETRAIN, config(tmp.resolve("gpt-export"))));
    assertTrue(export.getMessage().startsWith("--export hf needs a Llama-flavoured model"), export.getMessage());
    ModelFolders.checkHuggingFaceExport(TrainerKind.PRETRAIN, config(tmp.resolve("llama-export"),
        "train.model.flavour=llama"));
  }

  private static String[] with(String[] base, String... more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static List<Double> values(List<TrainMetric> metrics, String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).map(TrainMetric::value).toList();
  }

  private static Map<String, NDArray> parameters(Path dir, NDManager m) throws Exception {
    Checkpoints.Loaded l = new Checkpoints(dir.toString(), spark.sparkContext().hadoopConfiguration()).latest(m).get();
    Map<String, NDArray> out = new java.util.HashMap<>();
    for (NDArray a : l.tensors()) {
      if (a.getName().startsWith("p/")) {
        out.put(a.getName(), a);
      }
    }
    return out;
  }
}
