package dev.refinery.models.transformer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shape and flavour of a decoder-only transformer; stored as {@code config.json} beside checkpoints.
 *
 * @param mlpHidden hidden width of the MLP (4 × width for GELU; about 8/3 × width for SwiGLU)
 * @param bias whether linear layers and LayerNorm carry biases
 */
public record ModelConfig(
    int vocabSize,
    int contextLength,
    int layers,
    int heads,
    int width,
    int mlpHidden,
    Norm norm,
    Positions positions,
    Mlp mlp,
    float dropout,
    boolean tiedEmbeddings,
    boolean bias,
    float normEps,
    float ropeTheta) {

  public enum Norm { LAYER_NORM, RMS_NORM }

  public enum Positions { LEARNED, ROTARY }

  public enum Mlp { GELU, SWIGLU }

  public ModelConfig {
    if (vocabSize <= 0 || contextLength <= 0 || layers <= 0 || heads <= 0 || width <= 0 || mlpHidden <= 0) {
      throw new IllegalArgumentException("sizes must be positive: " + this);
    }
    if (width % heads != 0) {
      throw new IllegalArgumentException("width " + width + " is not divisible by heads " + heads);
    }
    if (positions == Positions.ROTARY && (width / heads) % 2 != 0) {
      throw new IllegalArgumentException("rotary positions need an even head size, got " + width / heads);
    }
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
  }

  /** nanoGPT's GPT-2 flavour: LayerNorm, learned positions, GELU, tied embeddings, biases. */
  public static ModelConfig gpt(int vocabSize, int contextLength, int layers, int heads, int width, float dropout) {
    return new ModelConfig(vocabSize, contextLength, layers, heads, width, 4 * width, Norm.LAYER_NORM,
        Positions.LEARNED, Mlp.GELU, dropout, true, true, 1e-5f, 10000f);
  }

  /** LLaMA flavour: RMSNorm, rotary positions, SwiGLU, no biases. */
  public static ModelConfig llama(int vocabSize, int contextLength, int layers, int heads, int width, float dropout) {
    int hidden = ((8 * width / 3) + 7) / 8 * 8;
    return new ModelConfig(vocabSize, contextLength, layers, heads, width, hidden, Norm.RMS_NORM,
        Positions.ROTARY, Mlp.SWIGLU, dropout, true, false, 1e-5f, 10000f);
  }

  public int headSize() {
    return width / heads;
  }

  public ModelConfig withDropout(float p) {
    return new ModelConfig(vocabSize, contextLength, layers, heads, width, mlpHidden, norm, positions, mlp, p,
        tiedEmbeddings, bias, normEps, ropeTheta);
  }

  private static Gson gson() {
    return new GsonBuilder().setPrettyPrinting().create();
  }

  public String toJson() {
    return gson().toJson(this);
  }

  public static ModelConfig fromJson(String json) {
    return gson().fromJson(json, ModelConfig.class);
  }

  public void save(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }

  public static ModelConfig load(Path file) throws IOException {
    return fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }
}
