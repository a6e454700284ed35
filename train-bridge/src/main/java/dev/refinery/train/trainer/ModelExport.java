package dev.refinery.train.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.refinery.core.RefineryException;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.DecoderModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The parameters of a training run's latest checkpoint as a model folder ({@code model.safetensors},
 * {@code config.json} and the shards' {@code tokenizer.json}), which serving, generation and distillation
 * (as the teacher) load.
 */
public final class ModelExport {
  private ModelExport() {}

  public static void export(String checkpointDir, Configuration hadoop, PretrainJob.Inputs inputs, Path out)
      throws IOException {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Checkpoints.Loaded loaded = new Checkpoints(checkpointDir, hadoop).latest(m)
          .orElseThrow(() -> new RefineryException("no checkpoint in " + checkpointDir + " to export"));
      Map<String, NDArray> params = PretrainTask.named(loaded.tensors(), "p/");
      try (DecoderModel model = DecoderModel.fromParameters(inputs.model(), Device.cpu(), params)) {
        dev.refinery.models.checkpoint.Checkpoints.save(model, out);
      }
    }
    Files.copy(Path.of(inputs.tokenizerPath()), out.resolve(Tokenizers.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
  }
}
