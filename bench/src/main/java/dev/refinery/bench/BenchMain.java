package dev.refinery.bench;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** Entry point of {@code bench/run.sh NAME [args]} and of {@code bench/run.sh --smoke [NAME ...]}. */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] argv) throws Exception {
    Map<String, Benchmark> all = new TreeMap<>();
    ServiceLoader.load(Benchmark.class).forEach(b -> all.put(b.name(), b));
    if (argv.length > 0 && argv[0].equals("--smoke")) {
      System.exit(smoke(all, List.of(Arrays.copyOfRange(argv, 1, argv.length))));
    }
    if (argv.length == 0 || !all.containsKey(argv[0])) {
      System.out.println("usage: bench/run.sh NAME [args]  |  bench/run.sh --smoke [NAME ...]\n\nbenchmarks:");
      all.values().forEach(b -> System.out.printf("  %-14s %s%n", b.name(), b.description()));
      System.exit(argv.length == 0 ? 0 : 2);
    }
    Benchmark b = all.get(argv[0]);
    BenchResult r = b.run(List.of(Arrays.copyOfRange(argv, 1, argv.length)));
    r.table().forEach(System.out::println);
    StringBuilder json = new StringBuilder("{\"name\": \"" + b.name() + "\"");
    for (Map.Entry<String, Object> e : r.figures().entrySet()) {
      String v = format(e.getValue());
      json.append(", \"").append(e.getKey()).append("\": ")
          .append(e.getValue() instanceof Number ? v : "\"" + v.replace("\"", "\\\"") + "\"");
    }
    json.append("}\n");
    File dir = new File(System.getProperty("refinery.home", "."), "bench/results");
    dir.mkdirs();
    Files.writeString(new File(dir, b.name() + ".json").toPath(), json, StandardCharsets.UTF_8);
    System.out.println(resultLine(b.name(), r));
    System.exit(0);
  }

  /**
   * Runs each benchmark (all, or those named) at its smoke size, peers included, and checks that its RESULT
   * line has exactly the keys its full run prints; prints each one's seconds. Returns the exit status: 0 when
   * every one ran and printed its keys.
   */
  static int smoke(Map<String, Benchmark> all, List<String> names) {
    for (String n : names) {
      if (!all.containsKey(n)) {
        System.out.println("bench smoke: unknown benchmark '" + n + "'; known: " + all.keySet());
        return 2;
      }
    }
    List<String> failed = new ArrayList<>();
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (Benchmark b : all.values()) {
      if (!names.isEmpty() && !names.contains(b.name())) {
        continue;
      }
      System.out.println("=== smoke: " + b.name() + " " + String.join(" ", b.smoke()));
      long t0 = System.nanoTime();
      try {
        String line = resultLine(b.name(), b.run(b.smoke()));
        System.out.println(line);
        Set<String> expected = new LinkedHashSet<>(b.resultKeys(b.smoke()));
        Set<String> got = keys(line);
        if (!got.equals(expected)) {
          failed.add(b.name() + ": RESULT keys " + got + ", expected " + expected);
        }
      } catch (Exception | Error e) {
        e.printStackTrace(System.out);
        failed.add(b.name() + ": " + e);
      }
      seconds.put(b.name(), (System.nanoTime() - t0) / 1e9);
    }
    seconds.forEach((n, s) -> System.out.printf("smoke %-22s %6.1f s%n", n, s));
    System.out.printf("smoke: %d benchmarks in %.1f s; failed: %s%n", seconds.size(),
        seconds.values().stream().mapToDouble(Double::doubleValue).sum(), failed.isEmpty() ? "none" : "");
    failed.forEach(f -> System.out.println("  " + f));
    return failed.isEmpty() ? 0 : 1;
  }

  /** The keys of {@code RESULT name=NAME k=v ...} (values may hold spaces, keys do not). */
  static Set<String> keys(String resultLine) {
    Set<String> out = new LinkedHashSet<>();
    for (String token : resultLine.split(" ")) {
      int eq = token.indexOf('=');
      if (eq > 0 && !token.startsWith("name=")) {
        out.add(token.substring(0, eq));
      }
    }
    return out;
  }

  /** {@code RESULT name=NAME key=value ...}, the line a benchmark's output ends with. */
  static String resultLine(String name, BenchResult r) {
    List<String> kv = new ArrayList<>();
    r.figures().forEach((k, v) -> kv.add(k + "=" + format(v)));
    return "RESULT name=" + name + " " + String.join(" ", kv);
  }

  static String format(Object v) {
    if (v instanceof Double d) {
      return Math.abs(d) >= 100 ? String.format("%.1f", d) : String.format("%.4f", d);
    }
    if (v instanceof Float f) {
      return String.format("%.4f", f);
    }
    return String.valueOf(v);
  }
}
