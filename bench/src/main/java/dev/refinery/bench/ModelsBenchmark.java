package dev.refinery.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.refinery.models.tokenizer.CharTokenizer;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Forward + backward tokens/second of refinery-models' decoder in nanoGPT's CPU configuration (4 layers,
 * 4 heads, 128 wide, context 64, batch 12, tinyshakespeare characters) against the same model in PyTorch
 * eager (bench/python/models/nanogpt_peer.py, PyTorch from PyPI in models/.venv-hf), same shapes,
 * same iteration counts, same default thread count. Arguments: ITERS per round, WARMUP, ROUNDS. The two sides
 * alternate round by round (the peer waits between its rounds), because this host's speed drifts by a third
 * over tens of seconds; the ratio is the median of the rounds' ratios, tokens/s the totals.
 */
public final class ModelsBenchmark implements Benchmark {
  private static final int LAYERS = 4;
  private static final int HEADS = 4;
  private static final int WIDTH = 128;
  private static final int CONTEXT = 64;
  private static final int BATCH = 12;

  @Override
  public String name() {
    return "models";
  }

  @Override
  public String description() {
    return "decoder forward+backward tokens/s (nanoGPT CPU config) vs the same model in PyTorch eager";
  }

  @Override
  public List<String> smoke() {
    return List.of("3", "1", "2");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("tokens_per_s", "pytorch_tokens_per_s", "ratio_vs_pytorch", "params", "pytorch_params", "iters",
        "rounds");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int iters = args.isEmpty() ? 50 : Integer.parseInt(args.get(0));
    int warmup = args.size() < 2 ? 30 : Integer.parseInt(args.get(1));
    int rounds = args.size() < 3 ? 6 : Integer.parseInt(args.get(2));
    File home = new File(System.getProperty("refinery.home", "."));
    String shared = System.getenv().getOrDefault("REFINERY_SHARED_DATA", new File(home, "../shared/data").getPath());
    File input = new File(shared, "tinyshakespeare/input.txt");
    String text = Files.readString(input.toPath(), StandardCharsets.UTF_8);
    CharTokenizer chars = CharTokenizer.train(List.of(text));
    int[] data = chars.encodeOrdinary(text);
    ModelConfig config = ModelConfig.gpt(chars.vocabSize(), CONTEXT, LAYERS, HEADS, WIDTH, 0f);
    double oursSeconds = 0;
    double peerSeconds = 0;
    double[] ratios = new double[rounds];
    long params;
    JsonNode peer;
    try (DecoderModel model = DecoderModel.create(config, Device.cpu(), 0);
        TorchPeer.Rounds torch = new TorchPeer.Rounds(home, "nanogpt_peer.py", input.getPath(), "" + LAYERS,
            "" + HEADS, "" + WIDTH, "" + CONTEXT, "" + BATCH, "" + warmup, "" + iters, "" + rounds)) {
      params = model.parameterCount();
      SplittableRandom rnd = new SplittableRandom(0);
      for (int i = 0; i < warmup; i++) {
        forwardBackward(model, data, rnd);
      }
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        for (int i = 0; i < iters; i++) {
          forwardBackward(model, data, rnd);
        }
        double ours = (System.nanoTime() - start) / 1e9;
        double theirs = torch.round().get("seconds").asDouble();
        oursSeconds += ours;
        peerSeconds += theirs;
        ratios[r] = theirs / ours;
      }
      peer = torch.summary();
    }
    double tokens = (double) iters * rounds * BATCH * CONTEXT;
    double ours = tokens / oursSeconds;
    double theirs = tokens / peerSeconds;
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("tokens_per_s", Math.round(ours));
    figures.put("pytorch_tokens_per_s", Math.round(theirs));
    figures.put("ratio_vs_pytorch", Math.round(Stats.median(ratios) * 1000) / 1000.0);
    figures.put("params", params);
    figures.put("pytorch_params", peer.get("params").asLong());
    figures.put("iters", iters * rounds);
    figures.put("rounds", rounds);
    List<String> table = List.of(
        String.format("config: %d layers, %d heads, width %d, context %d, batch %d, vocab %d, %d params",
            LAYERS, HEADS, WIDTH, CONTEXT, BATCH, chars.vocabSize(), params),
        String.format("refinery-models (DJL %s, PyTorch %s): %.0f tokens/s forward+backward",
            Engine.getDjlVersion(), Engine.getEngine("PyTorch").getVersion(), ours),
        String.format("PyTorch eager %s (%d threads):        %.0f tokens/s forward+backward",
            peer.get("torch").asText(), peer.get("threads").asInt(), theirs),
        String.format("ratio per round (%d iterations each, alternating): %s", iters,
            java.util.Arrays.stream(ratios).mapToObj(r -> String.format("%.3f", r)).toList()));
    return new BenchResult(table, figures);
  }

  private static void forwardBackward(DecoderModel model, int[] data, SplittableRandom rnd) {
    long[] x = new long[BATCH * CONTEXT];
    long[] y = new long[BATCH * CONTEXT];
    for (int b = 0; b < BATCH; b++) {
      int s = rnd.nextInt(data.length - CONTEXT - 1);
      for (int t = 0; t < CONTEXT; t++) {
        x[b * CONTEXT + t] = data[s + t];
        y[b * CONTEXT + t] = data[s + t + 1];
      }
    }
    try (NDManager step = model.manager().newSubManager()) {
      model.zeroGradients();
      NDArray in = step.create(x, new Shape(BATCH, CONTEXT));
      NDArray out = step.create(y, new Shape(BATCH, CONTEXT));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(DecoderModel.crossEntropy(model.forward(in, true), out, -1));
      }
    }
  }
}
