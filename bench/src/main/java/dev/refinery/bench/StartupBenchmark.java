package dev.refinery.bench;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Pipeline;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code startup}: wall-clock time from launching {@code bin/refinery <first stage>} on the demo corpus to
 * the process exiting with that stage's tables committed (JVM start, Spark start, the stage itself). The
 * first stage of the default pipeline is used; three runs into fresh warehouses, median reported.
 */
public final class StartupBenchmark implements Benchmark {
  @Override
  public String name() {
    return "startup";
  }

  @Override
  public String description() {
    return "seconds from `bin/refinery <first stage>` on the demo corpus to its output committed";
  }

  @Override
  public List<String> smoke() {
    return List.of("1");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    return List.of("stage", "seconds_to_first_output");
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    File home = new File(System.getProperty("refinery.home", "."));
    // The first stage in data-flow order (registration order is not data-flow order: dedup may come first).
    String stage = Pipeline.inRunOrder(Pipeline.discover().all(), RefineryConfig.defaultsOnly()).get(0).name();
    int runs = args.isEmpty() ? 3 : Integer.parseInt(args.get(0));
    List<String> table = new ArrayList<>();
    double[] seconds = new double[runs];
    for (int i = 0; i < runs; i++) {
      File wh = Files.createTempDirectory("refinery-startup").toFile();
      ProcessBuilder pb = new ProcessBuilder(new File(home, "bin/refinery").getPath(), stage, "--conf",
          new File(home, "conf/demo.conf").getPath(), "--set", "warehouse.root=\"" + wh + "\"")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      long t0 = System.nanoTime();
      int status = pb.start().waitFor();
      seconds[i] = (System.nanoTime() - t0) / 1e9;
      if (status != 0 || !new File(wh, "documents/_delta_log").isDirectory() && stage.equals("ingest")) {
        throw new IllegalStateException("bin/refinery " + stage + " failed with status " + status);
      }
      table.add(String.format("run %d: bin/refinery %s -> %.2f s", i + 1, stage, seconds[i]));
    }
    Arrays.sort(seconds);
    return new BenchResult(table, Map.of("stage", stage, "seconds_to_first_output", seconds[runs / 2]));
  }
}
