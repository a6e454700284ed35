package dev.refinery.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Autoregressive generation for a batch of prompts. Prompts are left-padded to a common length;
 * padded keys are masked and positions count from each prompt's own start, so a prompt gives the
 * same tokens alone or in a batch. With the key/value cache each new token costs one position.
 */
public final class Generator {
  /** Receives text as it is generated: the batch row and the new text since the last call. */
  public interface Listener {
    void onText(int row, String delta);
  }

  private final DecoderModel model;
  private final Tokenizer tokenizer;

  public Generator(DecoderModel model, Tokenizer tokenizer) {
    this.model = model;
    this.tokenizer = tokenizer;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public DecoderModel model() {
    return model;
  }

  public List<Completion> generate(List<String> prompts, SamplingParams params) {
    return generate(prompts, params, null);
  }

  public List<Completion> generate(List<String> prompts, SamplingParams params, Listener listener) {
    List<int[]> ids = new ArrayList<>();
    for (String p : prompts) {
      ids.add(tokenizer.encode(p));
    }
    return generateTokens(ids, params, true, listener);
  }

  /**
   * Generates from token prompts; {@code useCache = false} recomputes the whole sequence at every
   * step (slow; the reference the cache is tested against).
   */
  public synchronized List<Completion> generateTokens(List<int[]> prompts, SamplingParams params, boolean useCache,
      Listener listener) {
    int batch = prompts.size();
    int width = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
    if (width == 0) {
      throw new IllegalArgumentException("every prompt is empty; give at least one token");
    }
    int ctx = model.config().contextLength();
    if (width > ctx) {
      throw new IllegalArgumentException("prompt of " + width + " tokens exceeds the context length " + ctx);
    }
    int steps = Math.min(params.maxTokens(), ctx - width);
    int maxStop = params.stop().stream().mapToInt(String::length).max().orElse(0);
    Row[] rows = new Row[batch];
    for (int b = 0; b < batch; b++) {
      rows[b] = new Row(prompts.get(b).length, params);
    }
    long[] tokens = new long[batch * width];
    long[] positions = new long[batch * width];
    float[] padding = new float[batch * width];
    for (int b = 0; b < batch; b++) {
      int pad = width - prompts.get(b).length;
      for (int j = 0; j < width; j++) {
        tokens[b * width + j] = j < pad ? tokenizer.padId() : prompts.get(b)[j - pad];
        positions[b * width + j] = Math.max(0, j - pad);
        padding[b * width + j] = j < pad ? 1f : 0f;
      }
    }
    // Every row's full token history, for the no-cache path.
    long[][] history = new long[batch][];
    for (int b = 0; b < batch; b++) {
      history[b] = Arrays.copyOfRange(tokens, b * width, (b + 1) * width);
    }
    try (NDManager gen = model.manager().newSubManager(); KvCache cache = new KvCache(gen, model.config().layers())) {
      float[][] last = lastLogits(gen, tokens, positions, padding, batch, width, useCache ? cache : null);
      for (int step = 0; step < steps && !allDone(rows); step++) {
        long[] next = new long[batch];
        long[] nextPos = new long[batch];
        for (int b = 0; b < batch; b++) {
          Row r = rows[b];
          int tok = r.done ? tokenizer.padId() : r.sampler.pick(last[b]);
          next[b] = tok;
          nextPos[b] = r.promptLength + r.generated.size();
          if (!r.done) {
            r.accept(tok, tokenizer, params, maxStop, b, listener);
          }
        }
        if (allDone(rows) || step == steps - 1) {
          break;
        }
        int total = width + step + 1;
        float[] pad = new float[batch * total];
        for (int b = 0; b < batch; b++) {
          System.arraycopy(padding, b * (total - 1), pad, b * total, total - 1);
          history[b] = Arrays.copyOf(history[b], total);
          history[b][total - 1] = next[b];
        }
        padding = pad;
        if (useCache) {
          last = lastLogits(gen, next, nextPos, padding, batch, 1, cache);
        } else {
          long[] all = new long[batch * total];
          long[] allPos = new long[batch * total];
          for (int b = 0; b < batch; b++) {
            System.arraycopy(history[b], 0, all, b * total, total);
            int padCount = width - prompts.get(b).length;
            for (int j = 0; j < total; j++) {
              allPos[b * total + j] = Math.max(0, j - padCount);
            }
          }
          last = lastLogits(gen, all, allPos, padding, batch, total, null);
        }
      }
    }
    List<Completion> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(r.finish(listener, out.size()));
    }
    return out;
  }

  private float[][] lastLogits(NDManager gen, long[] tokens, long[] positions, float[] padding, int batch, int t,
      KvCache cache) {
    try (NDManager step = gen.newSubManager()) {
      NDArray x = step.create(tokens, new Shape(batch, t));
      NDArray pos = step.create(positions, new Shape(batch, t));
      boolean anyPad = false;
      for (float p : padding) {
        anyPad |= p != 0f;
      }
      NDArray keyPad = anyPad ? step.create(padding, new Shape(batch, padding.length / batch)) : null;
      KvCache c = cache;
      KvCache fresh = null;
      if (c == null) {
        fresh = new KvCache(step, model.config().layers());
        c = fresh;
      }
      NDArray logits = model.forward(x, pos, keyPad, c).get(new NDIndex(":, -1, :"));
      float[] flat = logits.toFloatArray();
      if (fresh != null) {
        fresh.close();
      }
      int v = flat.length / batch;
      float[][] rows = new float[batch][];
      for (int b = 0; b < batch; b++) {
        rows[b] = Arrays.copyOfRange(flat, b * v, (b + 1) * v);
      }
      return rows;
    }
  }

  private static boolean allDone(Row[] rows) {
    for (Row r : rows) {
      if (!r.done) {
        return false;
      }
    }
    return true;
  }

  /** Generation state of one prompt. */
  private static final class Row {
    final int promptLength;
    final TokenSampler sampler;
    final List<Integer> generated = new ArrayList<>();
    boolean done;
    String finishReason = "length";
    String text = "";
    int emitted;

    Row(int promptLength, SamplingParams params) {
      this.promptLength = promptLength;
      this.sampler = new TokenSampler(params);
    }

    void accept(int tok, Tokenizer tokenizer, SamplingParams params, int maxStop, int row, Generator.Listener l) {
      if (tok == tokenizer.eosId()) {
        done = true;
        finishReason = "stop";
        return;
      }
      generated.add(tok);
      text = tokenizer.decode(generated.stream().mapToInt(Integer::intValue).toArray());
      for (String s : params.stop()) {
        int at = text.indexOf(s);
        if (at >= 0) {
          text = text.substring(0, at);
          done = true;
          finishReason = "stop";
        }
      }
      if (generated.size() >= params.maxTokens()) {
        done = true;
      }
      if (l != null && !done) {
        // Hold back a possible partial stop string and an incomplete UTF-8 character.
        int safe = Math.max(emitted, text.length() - Math.max(0, maxStop - 1));
        while (safe > emitted && text.charAt(safe - 1) == '\uFFFD') {
          safe--;
        }
        if (safe > emitted) {
          l.onText(row, text.substring(emitted, safe));
          emitted = safe;
        }
      }
    }

    Completion finish(Generator.Listener l, int row) {
      if (l != null && text.length() > emitted) {
        l.onText(row, text.substring(emitted));
        emitted = text.length();
      }
      return new Completion(text, generated.stream().mapToInt(Integer::intValue).toArray(), promptLength,
          finishReason);
    }
  }
}
