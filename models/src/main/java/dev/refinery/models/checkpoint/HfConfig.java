package dev.refinery.models.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.refinery.core.RefineryException;
import dev.refinery.models.transformer.ModelConfig;
import java.util.List;

/**
 * Hugging Face {@code config.json} of the Llama family ({@code LlamaForCausalLM}, {@code Qwen2ForCausalLM},
 * {@code MistralForCausalLM}) to and from {@link ModelConfig}. Reads both transformers 4's {@code rope_theta} +
 * {@code rope_scaling} and transformers 5's {@code rope_parameters}; anything it cannot run exactly (another
 * architecture or activation, an unknown rope type, quantisation, MLP biases) stops with one line naming the field.
 */
public final class HfConfig {
  public static final List<String> ARCHITECTURES = List.of("LlamaForCausalLM", "Qwen2ForCausalLM", "MistralForCausalLM");

  private HfConfig() {}

  /** Whether a parsed config.json is a Hugging Face one (Refinery's own has {@code vocabSize}). */
  public static boolean isHuggingFace(JsonObject json) {
    return json.has("model_type") || json.has("architectures");
  }

  /** The model config of a Hugging Face config.json; {@code where} names the file in error lines. */
  public static ModelConfig read(JsonObject c, String where) {
    String arch = architecture(c, where);
    if (c.has("quantization_config") && !c.get("quantization_config").isJsonNull()) {
      JsonElement q = c.getAsJsonObject("quantization_config").get("quant_method");
      throw new RefineryException(where + ": quantization_config" + (q == null ? "" : " (" + q.getAsString() + ")")
          + " is not supported: give an unquantised F32, F16 or BF16 checkpoint");
    }
    String act = string(c, "hidden_act", "silu");
    if (!act.equals("silu")) {
      throw new RefineryException(where + ": hidden_act '" + act + "' is not supported (only silu)");
    }
    if (bool(c, "mlp_bias", false)) {
      throw new RefineryException(where + ": mlp_bias true is not supported");
    }
    int width = integer(c, "hidden_size", where);
    int heads = integer(c, "num_attention_heads", where);
    int kvHeads = c.has("num_key_value_heads") && !c.get("num_key_value_heads").isJsonNull()
        ? integer(c, "num_key_value_heads", where) : heads;
    int headDim = c.has("head_dim") && !c.get("head_dim").isJsonNull() ? integer(c, "head_dim", where) : 0;
    if (headDim == 0 && width % heads != 0) {
      throw new RefineryException(where + ": hidden_size " + width + " is not a multiple of num_attention_heads "
          + heads + " and head_dim is not given");
    }
    if (heads % kvHeads != 0) {
      throw new RefineryException(where + ": num_attention_heads " + heads + " is not a multiple of num_key_value_heads "
          + kvHeads);
    }
    int context = integer(c, "max_position_embeddings", where);
    // Within the sliding window every position sees the whole prefix, so capping the context keeps it exact.
    boolean sliding = arch.equals("MistralForCausalLM") || bool(c, "use_sliding_window", false);
    if (sliding && c.has("sliding_window") && !c.get("sliding_window").isJsonNull()) {
      context = Math.min(context, integer(c, "sliding_window", where));
    }
    boolean qwen = arch.equals("Qwen2ForCausalLM");
    boolean attentionBias = !qwen && bool(c, "attention_bias", false);
    // transformers 5 moves rope_theta and rope_scaling into rope_parameters.
    JsonObject rope = object(c, "rope_parameters");
    String ropeField = rope != null ? "rope_parameters" : "rope_scaling";
    if (rope == null) {
      rope = object(c, "rope_scaling");
    }
    float theta = rope != null && rope.has("rope_theta") ? rope.get("rope_theta").getAsFloat()
        : c.has("rope_theta") ? c.get("rope_theta").getAsFloat() : 10000f;
    ModelConfig.RopeScaling scaling = rope == null ? null : scaling(rope, ropeField, where);
    try {
      return new ModelConfig(integer(c, "vocab_size", where), context, integer(c, "num_hidden_layers", where), heads,
          width, integer(c, "intermediate_size", where), ModelConfig.Norm.RMS_NORM, ModelConfig.Positions.ROTARY,
          ModelConfig.Mlp.SWIGLU, 0f, bool(c, "tie_word_embeddings", false), false,
          (float) number(c, "rms_norm_eps", 1e-6), theta, kvHeads, headDim, qwen || attentionBias, attentionBias,
          scaling);
    } catch (IllegalArgumentException e) {
      throw new RefineryException(where + ": " + e.getMessage());
    }
  }

  private static String architecture(JsonObject c, String where) {
    if (c.has("architectures") && c.get("architectures").isJsonArray() && !c.getAsJsonArray("architectures").isEmpty()) {
      String a = c.getAsJsonArray("architectures").get(0).getAsString();
      if (!ARCHITECTURES.contains(a)) {
        throw new RefineryException(where + ": architectures " + a + " is not supported (supported: "
            + String.join(", ", ARCHITECTURES) + ")");
      }
      return a;
    }
    String type = string(c, "model_type", "");
    return switch (type) {
      case "llama" -> "LlamaForCausalLM";
      case "qwen2" -> "Qwen2ForCausalLM";
      case "mistral" -> "MistralForCausalLM";
      default -> throw new RefineryException(where + ": model_type '" + type + "' is not supported (llama, qwen2, "
          + "mistral)");
    };
  }

  private static ModelConfig.RopeScaling scaling(JsonObject r, String field, String where) {
    String type = r.has("rope_type") ? r.get("rope_type").getAsString()
        : r.has("type") ? r.get("type").getAsString() : "default";
    switch (type) {
      case "default":
        return null;
      case "linear":
        return new ModelConfig.RopeScaling("linear", (float) number(r, "factor", where + ": " + field), 0f, 0f, 0);
      case "llama3":
        return new ModelConfig.RopeScaling("llama3", (float) number(r, "factor", where + ": " + field),
            (float) number(r, "low_freq_factor", where + ": " + field),
            (float) number(r, "high_freq_factor", where + ": " + field),
            (int) number(r, "original_max_position_embeddings", where + ": " + field));
      default:
        throw new RefineryException(where + ": " + field + ".rope_type '" + type + "' is not supported (default, "
            + "linear, llama3)");
    }
  }

  /**
   * The config.json of a Llama-flavoured model (RMSNorm, rotary, SwiGLU, no MLP biases): Qwen2ForCausalLM when
   * only q/k/v carry biases, LlamaForCausalLM otherwise. {@code tokens} may carry bos/eos/pad ids to copy in.
   */
  public static JsonObject write(ModelConfig m, JsonObject tokens) {
    if (m.norm() != ModelConfig.Norm.RMS_NORM || m.positions() != ModelConfig.Positions.ROTARY
        || m.mlp() != ModelConfig.Mlp.SWIGLU || m.bias() || (m.outBias() && !m.qkvBias())) {
      throw new RefineryException("only Llama-flavoured models (rms norm, rotary positions, swiglu, no MLP biases) "
          + "export to a Hugging Face folder; this one has " + m.norm() + ", " + m.positions() + ", " + m.mlp()
          + (m.bias() ? ", biases" : "") + " (pretrain with train.model.flavour = \"llama\" for a model that exports)");
    }
    boolean qwen = m.qkvBias() && !m.outBias();
    JsonObject c = new JsonObject();
    c.add("architectures", new com.google.gson.JsonArray());
    c.getAsJsonArray("architectures").add(qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
    c.addProperty("model_type", qwen ? "qwen2" : "llama");
    c.addProperty("vocab_size", m.vocabSize());
    c.addProperty("hidden_size", m.width());
    c.addProperty("intermediate_size", m.mlpHidden());
    c.addProperty("num_hidden_layers", m.layers());
    c.addProperty("num_attention_heads", m.heads());
    c.addProperty("num_key_value_heads", m.kvHeads());
    c.addProperty("head_dim", m.headSize());
    c.addProperty("hidden_act", "silu");
    c.addProperty("max_position_embeddings", m.contextLength());
    c.addProperty("rms_norm_eps", m.normEps());
    c.addProperty("rope_theta", m.ropeTheta());
    ModelConfig.RopeScaling s = m.ropeScaling();
    if (s == null) {
      c.add("rope_scaling", JsonNull.INSTANCE);
    } else {
      JsonObject r = new JsonObject();
      r.addProperty("rope_type", s.type());
      r.addProperty("factor", s.factor());
      if (s.type().equals("llama3")) {
        r.addProperty("low_freq_factor", s.lowFreqFactor());
        r.addProperty("high_freq_factor", s.highFreqFactor());
        r.addProperty("original_max_position_embeddings", s.originalContext());
      }
      c.add("rope_scaling", r);
    }
    c.addProperty("tie_word_embeddings", m.tiedEmbeddings());
    if (qwen) {
      c.addProperty("use_sliding_window", false);
    } else {
      c.addProperty("attention_bias", m.qkvBias());
      c.addProperty("mlp_bias", false);
    }
    c.addProperty("attention_dropout", 0.0);
    c.addProperty("torch_dtype", "float32");
    for (String k : List.of("bos_token_id", "eos_token_id", "pad_token_id")) {
      if (tokens != null && tokens.has(k)) {
        c.add(k, tokens.get(k));
      }
    }
    return c;
  }

  private static JsonObject object(JsonObject c, String key) {
    return c.has(key) && c.get(key).isJsonObject() ? c.getAsJsonObject(key) : null;
  }

  private static int integer(JsonObject c, String key, String where) {
    return (int) number(c, key, where);
  }

  private static double number(JsonObject c, String key, String where) {
    if (!c.has(key) || c.get(key).isJsonNull() || !c.get(key).isJsonPrimitive()
        || !c.get(key).getAsJsonPrimitive().isNumber()) {
      throw new RefineryException(where + ": " + key + " is missing or not a number");
    }
    return c.get(key).getAsDouble();
  }

  private static double number(JsonObject c, String key, double fallback) {
    return c.has(key) && !c.get(key).isJsonNull() ? c.get(key).getAsDouble() : fallback;
  }

  private static boolean bool(JsonObject c, String key, boolean fallback) {
    return c.has(key) && !c.get(key).isJsonNull() ? c.get(key).getAsBoolean() : fallback;
  }

  private static String string(JsonObject c, String key, String fallback) {
    return c.has(key) && !c.get(key).isJsonNull() ? c.get(key).getAsString() : fallback;
  }
}
