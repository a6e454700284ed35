package dev.refinery.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.models.tokenizer.BpeTrainer;
import dev.refinery.testing.HfPython;
import dev.refinery.models.tokenizer.ByteLevelBpe;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.KvCache;
import dev.refinery.models.transformer.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face folders in and out, checked against transformers itself (never skipped: a venv that cannot be
 * built fails the test). transformers builds tiny random Llama/Qwen2/Mistral models (GQA, tied and untied,
 * Qwen2 biases, head_dim apart from width, llama3 and linear rope scaling, bf16, sharded); we load each and
 * must give its fp32 logits (max abs difference 1e-4) and its 32 greedy tokens; our exports of those models and
 * of a Refinery-pretrained one must load in transformers and give our logits.
 */
class HfParityTest {
  private static final double TOLERANCE = 1e-4;
  @TempDir
  static Path dir;
  private static String python;
  private static JsonObject expected;

  @BeforeAll
  static void buildReferenceModels() throws Exception {
    python = HfPython.venvPython();
    HfPython.runWith(python, "hf_parity.py", "make", dir.toString());
    expected = JsonParser.parseString(Files.readString(dir.resolve("expected.json"))).getAsJsonObject();
  }

  @Test
  void logitsGreedyTokensAndExportsMatchTransformers() throws Exception {
    Map<String, List<Integer>> exportIds = new LinkedHashMap<>();
    Map<String, float[]> ours = new LinkedHashMap<>();
    assertEquals(5, expected.size());
    for (Map.Entry<String, JsonElement> e : expected.entrySet()) {
      String name = e.getKey();
      JsonObject ref = e.getValue().getAsJsonObject();
      int[] ids = ints(ref.getAsJsonArray("ids"));
      try (DecoderModel m = Checkpoints.load(dir.resolve(name), Device.cpu())) {
        float[] logits = logits(m, ids);
        assertClose(floats(ref.getAsJsonArray("logits")), logits, name + ": logits against transformers");
        assertArrayEquals(ints(ref.getAsJsonArray("greedy")), greedy(m, ids, 32), name + ": 32 greedy tokens");
        Path export = dir.resolve("export_" + name);
        // One export sharded finely: transformers must read our index and shards too.
        long shard = name.startsWith("llama_gqa") ? 40_000 : HfCheckpoint.DEFAULT_SHARD_BYTES;
        HfCheckpoint.save(m, export, dir.resolve(name), shard);
        exportIds.put(export.toString(), toList(ids));
        ours.put(export.toString(), logits);
        try (DecoderModel back = Checkpoints.load(export, Device.cpu())) {
          assertArrayEquals(logits, logits(back, ids), 0f, name + ": our export reloads in Refinery unchanged");
        }
      }
    }
    assertTrue(Files.isRegularFile(dir.resolve("export_llama_gqa_untied").resolve(HfCheckpoint.INDEX)));

    // A model Refinery pretrained (its own config.json and tokenizer.json) exports as LlamaForCausalLM.
    String text = "the quick brown fox jumps over the lazy dog; a stitch in time saves nine";
    ByteLevelBpe bpe = new BpeTrainer(300).train(BpeTrainer.countPreTokens(List.of(text)));
    Path own = dir.resolve("own");
    try (DecoderModel m = DecoderModel.create(ModelConfig.llama(bpe.vocabSize(), 128, 2, 4, 32, 0f), Device.cpu(), 3)) {
      Checkpoints.save(m, own);
      bpe.save(own.resolve("tokenizer.json"));
      int[] ids = bpe.encode(text);
      Path export = dir.resolve("export_own");
      HfCheckpoint.save(m, export, own, HfCheckpoint.DEFAULT_SHARD_BYTES);
      exportIds.put(export.toString(), toList(ids));
      ours.put(export.toString(), logits(m, ids));
    }

    Path request = dir.resolve("request.json");
    JsonObject req = new JsonObject();
    exportIds.forEach((k, v) -> {
      JsonArray a = new JsonArray();
      v.forEach(a::add);
      req.add(k, a);
    });
    Files.writeString(request, req.toString());
    JsonObject theirs = JsonParser.parseString(HfPython.runWith(python, "hf_parity.py", "logits", request.toString())).getAsJsonObject();
    for (Map.Entry<String, float[]> e : ours.entrySet()) {
      assertClose(floats(theirs.getAsJsonArray(e.getKey())), e.getValue(), e.getKey() + ": transformers on our export");
    }
  }

  private static float[] logits(DecoderModel m, int[] ids) {
    try (NDManager step = m.manager().newSubManager()) {
      NDArray tokens = step.create(toLongs(ids), new Shape(1, ids.length));
      return m.forward(tokens, false).toFloatArray();
    }
  }

  /** Greedy decoding through the key/value cache, as generation and serving run it. */
  private static int[] greedy(DecoderModel m, int[] prompt, int steps) {
    int vocab = m.config().vocabSize();
    int[] out = new int[steps];
    try (NDManager step = m.manager().newSubManager(); KvCache cache = new KvCache(step, m.config().layers())) {
      long[] tokens = toLongs(prompt);
      long[] positions = new long[prompt.length];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = i;
      }
      for (int s = 0; s < steps; s++) {
        float[] l = m.forward(step.create(tokens, new Shape(1, tokens.length)),
            step.create(positions, new Shape(1, positions.length)), null, cache).toFloatArray();
        int best = 0;
        int base = l.length - vocab;
        for (int v = 1; v < vocab; v++) {
          if (l[base + v] > l[base + best]) {
            best = v;
          }
        }
        out[s] = best;
        tokens = new long[] {best};
        positions = new long[] {prompt.length + s};
      }
    }
    return out;
  }

  private static void assertClose(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what + ": length");
    double max = 0;
    for (int i = 0; i < want.length; i++) {
      max = Math.max(max, Math.abs(want[i] - got[i]));
    }
    System.out.printf("parity %s: max abs difference %.3g%n", what, max);
    assertTrue(max <= TOLERANCE, what + ": max abs difference " + max);
  }

  private static int[] ints(JsonArray a) {
    return a.asList().stream().mapToInt(JsonElement::getAsInt).toArray();
  }

  private static float[] floats(JsonArray a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = a.get(i).getAsFloat();
    }
    return f;
  }

  private static long[] toLongs(int[] ids) {
    return Stream.of(ids).flatMapToInt(java.util.Arrays::stream).asLongStream().toArray();
  }

  private static List<Integer> toList(int[] ids) {
    List<Integer> l = new ArrayList<>();
    for (int i : ids) {
      l.add(i);
    }
    return l;
  }
}
