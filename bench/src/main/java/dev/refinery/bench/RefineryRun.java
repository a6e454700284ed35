package dev.refinery.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code refinery run} as the end-to-end benchmarks start it (bin/refinery locally, or spark-submit to a
 * cluster) and the per-stage seconds and rows they read from its log lines.
 */
final class RefineryRun {
  /** The line a run prints when a stage has committed. */
  private static final Pattern STAGE_DONE = Pattern.compile("stage (\\w+) done in ([0-9.]+) s: (\\d+) in, (\\d+) out");

  private RefineryRun() {}

  /** {@code bin/refinery run} of {@code stages} on {@code input} into {@code warehouse}, output merged. */
  static ProcessBuilder local(File home, List<String> stages, Path warehouse, Path input) {
    return new ProcessBuilder(new File(home, "bin/refinery").getPath(), "run",
        "--set", stagesSetting(stages),
        "--set", "warehouse.root=\"" + warehouse + "\"",
        "--set", "ingest.inputs=[\"" + input + "\"]",
        "--set", "spark.log-level=ERROR")
        .redirectErrorStream(true);
  }

  /** {@code pipeline.stages=[a,b]}. */
  static String stagesSetting(List<String> stages) {
    return "pipeline.stages=[" + String.join(",", stages) + "]";
  }

  /**
   * Echoes the process's output to stderr, records each stage's seconds and rows out as it commits, and waits;
   * a non-zero exit is an error naming {@code what}.
   */
  static void follow(Process p, String what, Map<String, Double> seconds, Map<String, Long> out)
      throws IOException, InterruptedException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        System.err.println(line);
        Matcher m = STAGE_DONE.matcher(line);
        if (m.find()) {
          seconds.put(m.group(1), Double.parseDouble(m.group(2)));
          out.put(m.group(1), Long.parseLong(m.group(4)));
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IOException(what + " failed with status " + p.exitValue());
    }
  }
}
