package dev.refinery.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.core.RefineryException;
import dev.refinery.models.generation.Generator;
import dev.refinery.models.generation.SamplingParams;
import dev.refinery.models.tokenizer.BpeTrainer;
import dev.refinery.models.tokenizer.ByteLevelBpe;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hugging Face folders without Python: round trips, the one-line errors for bad folders, and the file format. */
class HfCheckpointTest {
  @TempDir
  Path dir;

  private static ModelConfig qwenLike() {
    return new ModelConfig(97, 64, 2, 4, 32, 48, ModelConfig.Norm.RMS_NORM, ModelConfig.Positions.ROTARY,
        ModelConfig.Mlp.SWIGLU, 0f, false, false, 1e-6f, 10000f, 2, 12, true, false,
        new ModelConfig.RopeScaling("llama3", 4f, 1f, 4f, 16));
  }

  /** Our model exported in shards, with a tokenizer: reloads identical, and serves (what `serve --model` runs). */
  @Test
  void shardedExportRoundTripsAndServes() throws Exception {
    String text = "a small corpus for a small tokenizer, a small corpus indeed";
    ByteLevelBpe bpe = new BpeTrainer(280).train(BpeTrainer.countPreTokens(List.of(text)));
    ModelConfig c = qwenLike();
    c = new ModelConfig(bpe.vocabSize(), c.contextLength(), c.layers(), c.heads(), c.width(), c.mlpHidden(), c.norm(),
        c.positions(), c.mlp(), 0f, false, false, c.normEps(), c.ropeTheta(), c.kvHeads(), c.headDim(), true, false,
        c.ropeScaling());
    Path own = dir.resolve("own");
    Path hf = dir.resolve("hf");
    try (DecoderModel m = DecoderModel.create(c, Device.cpu(), 5)) {
      Checkpoints.save(m, own);
      bpe.save(own.resolve(Tokenizers.FILE_NAME));
      HfCheckpoint.save(m, hf, own, 20_000);
      JsonObject config = HfCheckpoint.readJson(hf.resolve(Checkpoints.CONFIG));
      assertEquals("Qwen2ForCausalLM", config.getAsJsonArray("architectures").get(0).getAsString());
      assertTrue(Files.isRegularFile(hf.resolve(HfCheckpoint.INDEX)));
      assertFalse(Files.exists(hf.resolve(Checkpoints.WEIGHTS)));
      assertTrue(Files.isRegularFile(hf.resolve("tokenizer_config.json")));
      try (DecoderModel back = Checkpoints.load(hf, Device.cpu())) {
        assertEquals(c, back.config());
        for (Map.Entry<String, NDArray> e : m.parameters().entrySet()) {
          assertArrayEquals(e.getValue().toFloatArray(), back.parameters().get(e.getKey()).toFloatArray(), 0f,
              e.getKey());
        }
        Generator g = new Generator(back, Tokenizers.load(hf));
        assertTrue(g.generate(List.of("a small"), SamplingParams.greedy(5)).get(0).promptTokens() > 0);
      }
    }
  }

  @Test
  void badFoldersStopWithOneLineNamingTheProblem() throws Exception {
    Path hf = dir.resolve("hf");
    try (DecoderModel m = DecoderModel.create(qwenLike(), Device.cpu(), 1)) {
      HfCheckpoint.save(m, hf, null, 20_000);
    }
    assertLoadFails(hf, f -> { }, null); // sanity: the folder itself loads
    assertLoadFails(hf, HfCheckpointTest::deleteSecondShard, "shard model-00002-of-");
    assertLoadFails(hf, HfCheckpointTest::deleteSecondShard, "named in model.safetensors.index.json is missing");
    assertLoadFails(hf, f -> editConfig(f, c -> c.addProperty("intermediate_size", 64)),
        "tensor model.layers.0.mlp.up_proj.weight has shape [48, 32] but config.json implies [64, 32]");
    assertLoadFails(hf, f -> editConfig(f, c -> c.getAsJsonArray("architectures").set(0,
        new com.google.gson.JsonPrimitive("GPT2LMHeadModel"))), "architectures GPT2LMHeadModel is not supported");
    assertLoadFails(hf, f -> editConfig(f, c -> c.getAsJsonObject("rope_scaling").addProperty("rope_type", "yarn")),
        "rope_scaling.rope_type 'yarn' is not supported");
    assertLoadFails(hf, f -> editConfig(f, c -> c.add("quantization_config",
        JsonParser.parseString("{\"quant_method\": \"gptq\", \"bits\": 4}"))), "quantization_config (gptq) is not supported");
    assertLoadFails(hf, f -> editConfig(f, c -> c.addProperty("tie_word_embeddings", true)), null); // lm_head ignored
    assertLoadFails(hf, f -> editConfig(f, c -> c.addProperty("num_key_value_heads", 3)),
        "num_attention_heads 4 is not a multiple of num_key_value_heads 3");
    // pretraining's GPT flavour has no Hugging Face twin: export says which flavour does
    try (DecoderModel gpt = DecoderModel.create(ModelConfig.gpt(50, 16, 1, 2, 16, 0f), Device.cpu(), 1)) {
      RefineryException e = assertThrows(RefineryException.class,
          () -> HfCheckpoint.save(gpt, dir.resolve("gpt"), null, 20_000));
      assertTrue(e.getMessage().contains("train.model.flavour = \"llama\""), e.getMessage());
    }
  }

  /** Copies the folder, breaks the copy, and expects loading to throw exactly one line containing {@code message}. */
  private void assertLoadFails(Path good, Consumer<Path> breakIt, String message) throws IOException {
    Path bad = Files.createTempDirectory(dir, "bad");
    try (Stream<Path> files = Files.list(good)) {
      for (Path f : files.toList()) {
        Files.copy(f, bad.resolve(f.getFileName()));
      }
    }
    breakIt.accept(bad);
    if (message == null) {
      Checkpoints.load(bad, Device.cpu()).close();
      return;
    }
    RefineryException e = assertThrows(RefineryException.class, () -> Checkpoints.load(bad, Device.cpu()));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static void deleteSecondShard(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().startsWith("model-00002-of-")) {
          Files.delete(f);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void editConfig(Path folder, Consumer<JsonObject> edit) {
    try {
      Path f = folder.resolve(Checkpoints.CONFIG);
      JsonObject c = HfCheckpoint.readJson(f);
      edit.accept(c);
      Files.writeString(f, c.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** transformers 5 keeps rope_theta and the scaling in rope_parameters; both spellings give one config. */
  @Test
  void ropeParametersOfTransformers5ReadAsRopeScaling() {
    String common = "\"architectures\": [\"LlamaForCausalLM\"], \"vocab_size\": 100, \"hidden_size\": 64, "
        + "\"intermediate_size\": 128, \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
        + "\"num_key_value_heads\": 2, \"max_position_embeddings\": 128, \"rms_norm_eps\": 1e-5, ";
    String scaling = "\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0, "
        + "\"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 32";
    ModelConfig v4 = HfConfig.read(JsonParser.parseString("{" + common + "\"rope_theta\": 500000.0, "
        + "\"rope_scaling\": {" + scaling + "}}").getAsJsonObject(), "v4");
    ModelConfig v5 = HfConfig.read(JsonParser.parseString("{" + common + "\"rope_parameters\": {\"rope_theta\": "
        + "500000.0, " + scaling + "}}").getAsJsonObject(), "v5");
    assertEquals(v4, v5);
    assertEquals(500000f, v5.ropeTheta());
    assertEquals("llama3", v5.ropeScaling().type());
    assertEquals(16, v5.headSize());
    assertEquals(2, v5.kvHeads());
    ModelConfig plain = HfConfig.read(JsonParser.parseString("{" + common
        + "\"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 1000.0}}").getAsJsonObject(), "v5");
    assertNull(plain.ropeScaling());
    assertEquals(1000f, plain.ropeTheta());
  }

  /** config.json files written before GQA and head_dim existed still load as plain multi-head attention. */
  @Test
  void olderRefineryConfigsKeepMultiHeadAttention() {
    String old = "{\"vocabSize\": 50, \"contextLength\": 16, \"layers\": 1, \"heads\": 4, \"width\": 32, "
        + "\"mlpHidden\": 88, \"norm\": \"RMS_NORM\", \"positions\": \"ROTARY\", \"mlp\": \"SWIGLU\", \"dropout\": 0.0, "
        + "\"tiedEmbeddings\": true, \"bias\": false, \"normEps\": 1e-5, \"ropeTheta\": 10000.0}";
    ModelConfig c = ModelConfig.fromJson(old);
    assertEquals(ModelConfig.llama(50, 16, 1, 4, 32, 0f), c);
    assertEquals(4, c.kvHeads());
    assertEquals(8, c.headSize());
  }

  /** Offsets past 2 GiB (a sparse file: nothing is written in between) read with long arithmetic. */
  @Test
  void tensorsPastTwoGibibytesRead() throws Exception {
    long skip = 3L << 30;
    String header = "{\"pad\": {\"dtype\": \"U8\", \"shape\": [" + skip + "], \"data_offsets\": [0, " + skip + "]}, "
        + "\"x\": {\"dtype\": \"F16\", \"shape\": [2, 2], \"data_offsets\": [" + skip + ", " + (skip + 8) + "]}, "
        + "\"y\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [" + (skip + 8) + ", " + (skip + 12) + "]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    Path f = dir.resolve("big.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
      raf.write(len.array());
      raf.write(h);
      raf.seek(8 + h.length + skip);
      // F16 1, -2, 65504, 2^-24 (subnormal); BF16 1.5, -0.25
      ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
          .putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x7BFF).putShort((short) 0x0001)
          .putShort((short) 0x3FC0).putShort((short) 0xBE80);
      raf.write(data.array());
    }
    try (SafeTensors t = SafeTensors.open(f); NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, t.read("x", m).toFloatArray(), 0f);
      assertArrayEquals(new float[] {1.5f, -0.25f}, t.read("y", m).toFloatArray(), 0f);
      RefineryException e = assertThrows(RefineryException.class, () -> t.read("pad", m));
      assertTrue(e.getMessage().contains("dtype U8, which is not supported"), e.getMessage());
    }
  }
}
