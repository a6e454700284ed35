package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.train.eval.LogLikelihoods;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code eval [smoke | layers width heads questions batch]}: multiple-choice log-likelihood requests per second on
 * the CPU, Refinery's {@link LogLikelihoods} (the scoring core of {@code refinery eval}) against lm-evaluation-harness's
 * HFLM on the same random Llama folder that transformers saved (default 6 layers, 384 wide, 6 heads, vocabulary
 * 2000) and the same 32 generated four-choice questions of about 150 tokens, both in batches of 16 sorted by length.
 * Each side loads its model before its clock starts; the clock covers encoding the requests and scoring them
 * (the harness's also its task set-up and metrics, which are small next to the forward passes).
 */
public final class EvalBenchmark implements Benchmark {
  @Override
  public String name() {
    return "eval";
  }

  @Override
  public String description() {
    return "multiple-choice log-likelihood requests/s on CPU: refinery eval's scorer vs lm-evaluation-harness (HFLM)";
  }

  @Override
  public List<String> smoke() {
    return List.of("smoke");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("requests_per_s", "peer_requests_per_s", "ratio");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    int[] p = {6, 384, 6, 32, 16}; // layers width heads questions batch
    if (args.size() == 1 && args.get(0).equals("smoke")) {
      p = new int[] {2, 64, 4, 8, 8};
    } else {
      for (int i = 0; i < args.size(); i++) {
        p[i] = Integer.parseInt(args.get(i));
      }
    }
    File home = new File(System.getProperty("refinery.home", "."));
    String python = PythonProcess.venvPython(new File(home, "models/src/test/python/setup_hf_venv.sh"));
    String peer = new File(home, "bench/python/models/eval_peer.py").getPath();
    Path dir = Files.createTempDirectory("refinery-eval-bench");
    PythonProcess.stdout(List.of(python, peer, "make", dir.toString(), String.valueOf(p[0]), String.valueOf(p[1]),
        String.valueOf(p[2]), String.valueOf(p[3])));

    ObjectMapper json = new ObjectMapper();
    List<String[]> requests = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("quiz.jsonl"))) {
      JsonNode q = json.readTree(line);
      for (JsonNode c : q.get("choices")) {
        requests.add(new String[] {q.get("query").asText(), " " + c.asText()});
      }
    }
    double oursSeconds;
    try (LogLikelihoods model = LogLikelihoods.open(dir.resolve("model").toString(), "", p[4], 0)) {
      long t0 = System.nanoTime();
      List<LogLikelihoods.Window> windows = new ArrayList<>();
      for (String[] r : requests) {
        windows.add(model.contextContinuation(r[0], r[1]));
      }
      model.score(windows);
      oursSeconds = (System.nanoTime() - t0) / 1e9;
    }
    String out = PythonProcess.stdout(List.of(python, peer, "run", dir.toString(), String.valueOf(p[4])));
    JsonNode theirs = json.readTree(out.substring(out.lastIndexOf('{')));
    double ours = requests.size() / oursSeconds;
    double peerRate = theirs.get("requests").asDouble() / theirs.get("seconds").asDouble();
    List<String> table = new ArrayList<>();
    table.add(String.format("model: %d layers, %d wide, %d heads; %d requests (%d questions x 4), batch %d",
        p[0], p[1], p[2], requests.size(), p[3], p[4]));
    table.add(String.format("refinery: %.2f requests/s (%.1f s)", ours, oursSeconds));
    table.add(String.format("lm-eval:  %.2f requests/s (%.1f s)", peerRate, theirs.get("seconds").asDouble()));
    return new BenchResult(table, ShardsBenchmark.figures("requests_per_s", Math.round(ours * 100) / 100.0,
        "peer_requests_per_s", Math.round(peerRate * 100) / 100.0, "ratio", Math.round(ours / peerRate * 1000) / 1000.0));
  }
}
