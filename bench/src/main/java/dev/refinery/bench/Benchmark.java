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

  /**
   * The arguments of its smoke run: the same code paths, peers included, on input small enough that the test
   * command runs it in seconds ({@code bench/run.sh --smoke}, tests/bench-smoke.sh), so a benchmark cannot rot
   * unnoticed.
   */
  List<String> smoke();

  /** The keys of the RESULT line a run with {@code args} prints, peers' keys included, in order. */
  List<String> resultKeys(List<String> args);
}
