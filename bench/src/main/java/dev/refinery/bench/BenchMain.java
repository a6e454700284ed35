package dev.refinery.bench;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Entry point of {@code bench/run.sh NAME [args]}. */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] argv) throws Exception {
    Map<String, Benchmark> all = new TreeMap<>();
    ServiceLoader.load(Benchmark.class).forEach(b -> all.put(b.name(), b));
    if (argv.length == 0 || !all.containsKey(argv[0])) {
      System.out.println("usage: bench/run.sh NAME [args]\n\nbenchmarks:");
      all.values().forEach(b -> System.out.printf("  %-14s %s%n", b.name(), b.description()));
      System.exit(argv.length == 0 ? 0 : 2);
    }
    Benchmark b = all.get(argv[0]);
    BenchResult r = b.run(List.of(Arrays.copyOfRange(argv, 1, argv.length)));
    r.table().forEach(System.out::println);
    List<String> kv = new ArrayList<>();
    StringBuilder json = new StringBuilder("{\"name\": \"" + b.name() + "\"");
    for (Map.Entry<String, Object> e : r.figures().entrySet()) {
      String v = format(e.getValue());
      kv.add(e.getKey() + "=" + v);
      json.append(", \"").append(e.getKey()).append("\": ")
          .append(e.getValue() instanceof Number ? v : "\"" + v.replace("\"", "\\\"") + "\"");
    }
    json.append("}\n");
    File dir = new File(System.getProperty("refinery.home", "."), "bench/results");
    dir.mkdirs();
    Files.writeString(new File(dir, b.name() + ".json").toPath(), json, StandardCharsets.UTF_8);
    System.out.println("RESULT name=" + b.name() + " " + String.join(" ", kv));
    System.exit(0);
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
