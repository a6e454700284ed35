package dev.refinery.models.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.refinery.models.checkpoint.Checkpoints;
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
import java.util.SplittableRandom;

/**
 * Low-rank adapters on a model's linear layers (Hu et al. 2021): A ~ N(0, 1/r), B = 0, so the
 * wrapped model starts identical to the base; every base parameter is frozen. The adapter alone
 * (A and B of each target, {@code name.lora_a} / {@code name.lora_b}) saves to safetensors.
 */
public final class LoraAdapter {
  public static final String WEIGHTS = "adapter.safetensors";
  public static final String CONFIG = "adapter_config.json";

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

  public boolean merged() {
    return merged;
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

  /** Saves only the adapter weights and config. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (String name : targets) {
      tensors.put(name + ".lora_a", model.parameters().get(name + ".lora_a"));
      tensors.put(name + ".lora_b", model.parameters().get(name + ".lora_b"));
    }
    Checkpoints.writeTensors(tensors, dir.resolve(WEIGHTS));
    Files.writeString(dir.resolve(CONFIG), new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(config),
        StandardCharsets.UTF_8);
  }

  /** Attaches a saved adapter to a base model (unmerged). */
  public static LoraAdapter load(DecoderModel model, Path dir) throws IOException {
    LoraConfig config = new com.google.gson.Gson().fromJson(
        Files.readString(dir.resolve(CONFIG), StandardCharsets.UTF_8), LoraConfig.class);
    LoraAdapter adapter = attach(model, config, 0);
    try (NDManager tmp = model.manager().newSubManager()) {
      Map<String, NDArray> saved = Checkpoints.readTensors(dir.resolve(WEIGHTS), tmp);
      for (String name : adapter.targets) {
        for (String part : List.of(".lora_a", ".lora_b")) {
          NDArray v = saved.get(name + part);
          if (v == null) {
            throw new IOException("adapter " + dir + " lacks " + name + part);
          }
          model.parameters().get(name + part).set(v.toFloatArray());
        }
      }
    }
    return adapter;
  }
}
