package dev.refinery.models.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.refinery.core.RefineryException;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model folders. {@link #load} takes either format: Refinery's own ({@code config.json} of {@link ModelConfig},
 * {@code model.safetensors} with tensors named as in {@link DecoderModel#parameterShapes}) or a Hugging Face
 * Llama/Qwen2/Mistral folder ({@link HfCheckpoint}); a tokenizer.json may sit beside either. {@link #save} writes
 * Refinery's own; {@link HfCheckpoint#save} writes the Hugging Face one.
 */
public final class Checkpoints {
  public static final String WEIGHTS = "model.safetensors";
  public static final String CONFIG = "config.json";

  private Checkpoints() {}

  public static void save(DecoderModel model, Path dir) throws IOException {
    Files.createDirectories(dir);
    writeTensors(model.parameters(), dir.resolve(WEIGHTS));
    model.config().save(dir.resolve(CONFIG));
  }

  /** Loads a model folder of either format; a folder that is neither stops with one line saying what is missing. */
  public static DecoderModel load(Path dir, Device device) throws IOException {
    if (!Files.isRegularFile(dir.resolve(CONFIG))) {
      throw new RefineryException(dir + ": no " + CONFIG + "; a model folder holds " + CONFIG + " and "
          + WEIGHTS + " (or a Hugging Face " + HfCheckpoint.INDEX + " with its shards)");
    }
    if (HfCheckpoint.isHuggingFace(dir)) {
      return HfCheckpoint.load(dir, device);
    }
    ModelConfig config;
    try {
      config = ModelConfig.load(dir.resolve(CONFIG));
    } catch (RuntimeException e) {
      throw new RefineryException(dir.resolve(CONFIG) + " is neither Refinery's model config nor a Hugging Face one: "
          + e.getMessage());
    }
    if (!Files.isRegularFile(dir.resolve(WEIGHTS))) {
      throw new RefineryException(dir + ": no " + WEIGHTS);
    }
    try (SafeTensors weights = SafeTensors.open(dir.resolve(WEIGHTS))) {
      return DecoderModel.load(config, device, (name, shape, manager) -> {
        if (!weights.entries().containsKey(name)) {
          throw new RefineryException(dir + ": " + WEIGHTS + " lacks parameter " + name);
        }
        return weights.read(name, manager);
      });
    } catch (IllegalArgumentException e) {
      throw new RefineryException(dir + ": " + e.getMessage());
    }
  }

  /** Writes named arrays (float32) as a safetensors file. */
  public static void writeTensors(Map<String, NDArray> tensors, Path file) throws IOException {
    SafeTensors.write(tensors, Map.of("format", "pt"), file);
  }

  /** Reads a safetensors file into float32 arrays owned by {@code manager}, by name. */
  public static Map<String, NDArray> readTensors(Path file, NDManager manager) throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (SafeTensors t = SafeTensors.open(file)) {
      for (String name : t.entries().keySet()) {
        NDArray a = t.read(name, manager);
        a.setName(name);
        out.put(name, a);
      }
    }
    return out;
  }
}
