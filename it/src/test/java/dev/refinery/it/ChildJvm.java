package dev.refinery.it;

import dev.refinery.testing.TestSpark;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code refinery ARGS} (dev.refinery.cli.Main) in a separate JVM on the test classpath, as bin/refinery
 * does, with its own heap limit and environment; stdout and stderr are captured to files.
 */
final class ChildJvm {
  /** Exit status, captured output, and wall time of one child run. */
  record Result(int exitCode, String stdout, String stderr, long millis) {
    String output() {
      return stdout + stderr;
    }
  }

  private ChildJvm() {}

  static Result refinery(Path workDir, String heap, long timeoutSeconds, Map<String, String> env, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx" + heap);
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // the module opens Spark needs on Java 17, as bin/refinery passes them
      // and the test JVM's JIT and collector choice (C1 only, serial: cheaper for short runs)
      if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty") || a.startsWith("-XX:TieredStopAtLevel") || a.equals("-XX:+UseSerialGC")) {
        cmd.add(a);
      }
    }
    cmd.add("-Drefinery.home=" + TestSpark.home().getAbsolutePath());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.refinery.cli.Main");
    cmd.addAll(args);
    Files.createDirectories(workDir);
    Path out = Files.createTempFile(workDir, "child", ".out");
    Path err = Files.createTempFile(workDir, "child", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("REFINERY_HOME", TestSpark.home().getAbsolutePath());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("refinery " + args + " did not finish in " + timeoutSeconds + " s; stderr tail: "
          + tail(Files.readString(err, StandardCharsets.UTF_8)));
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8), ms);
  }

  /** Settings that keep a child's local Spark small: two cores, two shuffle partitions, no UI. */
  static List<String> smallSpark() {
    return List.of("--set", "spark.master=local[2]",
        "--set", "spark.conf.\"spark.sql.shuffle.partitions\"=2",
        "--set", "spark.conf.\"spark.default.parallelism\"=2",
        "--set", "spark.conf.\"spark.ui.enabled\"=false");
  }

  static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }
}
