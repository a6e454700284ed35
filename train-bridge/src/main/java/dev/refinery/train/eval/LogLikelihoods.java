package dev.refinery.train.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.TorchThreads;
import dev.refinery.train.trainer.ModelFolders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Log-likelihoods of token windows under a model, no Spark in it: the one piece of arithmetic behind
 * perplexity (strided windows, as transformers' perplexity guide slides them) and multiple-choice scoring
 * (context + continuation, as lm-evaluation-harness splits them). Windows are scored in batches, longest
 * first, right-padded: with causal attention padding after a window never changes what it sees.
 */
public final class LogLikelihoods implements AutoCloseable {
  /** Tokens [0, n) of which those from {@code from} on are scored, each given all tokens before it. */
  public record Window(int[] tokens, int from) {
    public Window {
      if (from < 1 || from > tokens.length) {
        throw new IllegalArgumentException("scored tokens must start in 1.." + tokens.length + ", not " + from);
      }
    }
  }

  /** Σ ln p of a window's scored tokens, how many there were, and whether each was the model's argmax. */
  public record Score(double logLikelihood, int tokens, boolean greedy) {}

  private final DecoderModel model;
  private final Tokenizer tokenizer;
  private final int batchSize;

  public LogLikelihoods(DecoderModel model, Tokenizer tokenizer, int batchSize) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.batchSize = Math.max(1, batchSize);
  }

  /**
   * A model folder of either format (+ a PEFT adapter folder, merged; "" for none) with the tokenizer.json of
   * the model folder, on the CPU; {@code torchThreads} > 0 caps PyTorch's threads (set before the engine loads).
   */
  public static LogLikelihoods open(String modelDir, String adapterDir, int batchSize, int torchThreads)
      throws IOException {
    TorchThreads.cap(torchThreads);
    Tokenizer tokenizer = Tokenizers.load(Path.of(modelDir));
    return new LogLikelihoods(ModelFolders.load(modelDir, adapterDir, Device.cpu()), tokenizer, batchSize);
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public int contextLength() {
    return model.config().contextLength();
  }

  /**
   * The windows of transformers' perplexity guide over one text's ids: windows of {@code maxLength} tokens
   * starting every {@code stride} tokens; each scores only the tokens no earlier window scored, so every
   * token after the first is scored once, with up to {@code maxLength - 1} tokens of context.
   */
  public static List<Window> strided(int[] ids, int maxLength, int stride) {
    List<Window> out = new ArrayList<>();
    int scoredTo = 0;
    for (int begin = 0; begin < ids.length; begin += stride) {
      int end = Math.min(begin + maxLength, ids.length);
      int from = Math.max(scoredTo, begin + 1) - begin;
      if (from < end - begin) {
        out.add(new Window(Arrays.copyOfRange(ids, begin, end), from));
      }
      scoredTo = end;
      if (end == ids.length) {
        break;
      }
    }
    return out;
  }

  /**
   * lm-evaluation-harness's split of a context and continuation: trailing spaces of the context move to the
   * continuation, the whole is encoded once and cut at the context's own token count (so a merge across the
   * boundary is scored as the harness scores it); the whole is cut from the left to the model's context + 1,
   * and an empty context is the end-of-text token.
   */
  public Window contextContinuation(String context, String continuation) {
    int spaces = context.length() - context.stripTrailing().length();
    if (spaces > 0) {
      continuation = context.substring(context.length() - spaces) + continuation;
      context = context.substring(0, context.length() - spaces);
    }
    int[] whole;
    int contextTokens;
    if (context.isEmpty()) {
      int[] cont = tokenizer.encode(continuation);
      whole = new int[cont.length + 1];
      whole[0] = tokenizer.eosId();
      System.arraycopy(cont, 0, whole, 1, cont.length);
      contextTokens = 1;
    } else {
      whole = tokenizer.encode(context + continuation);
      contextTokens = tokenizer.encode(context).length;
    }
    int continuationTokens = whole.length - contextTokens;
    int keep = Math.min(whole.length, contextLength() + 1);
    // the last token is only a target: the model reads at most contextLength() tokens
    int[] window = Arrays.copyOfRange(whole, whole.length - keep, whole.length);
    return new Window(window, Math.max(1, window.length - continuationTokens));
  }

  /** Scores of the windows, in their order; batches of up to batch-size windows of similar length. */
  public Score[] score(List<Window> windows) {
    Integer[] order = new Integer[windows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -windows.get(i).tokens().length));
    Score[] out = new Score[windows.size()];
    for (int start = 0; start < order.length; start += batchSize) {
      int n = Math.min(batchSize, order.length - start);
      List<Window> batch = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        batch.add(windows.get(order[start + j]));
      }
      Score[] scores = scoreBatch(batch);
      for (int j = 0; j < n; j++) {
        out[order[start + j]] = scores[j];
      }
    }
    return out;
  }

  /**
   * One forward pass over the batch; the output head, log-softmax and argmax run on the scored positions only
   * (a continuation's few tokens, not the context's), and their log-probabilities come back in one copy.
   */
  private Score[] scoreBatch(List<Window> batch) {
    int b = batch.size();
    // inputs are every token but the last; no window is longer than the model's context once its last is dropped
    int t = batch.stream().mapToInt(w -> w.tokens().length - 1).max().orElse(0);
    int scored = batch.stream().mapToInt(w -> w.tokens().length - w.from()).sum();
    long[] inputs = new long[b * t];
    long[] rows = new long[scored];
    long[] targets = new long[scored];
    int r = 0;
    for (int i = 0; i < b; i++) {
      int[] ids = batch.get(i).tokens();
      for (int j = 0; j < ids.length - 1; j++) {
        inputs[i * t + j] = ids[j];
      }
      // token k (k >= from) is predicted at input position k - 1
      for (int k = batch.get(i).from(); k < ids.length; k++) {
        rows[r] = (long) i * t + k - 1;
        targets[r++] = ids[k];
      }
    }
    float[] logp = new float[0];
    boolean[] greedy = new boolean[0];
    if (scored > 0) {
      try (NDManager step = model.manager().newSubManager()) {
        NDArray logits = model.logitsAt(step.create(inputs, new Shape(b, t)), step.create(rows));
        NDArray target = step.create(targets);
        logp = logits.logSoftmax(-1).gather(target.expandDims(-1), -1).squeeze(-1).toFloatArray();
        greedy = logits.argMax(-1).toType(DataType.INT64, false).eq(target).toBooleanArray();
      }
    }
    Score[] out = new Score[b];
    r = 0;
    for (int i = 0; i < b; i++) {
      Window w = batch.get(i);
      double sum = 0;
      boolean allGreedy = true;
      for (int k = w.from(); k < w.tokens().length; k++) {
        sum += logp[r];
        allGreedy &= greedy[r++];
      }
      out[i] = new Score(sum, w.tokens().length - w.from(), allGreedy);
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
