package dev.refinery.models.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.refinery.core.RefineryException;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.DecoderModelTest;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.models.transformer.TrainStep;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraAndCheckpointTest {
  static final ModelConfig CONFIG = ModelConfig.llama(40, 16, 2, 4, 32, 0f);
  static final long[] TOKENS = DecoderModelTest.randomTokens(2 * 12, 40, 9);

  static float[] logits(DecoderModel m) {
    try (NDManager s = m.manager().newSubManager()) {
      return m.forward(s.create(TOKENS, new Shape(2, 12)), false).toFloatArray();
    }
  }

  @Test
  void saveThenLoadGivesIdenticalLogits(@TempDir Path dir) throws Exception {
    try (DecoderModel m = DecoderModel.create(ModelConfig.gpt(40, 16, 2, 4, 32, 0f), Device.cpu(), 1)) {
      Checkpoints.save(m, dir);
      try (DecoderModel back = Checkpoints.load(dir, Device.cpu())) {
        assertEquals(m.config(), back.config());
        assertArrayEquals(logits(m), logits(back), 0f);
      }
    }
  }

  /** LoRA's scale enters the graph as an engine-owned constant: a collection before backward changes no gradient. */
  @Test
  void adapterGradientsSurviveAGarbageCollectionBetweenForwardAndBackward() {
    try (DecoderModel m = DecoderModel.create(CONFIG, Device.cpu(), 4); NDManager step = m.manager().newSubManager()) {
      LoraAdapter.attach(m, LoraConfig.attentionQueryValue(4, 8f), 5);
      NDArray x = step.create(TOKENS, new Shape(2, 12));
      float[][] calm = adapterGradients(m, x, false);
      float[][] collected = adapterGradients(m, x, true);
      for (int i = 0; i < calm.length; i++) {
        assertArrayEquals(calm[i], collected[i], "adapter gradient " + i);
      }
      assertTrue(java.util.Arrays.stream(calm).anyMatch(g -> DecoderModelTest.maxAbs(g) > 0),
          "B's gradient is not zero");
    }
  }

  private static float[][] adapterGradients(DecoderModel m, NDArray x, boolean collect) {
    m.zeroGradients();
    try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
      NDArray logits = m.forward(x, true);
      if (collect) {
        DecoderModelTest.collectAndReuseFreedMemory();
      }
      gc.backward(DecoderModel.crossEntropy(logits, x, -1));
    }
    return m.trainableParameters().values().stream().map(p -> {
      try (NDArray g = p.getGradient()) {
        return g.toFloatArray();
      }
    }).toArray(float[][]::new);
  }

  @Test
  void loraStartsIdenticalTrainsOnlyAdaptersMergesUnmergesAndReloads(@TempDir Path dir) throws Exception {
    try (DecoderModel m = DecoderModel.create(CONFIG, Device.cpu(), 2)) {
      float[] base = logits(m);
      float[] baseQ = m.parameters().get("layers.0.attn.q.weight").toFloatArray();
      LoraAdapter lora = LoraAdapter.attach(m, LoraConfig.attentionQueryValue(4, 8f), 3);
      assertEquals(List.of("layers.0.attn.q", "layers.0.attn.v", "layers.1.attn.q", "layers.1.attn.v"), lora.targets());
      assertArrayEquals(base, logits(m), 0f, "B = 0: the wrapped model equals the base");
      assertEquals(8, m.trainableParameters().size());

      TrainStep trainer = new TrainStep(m, 1e-2f);
      long[] in = java.util.Arrays.copyOf(TOKENS, 24);
      for (int i = 0; i < 5; i++) {
        trainer.step(in, in, 2, -1);
      }
      float[] adapted = logits(m);
      assertFalse(java.util.Arrays.equals(base, adapted), "training moved the adapters");
      assertArrayEquals(baseQ, m.parameters().get("layers.0.attn.q.weight").toFloatArray(), 0f, "base frozen");

      lora.merge();
      assertArrayEquals(adapted, logits(m), 1e-4f, "merged weights give the adapted model");
      lora.unmerge();
      assertArrayEquals(baseQ, m.parameters().get("layers.0.attn.q.weight").toFloatArray(), 1e-6f, "unmerge restores");
      assertArrayEquals(adapted, logits(m), 1e-4f);

      lora.save(dir, "test-base");
      try (DecoderModel fresh = DecoderModel.create(CONFIG, Device.cpu(), 2)) {
        LoraAdapter.load(fresh, dir);
        assertArrayEquals(adapted, logits(fresh), 0f, "adapter alone reloads onto the same base");
      }
      ModelConfig wider = ModelConfig.llama(40, 16, 2, 4, 64, 0f);
      try (DecoderModel other = DecoderModel.create(wider, Device.cpu(), 2)) {
        RefineryException e = assertThrows(RefineryException.class, () -> LoraAdapter.load(other, dir));
        assertTrue(e.getMessage().contains("was made for another base (test-base)"), e.getMessage());
      }
    }
  }

  @Test
  void loraGradientsMatchFiniteDifferences() {
    try (DecoderModel m = DecoderModel.create(CONFIG, Device.cpu(), 4); NDManager s = m.manager().newSubManager()) {
      LoraAdapter lora = LoraAdapter.attach(m, new LoraConfig(4, 8f, 0f, List.of(".*attn\\.(q|v)", ".*mlp\\.up")), 5);
      // Give B non-zero values so A's gradient is non-zero too.
      for (String t : lora.targets()) {
        NDArray b = m.parameters().get(t + ".lora_b");
        float[] v = new float[(int) b.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) Math.sin(i) * 0.05f;
        }
        b.set(v);
      }
      NDArray x = s.create(TOKENS, new Shape(2, 12));
      NDArray y = s.create(DecoderModelTest.randomTokens(24, 40, 6), new Shape(2, 12));
      for (String name : List.of("layers.0.attn.q.lora_a", "layers.0.attn.q.lora_b", "layers.1.attn.v.lora_b",
          "layers.1.mlp.up.lora_a")) {
        DecoderModelTest.assertGradientMatches(m, x, y, name);
      }
    }
  }
}
