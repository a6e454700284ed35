package dev.refinery.models.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model folders: {@code model.safetensors} (DJL's own safetensors encoder, tensors named as in
 * {@link DecoderModel#parameterShapes}) and {@code config.json} beside it; a tokenizer.json may sit
 * there too. Python's {@code safetensors} package reads the weights as they are.
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

  public static DecoderModel load(Path dir, Device device) throws IOException {
    ModelConfig config = ModelConfig.load(dir.resolve(CONFIG));
    try (NDManager tmp = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      return DecoderModel.fromParameters(config, device, readTensors(dir.resolve(WEIGHTS), tmp));
    }
  }

  /** Writes named arrays (CPU copies, float32) as a safetensors file. */
  public static void writeTensors(Map<String, NDArray> tensors, Path file) throws IOException {
    try (NDManager tmp = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDList list = new NDList();
      for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
        NDArray copy = tmp.create(e.getValue().toFloatArray(), e.getValue().getShape());
        copy.setName(e.getKey());
        list.add(copy);
      }
      Path tmpFile = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream out = Files.newOutputStream(tmpFile)) {
        list.encode(out, NDList.Encoding.SAFETENSORS);
      }
      Files.move(tmpFile, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Reads a safetensors file into arrays owned by {@code manager}, by name. */
  public static Map<String, NDArray> readTensors(Path file, NDManager manager) throws IOException {
    NDList list;
    try (InputStream in = Files.newInputStream(file)) {
      list = NDList.decode(manager, in);
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (NDArray a : list) {
      out.put(a.getName(), a);
    }
    return out;
  }
}
