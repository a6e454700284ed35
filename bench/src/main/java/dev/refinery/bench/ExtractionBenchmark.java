package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.ingest.html.HtmlDecoder;
import dev.refinery.ingest.html.MainContentExtractor;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Main-content extraction quality on trafilatura's evaluation set (990 pages with "with" snippets that
 * must appear and "without" snippets that must not), scored exactly as trafilatura's tests/eval_common.py:
 * whitespace-normalised substring matching, counts pooled over the corpus; a crash is a full miss.
 * Published peer: trafilatura 2.2.0 F1 0.924.
 */
public final class ExtractionBenchmark implements Benchmark {
  @Override
  public String name() {
    return "extraction";
  }

  @Override
  public String description() {
    return "main-content extraction P/R/F1 on trafilatura's 990-page eval set (trafilatura 2.2.0: F1 0.924)";
  }

  record Page(String url, byte[] html, List<String> with, List<String> without) {}

  @Override
  public List<String> smoke() {
    return List.of("--pages", "50");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("f1", "precision", "recall", "pages_per_s", "f1_even", "f1_odd");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    File dir = sharedData("extraction-trafilatura-eval");
    List<Page> loaded = load(dir);
    int limit = args.contains("--pages") ? Integer.parseInt(args.get(args.indexOf("--pages") + 1)) : loaded.size();
    List<Page> pages = loaded.subList(0, Math.min(limit, loaded.size()));
    MainContentExtractor extractor = new MainContentExtractor();
    String[] outputs = new String[pages.size()];
    // one warm-up pass so the timing measures steady-state extraction, not class loading and JIT
    for (int i = 0; i < Math.min(100, pages.size()); i++) {
      extract(extractor, pages.get(i));
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < pages.size(); i++) {
      outputs[i] = extract(extractor, pages.get(i));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long tp = 0;
    long fp = 0;
    long fn = 0;
    long tn = 0;
    // counts per half (even/odd page index): a rule that helps only one half is likely overfit
    long[][] half = new long[2][3];
    List<String> table = new ArrayList<>();
    boolean verbose = args.contains("--verbose");
    for (int i = 0; i < pages.size(); i++) {
      Page p = pages.get(i);
      String out = outputs[i] == null ? null : norm(outputs[i]);
      int ptp = 0;
      int pfp = 0;
      for (String w : p.with()) {
        if (out != null && out.contains(norm(w))) {
          ptp++;
        } else if (verbose) {
          table.add("MISS " + p.url() + " :: " + w);
        }
      }
      for (String w : p.without()) {
        if (out != null && out.contains(norm(w))) {
          pfp++;
          if (verbose) {
            table.add("LEAK " + p.url() + " :: " + w);
          }
        }
      }
      tp += ptp;
      fp += pfp;
      fn += p.with().size() - ptp;
      tn += p.without().size() - pfp;
      half[i % 2][0] += ptp;
      half[i % 2][1] += pfp;
      half[i % 2][2] += p.with().size() - ptp;
    }
    double f1Even = f1(half[0]);
    double f1Odd = f1(half[1]);
    double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    double f1 = 2.0 * tp / (2.0 * tp + fp + fn);
    double accuracy = (double) (tp + tn) / (tp + tn + fp + fn);
    table.add(String.format("pages %d  tp %d  fp %d  fn %d  tn %d", pages.size(), tp, fp, fn, tn));
    table.add(String.format("refinery     P %.3f  R %.3f  Acc %.3f  F1 %.3f  (%.1f pages/s, 1 thread)",
        precision, recall, accuracy, f1, pages.size() / seconds));
    table.add(String.format("halves       F1 even %.4f  F1 odd %.4f", f1Even, f1Odd));
    table.add("trafilatura 2.2.0 (published)  P 0.906  R 0.943  Acc 0.923  F1 0.924");
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("f1", f1);
    figures.put("precision", precision);
    figures.put("recall", recall);
    figures.put("pages_per_s", pages.size() / seconds);
    figures.put("f1_even", f1Even);
    figures.put("f1_odd", f1Odd);
    return new BenchResult(table, figures);
  }

  /** F1 from {tp, fp, fn}. */
  private static double f1(long[] c) {
    return 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
  }

  static String extract(MainContentExtractor extractor, Page p) {
    try {
      String html = HtmlDecoder.decode(p.html(), null).text();
      return extractor.extract(html, p.url()).text();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** trafilatura's norm(): every whitespace run to one space, stripped. */
  static String norm(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  static List<Page> load(File dir) throws Exception {
    JsonNode root = new ObjectMapper().readTree(new File(dir, "evaldata.json"));
    List<Page> pages = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String file = e.getValue().get("file").asText();
      File f = new File(dir, "cache/" + file + ".gz");
      if (!f.isFile()) {
        f = new File(dir, "eval/" + file + ".gz");
      }
      byte[] html = null;
      if (f.isFile()) {
        try (InputStream in = new GZIPInputStream(new FileInputStream(f))) {
          html = in.readAllBytes();
        }
      }
      pages.add(new Page(e.getKey(), html == null ? new byte[0] : html, strings(e.getValue().get("with")),
          strings(e.getValue().get("without"))));
    }
    return pages;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static File sharedData(String relative) {
    String d = System.getenv("REFINERY_SHARED_DATA");
    File base = d != null ? new File(d) : new File(System.getProperty("refinery.home", "."), "../shared/data");
    return new File(base, relative);
  }
}
