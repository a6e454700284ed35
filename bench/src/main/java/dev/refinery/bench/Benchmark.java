package dev.refinery.bench;

import java.util.List;

/**
 * One benchmark, run by {@code bench/run.sh NAME [args]}. Registered in
 * {@code META-INF/services/dev.refinery.bench.Benchmark}. A comparison against a peer (a Python reference,
 * Spark MLlib, PyTorch) runs both on the same input in the same invocation and reports the ratio.
 */
public interface Benchmark {
  /** The NAME of {@code bench/run.sh NAME}. */
  String name();

  /** One line for the list {@code bench/run.sh} prints without a name. */
  String description();

  /** Runs and returns the measurements; {@code args} are whatever followed the name. */
  BenchResult run(List<String> args) throws Exception;
}
