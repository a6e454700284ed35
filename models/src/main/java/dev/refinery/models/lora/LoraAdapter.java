package dev.refinery.models.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.refinery.core.RefineryException;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.checkpoint.HfCheckpoint;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.LinearLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Low-rank adapters on a model's linear layers (Hu et al. 2021): A ~ N(0, 1/r), B = 0, so the
 * wrapped model starts identical to the base; every base parameter is frozen. The adapter alone saves as
 * a PEFT folder (see {@link #save}), and PEFT folders load back onto a matching base.
 */
public final class LoraAdapter {
  public static final String WEIGHTS = "adapter_model.safetensors";
  public static final String CONFIG = "adapter_config.json";
  private static final String PEFT_PREFIX = "base_model.model.";
  private static final String A = ".lora_A.weight";
  private static final String B = ".lora_B.weight";

  private final DecoderModel model;
  private final LoraConfig config;
  private final List<String> targets = new ArrayList<>();
  private boolean merged;

  private LoraAdapter(DecoderModel model, LoraConfig config) {
    this.model = model;
    this.config = config;
  }

  /** Wraps every linear layer whose name matches the config's patterns. */
  public static LoraAdapter attach(DecoderModel model, LoraConfig config, long seed) {
    LoraAdapter adapter = new LoraAdapter(model, config);
    for (String name : model.parameters().keySet()) {
      model.freeze(name, true);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    NDManager m = model.manager();
    for (String name : model.linearNames()) {
      if (!config.matches(name)) {
        continue;
      }
      LinearLayer base = model.linear(name);
      Shape w = base.weight().getShape();
      float[] a = new float[Math.toIntExact(config.rank() * w.get(1))];
      double std = 1.0 / Math.sqrt(config.rank());
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (rnd.nextGaussian() * std);
      }
      NDArray aArr = m.create(a, new Shape(config.rank(), w.get(1)));
      NDArray bArr = m.zeros(new Shape(w.get(0), config.rank()));
      model.addParameter(name + ".lora_a", aArr);
      model.addParameter(name + ".lora_b", bArr);
      model.replaceLinear(name, new LoraLinear(base, aArr, bArr, config.scale(), config.dropout()));
      adapter.targets.add(name);
    }
    if (adapter.targets.isEmpty()) {
      throw new IllegalArgumentException("no linear layer matches " + config.targets() + "; layers are "
          + model.linearNames());
    }
    return adapter;
  }

  public List<String> targets() {
    return List.copyOf(targets);
  }

  public LoraConfig config() {
    return config;
  }

  /** W += scale · B A for every target (for serving without the extra matmuls); the wrappers then add nothing. */
  public void merge() {
    if (!merged) {
      addDelta(1f);
      merged = true;
    }
  }

  /** Undoes {@link #merge}. */
  public void unmerge() {
    if (merged) {
      addDelta(-1f);
      merged = false;
    }
  }

  private void addDelta(float sign) {
    for (String name : targets) {
      LinearLayer current = model.linear(name);
      LoraLinear l = current instanceof MergedLinear mg ? mg.lora() : (LoraLinear) current;
      try (NDManager tmp = model.manager().newSubManager()) {
        NDArray delta = l.b().matMul(l.a());
        delta.attach(tmp);
        NDArray scaled = delta.mul(sign * config.scale());
        l.weight().addi(scaled);
      }
      // Merged weights must not also get the wrapper's delta: swap the wrapper for the plain base.
      model.replaceLinear(name, sign > 0 ? new MergedLinear(l) : l);
    }
  }

  /** A merged target: the base layer (which now carries the update), remembering the wrapper for unmerge. */
  private record MergedLinear(LoraLinear lora) implements LinearLayer {
    @Override
    public NDArray apply(NDArray x, boolean training) {
      return lora.base().apply(x, training);
    }

    @Override
    public NDArray weight() {
      return lora.weight();
    }
  }

  /**
   * Saves the adapter as a PEFT folder that {@code PeftModel.from_pretrained} and {@code vllm serve --enable-lora}
   * load: {@code adapter_config.json} (r, lora_alpha, target_modules, bias "none", base_model_name_or_path) and
   * {@code adapter_model.safetensors} with transformers' names
   * ({@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}, A of shape [r, in], B [out, r]).
   */
  public void save(Path dir, String baseModel) throws IOException {
    Files.createDirectories(dir);
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (String name : targets) {
      tensors.put(PEFT_PREFIX + HfCheckpoint.hfName(name) + A, model.parameters().get(name + ".lora_a"));
      tensors.put(PEFT_PREFIX + HfCheckpoint.hfName(name) + B, model.parameters().get(name + ".lora_b"));
    }
    Checkpoints.writeTensors(tensors, dir.resolve(WEIGHTS));
    JsonObject c = new JsonObject();
    c.addProperty("peft_type", "LORA");
    c.addProperty("task_type", "CAUSAL_LM");
    c.addProperty("base_model_name_or_path", baseModel);
    c.addProperty("r", config.rank());
    c.addProperty("lora_alpha", config.alpha());
    c.addProperty("lora_dropout", config.dropout());
    c.addProperty("bias", "none");
    c.add("target_modules", targetModules());
    c.addProperty("fan_in_fan_out", false);
    c.addProperty("use_rslora", false);
    c.addProperty("use_dora", false);
    c.addProperty("inference_mode", true);
    Files.writeString(dir.resolve(CONFIG), new GsonBuilder().setPrettyPrinting().create().toJson(c) + "\n",
        StandardCharsets.UTF_8);
  }

  /**
   * PEFT's target_modules: module kinds ({@code ["q_proj", "v_proj"]}) when every layer's module of those kinds is
   * adapted, else a regular expression PEFT full-matches against module names.
   */
  private JsonElement targetModules() {
    Set<String> kinds = new TreeSet<>();
    for (String t : targets) {
      kinds.add(kind(t));
    }
    long covered = model.linearNames().stream().filter(n -> kinds.contains(kind(n))).count();
    if (covered == targets.size()) {
      JsonArray list = new JsonArray();
      kinds.forEach(list::add);
      return list;
    }
    return new JsonPrimitive(String.join("|", targets.stream().map(t -> Pattern.quote(HfCheckpoint.hfName(t))).toList()));
  }

  private static String kind(String linearName) {
    String hf = HfCheckpoint.hfName(linearName);
    return hf.substring(hf.lastIndexOf('.') + 1);
  }

  /**
   * Attaches a saved PEFT adapter to a base model (unmerged). An adapter this model cannot take (another base's
   * layer names or shapes, or PEFT features beyond plain LoRA) stops with one line.
   */
  public static LoraAdapter load(DecoderModel model, Path dir) throws IOException {
    Path configFile = dir.resolve(CONFIG);
    Path weights = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weights)) {
      throw new RefineryException(dir + " is not a PEFT adapter folder (" + CONFIG + " and " + WEIGHTS + ")");
    }
    JsonObject c = JsonParser.parseString(Files.readString(configFile, StandardCharsets.UTF_8)).getAsJsonObject();
    String base = c.has("base_model_name_or_path") && !c.get("base_model_name_or_path").isJsonNull()
        ? c.get("base_model_name_or_path").getAsString() : "?";
    requireSetting(c, "peft_type", "LORA", dir);
    requireSetting(c, "bias", "none", dir);
    for (String unsupported : List.of("use_dora", "use_rslora", "fan_in_fan_out")) {
      if (c.has(unsupported) && c.get(unsupported).isJsonPrimitive() && c.get(unsupported).getAsBoolean()) {
        throw new RefineryException(dir + ": " + unsupported + " adapters are not supported (plain LoRA only)");
      }
    }
    Map<String, String> byPeftName = new LinkedHashMap<>();
    for (String name : model.linearNames()) {
      byPeftName.put(PEFT_PREFIX + HfCheckpoint.hfName(name), name);
    }
    List<String> names = new ArrayList<>();
    try (NDManager tmp = model.manager().newSubManager()) {
      Map<String, NDArray> saved = Checkpoints.readTensors(weights, tmp);
      for (Map.Entry<String, NDArray> e : saved.entrySet()) {
        String key = e.getKey();
        String layer = key.endsWith(A) ? byPeftName.get(key.substring(0, key.length() - A.length()))
            : key.endsWith(B) ? byPeftName.get(key.substring(0, key.length() - B.length())) : null;
        if (layer == null) {
          throw new RefineryException(dir + " was made for another base (" + base + "): its tensor " + key
              + " has no layer in this model");
        }
        Shape w = model.linear(layer).weight().getShape();
        Shape want = key.endsWith(A) ? new Shape(c.get("r").getAsInt(), w.get(1)) : new Shape(w.get(0), c.get("r").getAsInt());
        if (!e.getValue().getShape().equals(want)) {
          throw new RefineryException(dir + " was made for another base (" + base + "): " + key + " has shape "
              + e.getValue().getShape() + ", this model needs " + want);
        }
        if (key.endsWith(A)) {
          names.add(layer);
        }
      }
      if (names.isEmpty()) {
        throw new RefineryException(dir + ": " + WEIGHTS + " holds no lora_A weights");
      }
      LoraConfig config = new LoraConfig(c.get("r").getAsInt(), c.get("lora_alpha").getAsFloat(), 0f,
          names.stream().map(Pattern::quote).toList());
      LoraAdapter adapter = attach(model, config, 0);
      for (String name : adapter.targets) {
        String peft = PEFT_PREFIX + HfCheckpoint.hfName(name);
        for (String[] part : List.of(new String[] {".lora_a", A}, new String[] {".lora_b", B})) {
          NDArray v = saved.get(peft + part[1]);
          if (v == null) {
            throw new RefineryException(dir + " lacks " + peft + part[1]);
          }
          model.parameters().get(name + part[0]).set(v.toFloatArray());
        }
      }
      return adapter;
    }
  }

  private static void requireSetting(JsonObject c, String key, String want, Path dir) {
    if (c.has(key) && !c.get(key).isJsonNull() && !want.equals(c.get(key).getAsString())) {
      throw new RefineryException(dir + "/" + CONFIG + ": " + key + " is " + c.get(key) + "; only " + want
          + " is supported");
    }
  }
}
