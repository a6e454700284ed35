package dev.refinery.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.tokenizer.BpeTrainer;
import dev.refinery.models.tokenizer.ByteLevelBpe;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's safetensors and tokenizers packages read our checkpoint and tokenizer.json with the same values. */
class PythonInteropTest {
  @Test
  void pythonReadsOurSafetensorsAndTokenizerIdentically(@TempDir Path dir) throws Exception {
    File home = new File(System.getProperty("refinery.home", ".."));
    Process setup = new ProcessBuilder(new File(home, "models/src/test/python/setup_venv.sh").getPath())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assumeTrue(setup.waitFor() == 0, "skipped: could not pip install safetensors/tokenizers (PyPI unreachable?)");
    String python = out.substring(out.lastIndexOf('\n') + 1).trim();

    String text = SharedData.chineseWebText().get("fasttext_test.txt") + "\nThe quick <|im_end|> fox 🦊";
    ByteLevelBpe bpe = new BpeTrainer(600).train(BpeTrainer.countPreTokens(List.of(text)));
    bpe.save(dir.resolve("tokenizer.json"));
    Files.writeString(dir.resolve("text.txt"), text, StandardCharsets.UTF_8);
    try (DecoderModel m = DecoderModel.create(ModelConfig.llama(bpe.vocabSize(), 32, 2, 4, 32, 0f), Device.cpu(), 1)) {
      Checkpoints.save(m, dir);
      Process p = new ProcessBuilder(python, new File(home, "models/src/test/python/check_artifacts.py").getPath(),
          dir.resolve(Checkpoints.WEIGHTS).toString(), dir.resolve("tokenizer.json").toString(),
          dir.resolve("text.txt").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), "check_artifacts.py failed");
      JsonObject r = JsonParser.parseString(json).getAsJsonObject();
      JsonObject tensors = r.getAsJsonObject("tensors");
      assertEquals(m.parameters().keySet(), tensors.keySet());
      for (Map.Entry<String, NDArray> e : m.parameters().entrySet()) {
        JsonObject t = tensors.getAsJsonObject(e.getKey());
        float[] v = e.getValue().toFloatArray();
        assertEquals("float32", t.get("dtype").getAsString());
        assertArrayEquals(e.getValue().getShape().getShape(),
            t.getAsJsonArray("shape").asList().stream().mapToLong(x -> x.getAsLong()).toArray(), e.getKey());
        double sum = 0;
        for (float x : v) {
          sum += x;
        }
        assertEquals(sum, t.get("sum").getAsDouble(), 1e-6 * (1 + Math.abs(sum)), e.getKey());
        for (int i = 0; i < Math.min(8, v.length); i++) {
          assertEquals(v[i], t.getAsJsonArray("head").get(i).getAsFloat(), 0f, e.getKey());
        }
      }
      int[] pyIds = r.getAsJsonArray("ids").asList().stream().mapToInt(x -> x.getAsInt()).toArray();
      assertArrayEquals(bpe.encode(text), pyIds);
    }
  }
}
