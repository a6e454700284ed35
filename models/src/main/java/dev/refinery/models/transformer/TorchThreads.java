package dev.refinery.models.transformer;

/**
 * PyTorch's thread counts in this JVM. DJL reads them once, when the engine loads, from system properties: with
 * several trainers or scorers on one machine, each left at all cores, oversubscribed OpenMP threads spin against
 * each other and throughput collapses.
 */
public final class TorchThreads {
  private static final String THREADS = "ai.djl.pytorch.num_threads";
  private static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

  private TorchThreads() {}

  /**
   * With {@code threads} > 0, caps PyTorch's intra-op threads at {@code threads} and its inter-op threads at one,
   * unless the JVM was started with a cap of its own; effective only before the engine loads.
   */
  public static void cap(int threads) {
    if (threads > 0 && System.getProperty(THREADS) == null) {
      System.setProperty(THREADS, Integer.toString(threads));
      System.setProperty(INTEROP_THREADS, "1");
    }
  }
}
