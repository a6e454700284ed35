package dev.refinery.bench;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.quality.SignalPass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Documents per second per core of the full signal pass (every family, PII, block lists; one thread) against
 * datatrove's four filters (Gopher quality, Gopher repetition, C4, FineWeb; one Python process) on the same
 * 2,000+ documents in the same invocation. Ours: median of 3 timed passes after one warm-up pass.
 */
public final class QualityThroughputBenchmark implements Benchmark {
  @Override
  public String name() {
    return "quality-throughput";
  }

  @Override
  public String description() {
    return "docs/s/core of the full quality signal pass vs datatrove's four filters on the same documents";
  }

  @Override
  public List<String> smoke() {
    return List.of("--docs", "100");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("docs_per_s_per_core", "datatrove_docs_per_s_per_core", "ratio_vs_datatrove");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    QualityPeer peer = new QualityPeer();
    List<QualityPeer.Doc> docs = peer.documents(args.contains("--docs")
        ? Integer.parseInt(args.get(args.indexOf("--docs") + 1)) : Integer.MAX_VALUE);
    SignalPass.Measurer m = SignalPass.fromConfig(RefineryConfig.defaultsOnly(), path -> List.of()).measurer();
    long chars = docs.stream().mapToLong(d -> d.text().length()).sum();
    pass(m, docs);
    double[] seconds = new double[3];
    for (int i = 0; i < seconds.length; i++) {
      long t0 = System.nanoTime();
      pass(m, docs);
      seconds[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(seconds);
    double ours = docs.size() / seconds[1];
    QualityPeer.Verdicts theirs = peer.datatrove();
    double datatrove = theirs.byDoc().size() / theirs.seconds();
    List<String> table = new ArrayList<>();
    table.add(String.format("%d documents, %.1f MB of text", docs.size(), chars / 1e6));
    table.add(String.format("refinery signal pass (1 thread): %.2f s median of %s -> %.1f docs/s", seconds[1],
        Arrays.toString(seconds), ours));
    table.add(String.format("datatrove 4 filters (1 process): %.2f s -> %.1f docs/s", theirs.seconds(), datatrove));
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("docs_per_s_per_core", ours);
    figures.put("datatrove_docs_per_s_per_core", datatrove);
    figures.put("ratio_vs_datatrove", ours / datatrove);
    return new BenchResult(table, figures);
  }

  private static void pass(SignalPass.Measurer m, List<QualityPeer.Doc> docs) {
    for (QualityPeer.Doc d : docs) {
      m.measure(d.id(), null, "en", d.text(), null);
    }
  }
}
