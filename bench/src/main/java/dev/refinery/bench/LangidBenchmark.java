package dev.refinery.bench;

import dev.refinery.ingest.langid.LanguageIdentifier;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Language identification accuracy per language on lingua's sentence test sets (../shared/data/langid/
 * sentences, file name = language code), the mean over all files, and sentences per second (one thread).
 * Published means on the same sentences: lingua high 96.0, lingua low 94.1, cld2 93.9, cld3 93.1 (each over
 * the languages it supports). Run with a bounded heap (bench/run.sh sets -Xmx; use REFINERY_BENCH_JAVA_OPTS
 * =-Xmx1g to check the 1 GB goal).
 */
public final class LangidBenchmark implements Benchmark {
  @Override
  public String name() {
    return "langid";
  }

  @Override
  public String description() {
    return "language ID accuracy per language on 79 sentence sets (lingua high 96.0, low 94.1, cld2 93.9)";
  }

  @Override
  public List<String> smoke() {
    return List.of("--sentences", "5");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("mean_accuracy", "sentences_per_s", "languages", "max_heap_mb", "model_mb", "model_load_s",
        "used_heap_mb");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    File dir = ExtractionBenchmark.sharedData("langid/sentences");
    File[] files = dir.listFiles((d, n) -> n.endsWith(".txt"));
    if (files == null || files.length == 0) {
      throw new IllegalStateException("no sentence files under " + dir);
    }
    Arrays.sort(files);
    int perLanguage = args.contains("--sentences")
        ? Integer.parseInt(args.get(args.indexOf("--sentences") + 1)) : Integer.MAX_VALUE;
    LanguageIdentifier langid = new LanguageIdentifier();
    langid.identify("warm up the models before timing");
    long loadStart = System.nanoTime();
    long modelBytes = LanguageIdentifier.loadAllModels();
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    System.gc();
    long usedMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
    List<String> table = new ArrayList<>();
    double sum = 0;
    long sentences = 0;
    long nanos = 0;
    for (File f : files) {
      String code = f.getName().substring(0, f.getName().length() - 4);
      List<String> lines = Files.readAllLines(f.toPath(), StandardCharsets.UTF_8);
      lines = lines.subList(0, Math.min(perLanguage, lines.size()));
      int right = 0;
      int total = 0;
      Map<String, Integer> confusions = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      for (String line : lines) {
        if (line.isBlank()) {
          continue;
        }
        total++;
        String got = langid.identify(line).code();
        if (got.equals(code)) {
          right++;
        } else {
          confusions.merge(got, 1, Integer::sum);
        }
      }
      nanos += System.nanoTime() - t0;
      sentences += total;
      double accuracy = total == 0 ? 0 : 100.0 * right / total;
      sum += accuracy;
      String worst = confusions.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(3)
          .map(e -> e.getKey() + ":" + e.getValue()).reduce((a, b) -> a + " " + b).orElse("");
      table.add(String.format("%-4s %6.2f  (%d sentences)  %s", code, accuracy, total, worst));
    }
    double mean = sum / files.length;
    double perSecond = sentences / (nanos / 1e9);
    long heapMb = Runtime.getRuntime().maxMemory() >> 20;
    table.add(String.format("mean over %d languages: %.2f   (%.0f sentences/s, 1 thread, max heap %d MB)", files.length,
        mean, perSecond, heapMb));
    table.add(String.format("n-gram models: %d MB, loaded in %.1f s; heap used after GC with all models loaded: %d MB",
        modelBytes >> 20, loadSeconds, usedMb));
    table.add("published (each over its supported languages): lingua high 96.04, lingua low 94.06, cld2 93.89, "
        + "cld3 93.13");
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("mean_accuracy", mean);
    figures.put("sentences_per_s", perSecond);
    figures.put("languages", files.length);
    figures.put("max_heap_mb", heapMb);
    figures.put("model_mb", modelBytes >> 20);
    figures.put("model_load_s", loadSeconds);
    figures.put("used_heap_mb", usedMb);
    return new BenchResult(table, figures);
  }
}
