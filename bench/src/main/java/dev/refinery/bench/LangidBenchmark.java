package dev.refinery.bench;

import dev.refinery.ingest.html.MainContentExtractor;
import dev.refinery.ingest.langid.LanguageIdentifier;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Language identification accuracy per language on lingua's sentence test sets (../shared/data/langid/
 * sentences, file name = language code), the mean over all files and over each half of every file (even and
 * odd lines: a threshold that helps one half only is fitted to these sentences), sentences per second (one
 * thread), and documents per second on the extracted text of trafilatura's evaluation pages with ingest's
 * settings (10 letters, min score 0.25, the first 500 characters). {@code --compare} also runs the former
 * path (lingua's own low-accuracy pass, every text re-scored) on the same texts in the same JVM, each
 * text through both back to back, and reports the speed ratios and how many answers differ. {@code --sentences
 * N} and {@code --documents N} take the first N of each (the smoke run).
 * Published means on the same sentences: lingua high 96.0, lingua low 94.1, cld2 93.9, cld3 93.1 (each over
 * the languages it supports). Run with a bounded heap (bench/run.sh sets -Xmx; use REFINERY_BENCH_JAVA_OPTS
 * =-Xmx1g to check the 1 GB goal).
 */
public final class LangidBenchmark implements Benchmark {
  /** ingest's defaults (conf/refinery.conf ingest.langid). */
  private static final int DOC_MIN_LETTERS = 10;
  private static final double DOC_MIN_SCORE = 0.25;
  private static final int DOC_SAMPLE_CHARS = 500;

  @Override
  public String name() {
    return "langid";
  }

  @Override
  public String description() {
    return "language ID accuracy on 79 sentence sets (lingua high 96.0, low 94.1, cld2 93.9), sentences/s, docs/s"
        + " (--compare: against the former lingua first pass, same JVM)";
  }

  /**
   * Time and answers of one identifier over a list of texts: wall time, and the thread's CPU time (on a loaded
   * machine the wall rate understates what one core does; the CPU rate is closer to it).
   */
  private static final class Timed {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    long nanos;
    long cpuNanos;
    long texts;

    String[] run(LanguageIdentifier langid, List<String> lines) {
      String[] out = new String[lines.size()];
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int i = 0; i < out.length; i++) {
        out[i] = langid.identify(lines.get(i)).code();
      }
      nanos += System.nanoTime() - t0;
      cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
      texts += out.length;
      return out;
    }

    double perSecond() {
      return texts / (nanos / 1e9);
    }

    double perCpuSecond() {
      return texts / (cpuNanos / 1e9);
    }
  }

  @Override
  public List<String> smoke() {
    return List.of("--sentences", "5", "--documents", "20", "--compare");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    List<String> keys = new ArrayList<>(List.of("mean_accuracy", "mean_accuracy_even", "mean_accuracy_odd",
        "paragraph_accuracy_even", "paragraph_accuracy_odd", "sentences_per_s", "docs_per_s", "docs_per_cpu_s",
        "sentences_per_cpu_s"));
    if (args.contains("--compare")) {
      keys.addAll(List.of("former_mean_accuracy", "former_mean_accuracy_even", "former_mean_accuracy_odd",
          "former_paragraph_accuracy_even", "former_paragraph_accuracy_odd", "former_sentences_per_s",
          "former_docs_per_s", "sentences_speedup", "docs_speedup", "sentence_diffs", "doc_diffs"));
    }
    keys.addAll(List.of("languages", "documents", "max_heap_mb", "model_mb", "model_load_s", "used_heap_mb"));
    return keys;
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    boolean compare = args.contains("--compare");
    int perLanguage = intArg(args, "--sentences");
    int maxDocuments = intArg(args, "--documents");
    File dir = ExtractionBenchmark.sharedData("langid/sentences");
    File[] files = dir.listFiles((d, n) -> n.endsWith(".txt"));
    if (files == null || files.length == 0) {
      throw new IllegalStateException("no sentence files under " + dir);
    }
    Arrays.sort(files);
    LanguageIdentifier langid = new LanguageIdentifier();
    LanguageIdentifier former = compare ? LanguageIdentifier.withLinguaFirstPass(3, 0.0, 2000) : null;
    langid.identify("warm up the models before timing");
    long loadStart = System.nanoTime();
    long modelBytes = LanguageIdentifier.loadAllModels();
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    System.gc();
    long usedMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
    List<String> table = new ArrayList<>();
    double[] sum = new double[3]; // all, even lines, odd lines
    double[] paragraphSum = new double[3];
    double[] formerParagraphSum = new double[3];
    LanguageIdentifier paragraphLangid = new LanguageIdentifier(DOC_MIN_LETTERS, 0.0, DOC_SAMPLE_CHARS);
    LanguageIdentifier paragraphFormer = compare
        ? LanguageIdentifier.withLinguaFirstPass(DOC_MIN_LETTERS, 0.0, DOC_SAMPLE_CHARS) : null;
    Timed paragraphTimed = new Timed();
    double[] formerSum = new double[3];
    Timed timed = new Timed();
    Timed formerTimed = new Timed();
    long sentenceDiffs = 0;
    for (File f : files) {
      String code = f.getName().substring(0, f.getName().length() - 4);
      List<String> lines = Files.readAllLines(f.toPath(), StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank()).limit(perLanguage).toList();
      String[] got = timed.run(langid, lines);
      double[] accuracy = accuracy(got, code);
      for (int h = 0; h < 3; h++) {
        sum[h] += accuracy[h];
      }
      List<String> paragraphs = paragraphs(lines);
      double[] paragraphAccuracy = accuracy(paragraphTimed.run(paragraphLangid, paragraphs), code);
      for (int h = 0; h < 3; h++) {
        paragraphSum[h] += paragraphAccuracy[h];
      }
      if (paragraphFormer != null) {
        double[] was = accuracy(new Timed().run(paragraphFormer, paragraphs), code);
        for (int h = 0; h < 3; h++) {
          formerParagraphSum[h] += was[h];
        }
      }
      String formerNote = "";
      if (former != null) {
        String[] was = formerTimed.run(former, lines);
        double[] formerAccuracy = accuracy(was, code);
        for (int h = 0; h < 3; h++) {
          formerSum[h] += formerAccuracy[h];
        }
        int diffs = differences(got, was);
        sentenceDiffs += diffs;
        formerNote = String.format("  former %6.2f, %d answers differ", formerAccuracy[0], diffs);
      }
      Map<String, Integer> confusions = new LinkedHashMap<>();
      for (String g : got) {
        if (!g.equals(code)) {
          confusions.merge(g, 1, Integer::sum);
        }
      }
      String worst = confusions.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(3)
          .map(e -> e.getKey() + ":" + e.getValue()).reduce((a, b) -> a + " " + b).orElse("");
      table.add(String.format("%-4s %6.2f  (%d sentences)  %s%s", code, accuracy[0], lines.size(), worst, formerNote));
    }
    double[] mean = Arrays.stream(sum).map(s -> s / files.length).toArray();
    double[] paragraphMean = Arrays.stream(paragraphSum).map(s -> s / files.length).toArray();
    long heapMb = Runtime.getRuntime().maxMemory() >> 20;
    table.add(String.format("mean over %d languages: %.2f (even lines %.2f, odd lines %.2f)   (%.0f sentences/s, 1 thread,"
        + " max heap %d MB)", files.length, mean[0], mean[1], mean[2], timed.perSecond(), heapMb));
    table.add(String.format("paragraphs of %d+ characters (consecutive sentences of one half): mean %.2f (even %.2f, "
        + "odd %.2f)", DOC_SAMPLE_CHARS, paragraphMean[0], paragraphMean[1], paragraphMean[2]));
    table.add(String.format("n-gram models: %d MB, loaded in %.1f s; heap used after GC with all models loaded: %d MB",
        modelBytes >> 20, loadSeconds, usedMb));
    table.add("published (each over its supported languages): lingua high 96.04, lingua low 94.06, cld2 93.89, "
        + "cld3 93.13");

    List<String> docs = documents(maxDocuments);
    LanguageIdentifier docLangid = new LanguageIdentifier(DOC_MIN_LETTERS, DOC_MIN_SCORE, DOC_SAMPLE_CHARS);
    LanguageIdentifier docFormer = compare
        ? LanguageIdentifier.withLinguaFirstPass(DOC_MIN_LETTERS, DOC_MIN_SCORE, DOC_SAMPLE_CHARS) : null;
    // warm-up until the JIT has settled and the models that close calls need are loaded (990 documents take about
    // 0.2 s: after one warm-up round the clock caught both, 4,636 documents/s against 6,876 in the steady state an
    // ingest task runs at, same code, quiet machine)
    Timed warm = new Timed();
    while (warm.nanos < 3_000_000_000L) {
      warm.run(docLangid, docs);
      if (docFormer != null) {
        warm.run(docFormer, docs);
      }
    }
    Timed docTimed = new Timed();
    Timed docFormerTimed = new Timed();
    String[] docGot = null;
    String[] docWas = null;
    for (int round = 0; round < 10; round++) {
      docGot = docTimed.run(docLangid, docs);
      if (docFormer != null) {
        docWas = docFormerTimed.run(docFormer, docs);
      }
    }
    Map<String, Integer> docLanguages = new LinkedHashMap<>();
    for (String g : docGot) {
      docLanguages.merge(g, 1, Integer::sum);
    }
    table.add(String.format("documents: %d extracted pages, first %d characters: %.0f documents/s, 1 thread (%.0f per CPU "
        + "second); languages %s", docs.size(), DOC_SAMPLE_CHARS, docTimed.perSecond(), docTimed.perCpuSecond(),
        docLanguages));

    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("mean_accuracy", mean[0]);
    figures.put("mean_accuracy_even", mean[1]);
    figures.put("mean_accuracy_odd", mean[2]);
    figures.put("paragraph_accuracy_even", paragraphMean[1]);
    figures.put("paragraph_accuracy_odd", paragraphMean[2]);
    figures.put("sentences_per_s", timed.perSecond());
    figures.put("docs_per_s", docTimed.perSecond());
    figures.put("docs_per_cpu_s", docTimed.perCpuSecond());
    figures.put("sentences_per_cpu_s", timed.perCpuSecond());
    if (former != null) {
      double[] formerMean = Arrays.stream(formerSum).map(s -> s / files.length).toArray();
      int docDiffs = differences(docGot, docWas);
      table.add(String.format("former path (lingua's low-accuracy pass, all re-scored), same texts, same JVM: mean %.2f "
          + "(even %.2f, odd %.2f), %.0f sentences/s, %.0f documents/s; answers differing: %d sentences, %d documents",
          formerMean[0], formerMean[1], formerMean[2], formerTimed.perSecond(), docFormerTimed.perSecond(),
          sentenceDiffs, docDiffs));
      figures.put("former_mean_accuracy", formerMean[0]);
      figures.put("former_mean_accuracy_even", formerMean[1]);
      figures.put("former_mean_accuracy_odd", formerMean[2]);
      figures.put("former_paragraph_accuracy_even", formerParagraphSum[1] / files.length);
      figures.put("former_paragraph_accuracy_odd", formerParagraphSum[2] / files.length);
      figures.put("former_sentences_per_s", formerTimed.perSecond());
      figures.put("former_docs_per_s", docFormerTimed.perSecond());
      figures.put("sentences_speedup", timed.perSecond() / formerTimed.perSecond());
      figures.put("docs_speedup", docTimed.perSecond() / docFormerTimed.perSecond());
      figures.put("sentence_diffs", sentenceDiffs);
      figures.put("doc_diffs", docDiffs);
    }
    figures.put("languages", files.length);
    figures.put("documents", docs.size());
    figures.put("max_heap_mb", heapMb);
    figures.put("model_mb", modelBytes >> 20);
    figures.put("model_load_s", loadSeconds);
    figures.put("used_heap_mb", usedMb);
    return new BenchResult(table, figures);
  }

  /** The number after {@code flag}, or no limit. */
  private static int intArg(List<String> args, String flag) {
    int at = args.indexOf(flag);
    return at < 0 ? Integer.MAX_VALUE : Integer.parseInt(args.get(at + 1));
  }

  /** Percent right over all lines, the even lines and the odd lines. */
  private static double[] accuracy(String[] got, String code) {
    int[] right = new int[3];
    int[] total = new int[3];
    for (int i = 0; i < got.length; i++) {
      int half = 1 + (i & 1);
      total[0]++;
      total[half]++;
      if (got[i].equals(code)) {
        right[0]++;
        right[half]++;
      }
    }
    double[] out = new double[3];
    for (int h = 0; h < 3; h++) {
      out[h] = total[h] == 0 ? 0 : 100.0 * right[h] / total[h];
    }
    return out;
  }

  /**
   * Document-length texts of one language: consecutive sentences of one half (even or odd lines) joined until
   * they reach {@link #DOC_SAMPLE_CHARS}; paragraph i comes from half i % 2, so the halves stay apart.
   */
  private static List<String> paragraphs(List<String> lines) {
    List<String> out = new ArrayList<>();
    StringBuilder[] open = {new StringBuilder(), new StringBuilder()};
    for (int i = 0; i < lines.size(); i++) {
      StringBuilder b = open[i & 1];
      b.append(b.length() == 0 ? "" : " ").append(lines.get(i).strip());
      if (b.length() >= DOC_SAMPLE_CHARS && (out.size() & 1) == (i & 1)) {
        out.add(b.toString());
        b.setLength(0);
      }
    }
    return out;
  }

  private static int differences(String[] a, String[] b) {
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      n += a[i].equals(b[i]) ? 0 : 1;
    }
    return n;
  }

  /** Main-content text of the extraction benchmark's pages (real pages, mostly English and German). */
  private static List<String> documents(int max) throws Exception {
    MainContentExtractor extractor = new MainContentExtractor();
    List<String> texts = new ArrayList<>();
    for (ExtractionBenchmark.Page p : ExtractionBenchmark.load(ExtractionBenchmark.sharedData(
        "extraction-trafilatura-eval"))) {
      if (texts.size() == max) {
        break;
      }
      String text = ExtractionBenchmark.extract(extractor, p);
      if (text != null && !text.isBlank()) {
        texts.add(text);
      }
    }
    if (texts.isEmpty()) {
      throw new IllegalStateException("no extracted page text under ../shared/data/extraction-trafilatura-eval");
    }
    return texts;
  }
}
