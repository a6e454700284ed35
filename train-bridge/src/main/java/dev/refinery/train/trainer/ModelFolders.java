package dev.refinery.train.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.refinery.core.RefineryException;
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
