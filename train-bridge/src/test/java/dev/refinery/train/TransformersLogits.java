package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.testing.HfPython;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Our logits against transformers' on the same token ids (fp32, max abs difference 1e-4). */
final class TransformersLogits {
  private TransformersLogits() {}

  /** transformers loads the folder and gives our logits on the ids. */
  static void assertTransformersLoads(Path folder, int[] ids, String what) throws Exception {
    assertTransformersLoads(List.of(folder), ids, what);
  }

  /** The same for several folders, in one Python run (each start of transformers costs seconds). */
  static void assertTransformersLoads(List<Path> folders, int[] ids, String what) throws Exception {
    JsonObject theirs = transformersLogits(folders, ids);
    for (Path folder : folders) {
      float[] mine;
      try (DecoderModel m = Checkpoints.load(folder, Device.cpu())) {
        mine = logits(m, ids);
      }
      assertClose(theirs.getAsJsonArray(folder.toString()), mine, "transformers on " + what + " (" + folder + ")");
    }
  }

  /** AutoModelForCausalLM.from_pretrained(folder)'s fp32 logits on the ids. */
  static JsonArray transformersLogits(Path folder, int[] ids) throws Exception {
    return transformersLogits(List.of(folder), ids).getAsJsonArray(folder.toString());
  }

  private static JsonObject transformersLogits(List<Path> folders, int[] ids) throws Exception {
    JsonObject request = new JsonObject();
    for (Path folder : folders) {
      request.add(folder.toString(), JsonParser.parseString(json(ids)));
    }
    Path file = Files.createTempFile("logits-request", ".json");
    try {
      Files.writeString(file, request.toString(), StandardCharsets.UTF_8);
      return JsonParser.parseString(HfPython.lastLine("hf_parity.py", "logits", file.toString())).getAsJsonObject();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  static float[] logits(DecoderModel m, int[] ids) {
    try (NDManager step = m.manager().newSubManager()) {
      long[] l = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        l[i] = ids[i];
      }
      NDArray tokens = step.create(l, new Shape(1, ids.length));
      return m.forward(tokens, false).toFloatArray();
    }
  }

  static String json(int[] ids) {
    return java.util.Arrays.toString(ids);
  }

  static void assertClose(JsonArray want, float[] got, String what) {
    assertEquals(want.size(), got.length, what + ": logit count");
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(want.get(i).getAsDouble() - got[i]));
    }
    assertTrue(max <= 1e-4, what + ": max abs logit difference " + max);
  }
}
