package dev.refinery.train.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.refinery.core.RefineryException;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.lora.LoraAdapter;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.DecoderModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * What trainers hand on: model folders ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json},
 * the layout of models' {@link Checkpoints}, which {@code refinery serve} and the next trainer load) and LoRA
 * adapter folders. Written locally, then copied to the (any Hadoop) destination; read from local folders.
 */
final class ModelFolders {
  /** Sub-folder of a trainer's checkpoint folder that receives the trained model or adapter. */
  static final String MODEL = "model";
  static final String ADAPTER = "adapter";

  private ModelFolders() {}

  static void exportModel(DecoderModel net, String tokenizerJson, String dir, Configuration hadoop) throws IOException {
    Path local = Files.createTempDirectory("refinery-model");
    Checkpoints.save(net, local);
    Files.writeString(local.resolve(Tokenizers.FILE_NAME), tokenizerJson, StandardCharsets.UTF_8);
    copy(local, dir, hadoop);
  }

  static void exportAdapter(LoraAdapter adapter, String dir, Configuration hadoop) throws IOException {
    Path local = Files.createTempDirectory("refinery-adapter");
    adapter.save(local);
    copy(local, dir, hadoop);
  }

  /**
   * A base model folder with every parameter trainable; with an adapter folder, the adapter is merged into the
   * base weights first (W + scale·BA), so the result is a plain model of the base's shape.
   */
  static DecoderModel load(String baseDir, String adapterDir, Device device) throws IOException {
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
