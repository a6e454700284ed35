package dev.refinery.models.transformer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A decoder-only transformer on DJL's PyTorch engine: token (+ learned) embeddings, pre-norm blocks
 * of causal self-attention and an MLP, a final norm and an output head tied to the embedding.
 * Parameters are plain named arrays (names as in {@code config.json}-style checkpoints, e.g.
 * {@code layers.0.attn.q.weight}) so checkpoints, LoRA and optimizers address them by name.
 *
 * <p>Arrays produced by a forward pass live in the manager of the {@code tokens} array: run each
 * step under a sub-manager of {@link #manager()} and close it afterwards.
 */
public final class DecoderModel implements AutoCloseable {
  private static final float MASKED = -1e9f;
  /** Longest causal mask kept precomputed; longer sequences build theirs per step (a 32k² mask would be 4 GiB). */
  private static final int MASK_CACHE = 2048;

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  private final Map<String, LinearLayer> linears = new LinkedHashMap<>();
  /** Additive causal mask [n, n], n = min(ctx, MASK_CACHE): 0 where a query may see a key, -1e9 elsewhere. */
  private final NDArray causalBias;
  private final NDArray ropeCos;
  private final NDArray ropeSin;
  /** LayerNorm without bias still needs a beta for the fused kernel. */
  private final NDArray zeroBeta;
  /** PyTorch's fused causal attention, loaded on first use. */
  private FusedAttention fused;

  private DecoderModel(ModelConfig config, NDManager manager) {
    this.config = config;
    this.manager = manager;
    int ctx = config.contextLength();
    int n = Math.min(ctx, MASK_CACHE);
    float[] mask = new float[n * n];
    for (int q = 0; q < n; q++) {
      for (int k = q + 1; k < n; k++) {
        mask[q * n + k] = MASKED;
      }
    }
    causalBias = manager.create(mask, new Shape(n, n));
    if (config.positions() == ModelConfig.Positions.ROTARY) {
      float[] inv = config.ropeInverseFrequencies();
      int half = inv.length;
      float[] cos = new float[ctx * half];
      float[] sin = new float[ctx * half];
      for (int p = 0; p < ctx; p++) {
        for (int i = 0; i < half; i++) {
          float angle = p * inv[i]; // float32 product, as transformers computes it
          cos[p * half + i] = (float) Math.cos(angle);
          sin[p * half + i] = (float) Math.sin(angle);
        }
      }
      ropeCos = manager.create(cos, new Shape(ctx, half));
      ropeSin = manager.create(sin, new Shape(ctx, half));
    } else {
      ropeCos = null;
      ropeSin = null;
    }
    zeroBeta = manager.zeros(new Shape(config.width()));
  }

  /** A freshly initialised model (GPT-2 init: N(0, 0.02), residual projections scaled by 1/√(2·layers)). */
  public static DecoderModel create(ModelConfig config, Device device, long seed) {
    DecoderModel m = new DecoderModel(config, NDManager.newBaseManager(device, "PyTorch"));
    SplittableRandom rnd = new SplittableRandom(seed);
    float std = 0.02f;
    float residualStd = (float) (0.02 / Math.sqrt(2.0 * config.layers()));
    for (Map.Entry<String, Shape> e : parameterShapes(config).entrySet()) {
      String name = e.getKey();
      Shape shape = e.getValue();
      float[] values = new float[Math.toIntExact(shape.size())];
      if (name.contains("norm")) {
        if (name.endsWith(".weight")) {
          java.util.Arrays.fill(values, 1f);
        }
      } else if (name.endsWith(".weight")) {
        float s = name.endsWith("attn.o.weight") || name.endsWith("mlp.down.weight") ? residualStd : std;
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (rnd.nextGaussian() * s);
        }
      }
      m.putParameter(name, m.manager.create(values, shape));
    }
    m.buildLinears();
    return m;
  }

  /** A model whose parameters are given by name (e.g. read from a checkpoint); all must be present. */
  public static DecoderModel fromParameters(ModelConfig config, Device device, Map<String, NDArray> values) {
    return load(config, device, (name, shape, manager) -> {
      NDArray v = values.get(name);
      if (v == null) {
        throw new IllegalArgumentException("checkpoint lacks parameter " + name);
      }
      return manager.create(v.toType(DataType.FLOAT32, true).toFloatArray(), v.getShape());
    });
  }

  /** Reads one parameter of the given name and expected shape as float32 into the model's manager. */
  @FunctionalInterface
  public interface ParameterSource {
    NDArray read(String name, Shape shape, NDManager manager) throws java.io.IOException;
  }

  /**
   * A model whose parameters are read one at a time from {@code source} straight into the model's manager
   * (no second copy of the weights); a parameter of another shape than the config's is an error.
   */
  public static DecoderModel load(ModelConfig config, Device device, ParameterSource source) {
    DecoderModel m = new DecoderModel(config, NDManager.newBaseManager(device, "PyTorch"));
    try {
      for (Map.Entry<String, Shape> e : parameterShapes(config).entrySet()) {
        NDArray v = source.read(e.getKey(), e.getValue(), m.manager);
        if (!v.getShape().equals(e.getValue())) {
          throw new IllegalArgumentException(
              "parameter " + e.getKey() + " has shape " + v.getShape() + ", config says " + e.getValue());
        }
        m.putParameter(e.getKey(), v);
      }
    } catch (java.io.IOException | RuntimeException e) {
      m.close();
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new java.io.UncheckedIOException((java.io.IOException) e);
    }
    m.buildLinears();
    return m;
  }

  /** Every parameter's name and shape, in a fixed order. */
  public static Map<String, Shape> parameterShapes(ModelConfig c) {
    Map<String, Shape> s = new LinkedHashMap<>();
    int w = c.width();
    int qWidth = c.heads() * c.headSize();
    int kvWidth = c.kvHeads() * c.headSize();
    s.put("embed.weight", new Shape(c.vocabSize(), w));
    if (c.positions() == ModelConfig.Positions.LEARNED) {
      s.put("pos_embed.weight", new Shape(c.contextLength(), w));
    }
    for (int i = 0; i < c.layers(); i++) {
      String p = "layers." + i + ".";
      norm(s, c, p + "norm1");
      linear(s, p + "attn.q", qWidth, w, c.bias() || c.qkvBias());
      linear(s, p + "attn.k", kvWidth, w, c.bias() || c.qkvBias());
      linear(s, p + "attn.v", kvWidth, w, c.bias() || c.qkvBias());
      linear(s, p + "attn.o", w, qWidth, c.bias() || c.outBias());
      norm(s, c, p + "norm2");
      linear(s, p + "mlp.up", c.mlpHidden(), w, c.bias());
      if (c.mlp() == ModelConfig.Mlp.SWIGLU) {
        linear(s, p + "mlp.gate", c.mlpHidden(), w, c.bias());
      }
      linear(s, p + "mlp.down", w, c.mlpHidden(), c.bias());
    }
    norm(s, c, "norm");
    if (!c.tiedEmbeddings()) {
      s.put("lm_head.weight", new Shape(c.vocabSize(), w));
    }
    return s;
  }

  private static void norm(Map<String, Shape> s, ModelConfig c, String name) {
    s.put(name + ".weight", new Shape(c.width()));
    if (c.norm() == ModelConfig.Norm.LAYER_NORM && c.bias()) {
      s.put(name + ".bias", new Shape(c.width()));
    }
  }

  private static void linear(Map<String, Shape> s, String name, int out, int in, boolean bias) {
    s.put(name + ".weight", new Shape(out, in));
    if (bias) {
      s.put(name + ".bias", new Shape(out));
    }
  }

  private void putParameter(String name, NDArray value) {
    value.setName(name);
    value.setRequiresGradient(true);
    params.put(name, value);
  }

  private void buildLinears() {
    for (String name : params.keySet()) {
      if (name.endsWith(".weight") && (name.contains(".attn.") || name.contains(".mlp."))) {
        String layer = name.substring(0, name.length() - ".weight".length());
        linears.put(layer, new DenseLinear(params.get(name), params.get(layer + ".bias")));
      }
    }
  }

  public ModelConfig config() {
    return config;
  }

  public NDManager manager() {
    return manager;
  }

  public Device device() {
    return manager.getDevice();
  }

  /** Parameters by name, in checkpoint order (read-only view; includes frozen ones). */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /** Parameters the optimizer should update: those that still require gradients. */
  public Map<String, NDArray> trainableParameters() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    params.forEach((n, p) -> {
      if (p.hasGradient()) {
        out.put(n, p);
      }
    });
    return out;
  }

  /**
   * Sets every accumulated gradient to zero (PyTorch adds the gradients of successive backward passes): one
   * native call and a fill per parameter, where reading the gradient into Java and subtracting it from itself
   * took three calls and a kernel that reads twice as much.
   */
  public void zeroGradients() {
    for (NDArray p : params.values()) {
      if (p.hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) p);
      }
    }
  }

  public long parameterCount() {
    return params.values().stream().mapToLong(p -> p.getShape().size()).sum();
  }

  /** Names of the linear layers (e.g. {@code layers.0.attn.q}), which LoRA may wrap. */
  public List<String> linearNames() {
    return new ArrayList<>(linears.keySet());
  }

  public LinearLayer linear(String name) {
    LinearLayer l = linears.get(name);
    if (l == null) {
      throw new IllegalArgumentException("no linear layer " + name);
    }
    return l;
  }

  /** Swaps a linear layer (LoRA wrapping and unwrapping). */
  public void replaceLinear(String name, LinearLayer layer) {
    linear(name);
    linears.put(name, layer);
  }

  /** Adds a named parameter (e.g. LoRA factors) that the optimizer will train; the model owns and frees it. */
  public void addParameter(String name, NDArray value) {
    if (params.containsKey(name)) {
      throw new IllegalArgumentException("parameter " + name + " exists already");
    }
    value.attach(manager);
    putParameter(name, value);
  }

  /** Stops (or restarts) gradient updates of one parameter (frozen base weights under LoRA). */
  public void freeze(String name, boolean frozen) {
    NDArray p = params.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    p.setRequiresGradient(!frozen);
  }

  /** Logits [B, T, vocab] for tokens [B, T] (int64) at positions 0..T-1, causal. */
  public NDArray forward(NDArray tokens, boolean training) {
    return head(hidden(tokens, training));
  }

  /**
   * Logits [R, vocab] at some positions only of tokens [B, T] (int64, positions 0..T-1, causal, inference):
   * {@code rows} (int64) are flat positions b·T + t. The output head and whatever follows it cost R rows
   * instead of B·T, as scoring a continuation needs only the continuation's positions.
   */
  public NDArray logitsAt(NDArray tokens, NDArray rows) {
    NDArray h = hidden(tokens, false);
    Shape s = h.getShape();
    return head(embed(rows, h.reshape(s.get(0) * s.get(1), s.get(2))));
  }

  /**
   * The final norm's output [B, T, width] for tokens [B, T] at positions 0..T-1: what the output head reads.
   * Attention takes PyTorch's fused kernel ({@link #fusedAttention}) when it can: no additive mask is built then.
   */
  private NDArray hidden(NDArray tokens, boolean training) {
    long t = tokens.getShape().get(1);
    checkLength(t);
    NDManager step = tokens.getManager();
    boolean fused = fusedAttention(training);
    NDArray bias = fused ? null : causal(0, t, step);
    NDArray[] rope = null;
    NDArray pos = null;
    if (config.positions() == ModelConfig.Positions.ROTARY) {
      // the fused path rotates q and k as [B, T, heads, d], the other as [B, heads, T, d]
      Shape layout = fused ? new Shape(1, t, 1, -1) : new Shape(1, 1, t, -1);
      rope = new NDArray[] {
          slice(ropeCos, new NDIndex(":{}", t), step).reshape(layout),
          slice(ropeSin, new NDIndex(":{}", t), step).reshape(layout)};
    } else {
      pos = slice(params.get("pos_embed.weight"), new NDIndex(":{}", t), step);
    }
    return run(tokens, pos, rope, bias, null, training);
  }

  /**
   * Logits [B, T, vocab] for packed rows: several samples share a row, {@code segments} [B, T] (int64) numbers
   * them, a token attends only to earlier tokens of its own sample, and {@code positions} [B, T] (int64)
   * restart at 0 with each sample, so every sample sees exactly what it would see alone in a row.
   */
  public NDArray forwardPacked(NDArray tokens, NDArray positions, NDArray segments, boolean training) {
    long t = tokens.getShape().get(1);
    checkLength(t);
    NDManager step = tokens.getManager();
    NDArray causal = causal(0, t, step);
    NDArray otherSample = segments.expandDims(2).neq(segments.expandDims(1)).toType(DataType.FLOAT32, false);
    NDArray bias = causal.add(otherSample.mul(MASKED)).expandDims(1);
    NDArray[] rope = null;
    NDArray pos = null;
    if (config.positions() == ModelConfig.Positions.ROTARY) {
      rope = new NDArray[] {embed(positions, ropeCos).expandDims(1), embed(positions, ropeSin).expandDims(1)};
    } else {
      pos = embed(positions, params.get("pos_embed.weight"));
    }
    return head(run(tokens, pos, rope, bias, null, training));
  }

  /**
   * Inference over new tokens [B, T] whose absolute positions are {@code positions} [B, T] (int64),
   * appending to {@code cache}. {@code keyPadding} [B, cached + T] is 1 where a key is left padding
   * of a shorter prompt (never attended), or null when no row is padded.
   */
  public NDArray forward(NDArray tokens, NDArray positions, NDArray keyPadding, KvCache cache) {
    long t = tokens.getShape().get(1);
    int past = cache.length();
    checkLength(past + t);
    NDManager step = tokens.getManager();
    NDArray bias = causal(past, past + t, step);
    if (keyPadding != null) {
      bias = bias.add(keyPadding.toType(DataType.FLOAT32, false).mul(MASKED).expandDims(1).expandDims(1));
    }
    NDArray[] rope = null;
    NDArray pos = null;
    if (config.positions() == ModelConfig.Positions.ROTARY) {
      rope = new NDArray[] {embed(positions, ropeCos).expandDims(1), embed(positions, ropeSin).expandDims(1)};
    } else {
      pos = embed(positions, params.get("pos_embed.weight"));
    }
    NDArray logits = head(run(tokens, pos, rope, bias, cache, false));
    cache.advance((int) t);
    return logits;
  }

  /**
   * Whether causal attention over whole sequences may run PyTorch's fused scaled_dot_product_attention (one
   * kernel forward and one backward instead of a dozen operations): every query head has its own key/value head,
   * and no dropout applies to the attention weights. Otherwise attention adds the causal mask and takes a softmax.
   */
  private boolean fusedAttention(boolean training) {
    return config.kvHeads() == config.heads() && !(training && config.dropout() > 0f);
  }

  private synchronized FusedAttention fused() {
    if (fused == null) {
      fused = new FusedAttention(manager);
    }
    return fused;
  }

  /** The additive causal mask of queries at positions {@code from..to-1} over keys {@code 0..to-1}. */
  private NDArray causal(long from, long to, NDManager step) {
    if (to <= causalBias.getShape().get(0)) {
      return slice(causalBias, new NDIndex("{}:{}, :{}", from, to, to), step);
    }
    NDArray queries = step.arange(from, to, 1, DataType.INT64).expandDims(1);
    NDArray keys = step.arange(0, to, 1, DataType.INT64).expandDims(0);
    return keys.gt(queries).toType(DataType.FLOAT32, false).mul(MASKED);
  }

  private void checkLength(long t) {
    if (t > config.contextLength()) {
      throw new IllegalArgumentException("sequence of " + t + " exceeds the context length " + config.contextLength());
    }
  }

  /**
   * The blocks and the final norm over tokens [B, T]: hidden states [B, T, width]. A null {@code bias} means plain
   * causal attention from position 0 through the fused kernel.
   */
  private NDArray run(NDArray tokens, NDArray pos, NDArray[] rope, NDArray bias, KvCache cache, boolean training) {
    long b = tokens.getShape().get(0);
    long t = tokens.getShape().get(1);
    NDArray x = embed(tokens, params.get("embed.weight"));
    if (pos != null) {
      x = x.add(pos);
    }
    // The residual stream is kept as rows [B·T, width]: a linear over rows is one fused matmul-plus-bias (addmm)
    // and its gradient one kernel, where over [B, T, width] the engine's linear runs a matmul and a separate
    // bias add (and a separate reduction for the bias gradient).
    x = dropout(x.reshape(b * t, config.width()), training);
    NDManager step = tokens.getManager();
    for (int i = 0; i < config.layers(); i++) {
      String p = "layers." + i + ".";
      // Each layer's intermediates (and its input) are released when the layer is done: autograd keeps what
      // backward needs, and freed blocks are reused while still in cache, instead of every activation living
      // to the end of the step in the step's manager.
      try (NDManager layer = step.newSubManager()) {
        x.attach(layer);
        x = x.add(attention(p, normalize(x, p + "norm1"), b, t, rope, bias, cache, i, training));
        x = x.add(mlp(p, normalize(x, p + "norm2"), training));
        x.attach(step);
      }
    }
    return normalize(x, "norm").reshape(b, t, config.width());
  }

  /** The output head (the embedding when tied) over hidden states [..., width]: logits [..., vocab]. */
  private NDArray head(NDArray x) {
    NDArray w = config.tiedEmbeddings() ? params.get("embed.weight") : params.get("lm_head.weight");
    return x.getNDArrayInternal().linear(x, w, null).singletonOrThrow();
  }

  /** Self-attention over rows h [B·T, width] of B sequences of T positions: rows [B·T, width]. */
  private NDArray attention(String p, NDArray h, long b, long t, NDArray[] rope, NDArray bias, KvCache cache, int layer,
      boolean training) {
    int heads = config.heads();
    int kvHeads = config.kvHeads();
    int d = config.headSize();
    if (bias == null) {
      NDArray[] qkv = project(h, training, p + "attn.q", p + "attn.k", p + "attn.v");
      NDArray q = qkv[0].reshape(b, t, heads, d);
      NDArray k = qkv[1].reshape(b, t, heads, d);
      NDArray v = qkv[2].reshape(b, t, heads, d);
      if (rope != null) {
        q = rotate(q, rope[0], rope[1]);
        k = rotate(k, rope[0], rope[1]);
      }
      NDArray y = fused().apply(q, k, v).reshape(b * t, (long) heads * d);
      return dropout(linears.get(p + "attn.o").apply(y, training), training);
    }
    NDArray[] qkv = project(h, training, p + "attn.q", p + "attn.k", p + "attn.v");
    NDArray q = qkv[0].reshape(b, t, heads, d).transpose(0, 2, 1, 3);
    NDArray k = qkv[1].reshape(b, t, kvHeads, d).transpose(0, 2, 1, 3);
    NDArray v = qkv[2].reshape(b, t, kvHeads, d).transpose(0, 2, 1, 3);
    if (rope != null) {
      q = rotate(q, rope[0], rope[1]);
      k = rotate(k, rope[0], rope[1]);
    }
    if (cache != null) {
      NDArray[] kv = cache.append(layer, k, v);
      k = kv[0];
      v = kv[1];
    }
    q = Scalars.mul(q, 1.0 / Math.sqrt(d));
    NDArray att;
    NDArray y;
    if (kvHeads == heads) {
      att = q.matMul(k.transpose(0, 1, 3, 2)).add(bias).softmax(-1);
      y = dropout(att, training).matMul(v);
    } else {
      // Grouped-query attention without copying keys/values per query head: the query heads sharing a
      // key/value head (consecutive, as transformers' repeat_kv orders them) stack along the time axis.
      long tk = k.getShape().get(2);
      long group = heads / kvHeads;
      att = q.reshape(b, kvHeads, group * t, d).matMul(k.transpose(0, 1, 3, 2)).reshape(b, heads, t, tk)
          .add(bias).softmax(-1);
      y = dropout(att, training).reshape(b, kvHeads, group * t, tk).matMul(v).reshape(b, heads, t, d);
    }
    y = y.transpose(0, 2, 1, 3).reshape(b * t, (long) heads * d);
    return dropout(linears.get(p + "attn.o").apply(y, training), training);
  }

  /**
   * The named linear layers applied to the same rows h: while training, when all are plain (no LoRA wrapper) and
   * alike in bias, their weights are stacked for one matmul, whose backward is one matmul for h's gradient and
   * one for the weights' (instead of one per layer plus the sum of h's gradients), as nanoGPT's fused qkv runs;
   * the parameters stay separate. Inference runs them one by one: stacking would copy the weights every token.
   */
  private NDArray[] project(NDArray h, boolean training, String... names) {
    NDArray[] out = new NDArray[names.length];
    LinearLayer first = linears.get(names[0]);
    boolean stack = training;
    for (String name : names) {
      stack &= linears.get(name) instanceof DenseLinear dense && first instanceof DenseLinear f
          && (dense.bias() == null) == (f.bias() == null);
    }
    if (!stack) {
      for (int i = 0; i < names.length; i++) {
        out[i] = linears.get(names[i]).apply(h, training);
      }
      return out;
    }
    NDList weights = new NDList(names.length);
    NDList biases = new NDList(names.length);
    long[] splits = new long[names.length - 1];
    long rows = 0;
    for (int i = 0; i < names.length; i++) {
      DenseLinear l = (DenseLinear) linears.get(names[i]);
      weights.add(l.weight());
      if (l.bias() != null) {
        biases.add(l.bias());
      }
      rows += l.weight().getShape().get(0);
      if (i < splits.length) {
        splits[i] = rows;
      }
    }
    NDManager scope = h.getManager();
    NDArray w = NDArrays.concat(weights, 0);
    w.attach(scope);
    NDArray bias = null;
    if (!biases.isEmpty()) {
      bias = NDArrays.concat(biases, 0);
      bias.attach(scope);
    }
    NDList parts = new DenseLinear(w, bias).apply(h, true).split(splits, 1);
    for (int i = 0; i < names.length; i++) {
      out[i] = parts.get(i);
    }
    return out;
  }

  /** Rotary embedding, "rotate half" layout (as in LLaMA / Hugging Face), over the last axis of x [..., d]. */
  private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
    long half = x.getShape().get(3) / 2;
    NDArray x1 = x.get(new NDIndex("..., :{}", half));
    NDArray x2 = x.get(new NDIndex("..., {}:", half));
    return x1.mul(cos).sub(x2.mul(sin)).concat(x2.mul(cos).add(x1.mul(sin)), 3);
  }

  private NDArray mlp(String p, NDArray h, boolean training) {
    NDArray act;
    if (config.mlp() == ModelConfig.Mlp.SWIGLU) {
      NDArray[] gateUp = project(h, training, p + "mlp.gate", p + "mlp.up");
      NDArray gate = gateUp[0];
      NDArray up = gateUp[1];
      act = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(up);
    } else {
      NDArray up = linears.get(p + "mlp.up").apply(h, training);
      act = up.getNDArrayInternal().gelu();
    }
    return dropout(linears.get(p + "mlp.down").apply(act, training), training);
  }

  private NDArray normalize(NDArray x, String name) {
    NDArray w = params.get(name + ".weight");
    if (config.norm() == ModelConfig.Norm.RMS_NORM) {
      return x.mul(Scalars.pow(x.square().mean(new int[] {-1}, true).add(config.normEps()), -0.5)).mul(w);
    }
    NDArray beta = params.getOrDefault(name + ".bias", zeroBeta);
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(config.width()), w, beta, config.normEps())
        .singletonOrThrow();
  }

  private NDArray dropout(NDArray x, boolean training) {
    if (!training || config.dropout() == 0f) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, config.dropout(), true).get(0);
  }

  private static NDArray embed(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow();
  }

  /** A slice of a model-owned array, owned by the step's manager so closing the step frees it. */
  private static NDArray slice(NDArray source, NDIndex index, NDManager step) {
    NDArray out = source.get(index);
    out.attach(step);
    return out;
  }

  /** Mean cross-entropy of logits [B, T, V] against targets [B, T]; targets equal to {@code ignoreId} do not count. */
  public static NDArray crossEntropy(NDArray logits, NDArray targets, int ignoreId) {
    NDArray logp = logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
    if (ignoreId < 0) {
      return logp.mean().neg();
    }
    NDArray keep = targets.neq(ignoreId).toType(DataType.FLOAT32, false);
    return logp.mul(keep).sum().div(keep.sum().maximum(1f)).neg();
  }

  @Override
  public void close() {
    manager.close();
  }
}
