package dev.refinery.train.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.models.checkpoint.HfConfig;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.checkpoint.HfCheckpoint;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.lora.LoraAdapter;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * What trainers hand on: model folders (Refinery's own layout of models' {@link Checkpoints}, or a Hugging Face
 * folder when the base was one; {@code refinery serve} and the next trainer load either) and LoRA adapters as
 * PEFT folders. Written locally, then copied to the (any Hadoop) destination; read from local folders.
 */
public final class ModelFolders {
  /** Sub-folder of a trainer's checkpoint folder that receives the trained model or adapter. */
  public static final String MODEL = "model";
  static final String ADAPTER = "adapter";
  /** Sub-folder of a trainer's checkpoint folder that {@code train KIND --export hf} writes. */
  public static final String HF = "hf";

  private ModelFolders() {}

  /**
   * A trained model: a Hugging Face folder (config.json, safetensors, generation_config.json and the base's
   * tokenizer files: what transformers and vLLM load) when it started from one, else Refinery's own.
   */
  static void exportModel(DecoderModel net, String tokenizerJson, String base, String dir, Configuration hadoop)
      throws IOException {
    Path local = Files.createTempDirectory("refinery-model");
    if (!base.isEmpty() && HfCheckpoint.isHuggingFace(Path.of(base))) {
      HfCheckpoint.save(net, local, Path.of(base), HfCheckpoint.DEFAULT_SHARD_BYTES);
    } else {
      Checkpoints.save(net, local);
      Files.writeString(local.resolve(Tokenizers.FILE_NAME), tokenizerJson, StandardCharsets.UTF_8);
    }
    copy(local, dir, hadoop);
  }

  /** A LoRA adapter as a PEFT folder naming its base. */
  static void exportAdapter(LoraAdapter adapter, String base, String dir, Configuration hadoop) throws IOException {
    Path local = Files.createTempDirectory("refinery-adapter");
    adapter.save(local, base);
    copy(local, dir, hadoop);
  }

  /**
   * The folder a trainer kind starts from ({@code train.init-from}, {@code train.sft.base} or
   * {@code train.dpo.base}; "" = a fresh model of {@code train.model.*}).
   */
  private static String startFolder(TrainerKind kind, RefineryConfig c) {
    return switch (kind) {
      case PRETRAIN, DISTILL -> c.getString("train.init-from");
      case SFT, LORA -> c.getString("train.sft.base");
      case DPO -> c.getString("train.dpo.base");
    };
  }

  /**
   * Stops with one line, before anything is trained, when the model {@code kind} will produce cannot be written
   * as a Hugging Face folder (a GPT-flavoured one: only the Llama family exports).
   */
  public static void checkHuggingFaceExport(TrainerKind kind, RefineryConfig c) {
    String start = startFolder(kind, c);
    if (start.isEmpty()) {
      if (!c.getString("train.model.flavour").equals(TrainSettings.LLAMA)) {
        throw new RefineryException("--export hf needs a Llama-flavoured model: set train.model.flavour = \""
            + TrainSettings.LLAMA + "\" (or start from a Hugging Face folder)");
      }
    } else {
      HfConfig.write(config(start), null); // the refusal names what keeps this model from exporting
    }
  }

  /**
   * {@code train KIND --export hf}: the model a finished run wrote under {@code checkpointDir} as a Hugging Face
   * folder, {@code <checkpointDir>/hf} (a LoRA run's adapter merged into its base), or the run's own model folder
   * when it is one already (a run that started from a Hugging Face folder writes one). Returns the folder.
   */
  public static String exportHuggingFace(TrainerKind kind, RefineryConfig c, String checkpointDir,
      Configuration hadoop) throws IOException {
    String start = startFolder(kind, c);
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(checkpointDir);
    Path out;
    if (kind == TrainerKind.LORA) {
      Path adapter = local(new org.apache.hadoop.fs.Path(root, ADAPTER), hadoop);
      out = Files.createTempDirectory("refinery-hf");
      try (DecoderModel merged = load(start, adapter.toString(), Device.cpu())) {
        HfCheckpoint.save(merged, out, Path.of(start), HfCheckpoint.DEFAULT_SHARD_BYTES);
      }
    } else {
      Path model = local(new org.apache.hadoop.fs.Path(root, MODEL), hadoop);
      if (HfCheckpoint.isHuggingFace(model)) {
        return new org.apache.hadoop.fs.Path(root, MODEL).toString();
      }
      out = Files.createTempDirectory("refinery-hf");
      try (DecoderModel m = Checkpoints.load(model, Device.cpu())) {
        HfCheckpoint.save(m, out, model, HfCheckpoint.DEFAULT_SHARD_BYTES);
      }
    }
    String dir = new org.apache.hadoop.fs.Path(root, HF).toString();
    copy(out, dir, hadoop);
    return dir;
  }

  /** A folder of any Hadoop file system as a local folder (itself when it is local, else a copy). */
  private static Path local(org.apache.hadoop.fs.Path dir, Configuration hadoop) throws IOException {
    FileSystem fs = dir.getFileSystem(hadoop);
    if (fs instanceof org.apache.hadoop.fs.LocalFileSystem || fs instanceof org.apache.hadoop.fs.RawLocalFileSystem) {
      return Path.of(fs.makeQualified(dir).toUri());
    }
    Path copy = Files.createTempDirectory("refinery-model-copy");
    fs.copyToLocalFile(false, dir, new org.apache.hadoop.fs.Path(copy.toUri()), true);
    return copy.resolve(dir.getName());
  }

  /** The model config of a base folder of either format; a folder that is neither stops with one line. */
  static ModelConfig config(String base) {
    Path dir = Path.of(base);
    try {
      return HfCheckpoint.isHuggingFace(dir) ? HfCheckpoint.config(dir)
          : ModelConfig.load(dir.resolve(Checkpoints.CONFIG));
    } catch (IOException e) {
      throw new RefineryException("cannot read the model config.json in " + base + ": " + e.getMessage());
    }
  }

  /**
   * A base model folder with every parameter trainable; with an adapter folder, the adapter is merged into the
   * base weights first (W + scale·BA), so the result is a plain model of the base's shape.
   */
  public static DecoderModel load(String baseDir, String adapterDir, Device device) throws IOException {
    if (adapterDir.isEmpty()) {
      return Checkpoints.load(Path.of(baseDir), device);
    }
    try (DecoderModel base = Checkpoints.load(Path.of(baseDir), Device.cpu())) {
      LoraAdapter.load(base, Path.of(adapterDir)).merge();
      Map<String, NDArray> merged = new LinkedHashMap<>();
      for (String name : DecoderModel.parameterShapes(base.config()).keySet()) {
        merged.put(name, base.parameters().get(name));
      }
      return DecoderModel.fromParameters(base.config(), device, merged);
    }
  }

  /** The chat template of a base model folder; Refinery's ChatML for a fresh model (no base). */
  static ChatTemplate chatTemplate(String baseDir) {
    if (baseDir.isEmpty()) {
      return ChatTemplate.CHATML;
    }
    try {
      return ChatTemplate.of(Path.of(baseDir));
    } catch (IOException e) {
      throw new RefineryException("cannot read the chat template of " + baseDir + ": " + e.getMessage());
    }
  }

  private static void copy(Path local, String dir, Configuration hadoop) throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir);
    FileSystem fs = target.getFileSystem(hadoop);
    fs.delete(target, true);
    fs.mkdirs(target);
    try (var files = Files.list(local)) {
      for (Path f : files.toList()) {
        fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(f.toUri()),
            new org.apache.hadoop.fs.Path(target, f.getFileName().toString()));
      }
    }
    Files.deleteIfExists(local);
  }
}
