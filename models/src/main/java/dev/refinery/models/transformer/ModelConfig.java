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
 * @param kvHeads key/value heads (grouped-query attention: each serves heads / kvHeads query heads); 0 means heads
 * @param headDim width of one attention head, independent of width (Qwen3-style configs); 0 means width / heads
 * @param qkvBias whether the q, k and v projections carry biases even when {@code bias} is off (Qwen2)
 * @param outBias whether the attention output projection carries a bias even when {@code bias} is off
 * @param ropeScaling how rotary frequencies are stretched for longer contexts, or null for none
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
    float ropeTheta,
    int kvHeads,
    int headDim,
    boolean qkvBias,
    boolean outBias,
    RopeScaling ropeScaling) {

  public enum Norm { LAYER_NORM, RMS_NORM }

  public enum Positions { LEARNED, ROTARY }

  public enum Mlp { GELU, SWIGLU }

  /**
   * Rotary frequency scaling as transformers computes it: {@code linear} divides every frequency by
   * {@code factor}; {@code llama3} divides only the low frequencies and blends the band between
   * {@code lowFreqFactor} and {@code highFreqFactor} (wavelengths against {@code originalContext}).
   */
  public record RopeScaling(String type, float factor, float lowFreqFactor, float highFreqFactor, int originalContext) {
    public RopeScaling {
      if (!"linear".equals(type) && !"llama3".equals(type)) {
        throw new IllegalArgumentException("rope scaling type must be linear or llama3, got " + type);
      }
      if (!(factor > 0)) {
        throw new IllegalArgumentException("rope scaling factor must be positive, got " + factor);
      }
      if ("llama3".equals(type) && !(highFreqFactor > lowFreqFactor && lowFreqFactor > 0 && originalContext > 0)) {
        throw new IllegalArgumentException("llama3 rope scaling needs 0 < low_freq_factor < high_freq_factor and "
            + "original_max_position_embeddings > 0");
      }
    }

    /** Scales inverse frequencies in place (float32 arithmetic, as transformers does). */
    void apply(float[] invFreq) {
      for (int i = 0; i < invFreq.length; i++) {
        float f = invFreq[i];
        if ("linear".equals(type)) {
          invFreq[i] = f / factor;
          continue;
        }
        double wavelen = 2 * Math.PI / f;
        double lowWavelen = originalContext / (double) lowFreqFactor;
        double highWavelen = originalContext / (double) highFreqFactor;
        if (wavelen > lowWavelen) {
          invFreq[i] = f / factor;
        } else if (wavelen >= highWavelen) {
          float smooth = (float) ((originalContext / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor));
          invFreq[i] = (1 - smooth) * f / factor + smooth * f;
        }
      }
    }
  }

  public ModelConfig {
    if (vocabSize <= 0 || contextLength <= 0 || layers <= 0 || heads <= 0 || width <= 0 || mlpHidden <= 0) {
      throw new IllegalArgumentException("sizes must be positive: " + this);
    }
    // Checkpoints written before these fields existed read them as 0: plain multi-head attention.
    if (kvHeads == 0) {
      kvHeads = heads;
    }
    if (headDim == 0) {
      if (width % heads != 0) {
        throw new IllegalArgumentException("width " + width + " is not divisible by heads " + heads);
      }
      headDim = width / heads;
    }
    if (kvHeads < 0 || headDim < 0 || heads % kvHeads != 0) {
      throw new IllegalArgumentException("heads " + heads + " must be a multiple of key/value heads " + kvHeads);
    }
    if (positions == Positions.ROTARY && headDim % 2 != 0) {
      throw new IllegalArgumentException("rotary positions need an even head size, got " + headDim);
    }
    if (ropeScaling != null && positions != Positions.ROTARY) {
      throw new IllegalArgumentException("rope scaling needs rotary positions");
    }
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
  }

  /** Refinery's own flavours: plain multi-head attention, biases everywhere or nowhere, no rope scaling. */
  public ModelConfig(int vocabSize, int contextLength, int layers, int heads, int width, int mlpHidden, Norm norm,
      Positions positions, Mlp mlp, float dropout, boolean tiedEmbeddings, boolean bias, float normEps,
      float ropeTheta) {
    this(vocabSize, contextLength, layers, heads, width, mlpHidden, norm, positions, mlp, dropout, tiedEmbeddings,
        bias, normEps, ropeTheta, 0, 0, false, false, null);
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
    return headDim;
  }

  /** Inverse rotary frequencies of the head's dimension pairs, after {@link #ropeScaling}. */
  public float[] ropeInverseFrequencies() {
    float[] inv = new float[headDim / 2];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = 1f / (float) Math.pow(ropeTheta, (float) (2 * i) / headDim);
    }
    if (ropeScaling != null) {
      ropeScaling.apply(inv);
    }
    return inv;
  }

  public ModelConfig withDropout(float p) {
    return new ModelConfig(vocabSize, contextLength, layers, heads, width, mlpHidden, norm, positions, mlp, p,
        tiedEmbeddings, bias, normEps, ropeTheta, kvHeads, headDim, qkvBias, outBias, ropeScaling);
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
