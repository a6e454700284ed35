package dev.refinery.mixing.spec;

/** How the target tokens of each cell are set. */
public enum Method {
  /** Explicit shares of the budget per cell. */
  SHARES,
  /** Share proportional to available tokens^(1/temperature). */
  TEMPERATURE,
  /** Budget spread as evenly as possible, no cell beyond max-epochs (UniMax, Chung et al. 2023). */
  UNIMAX
}
