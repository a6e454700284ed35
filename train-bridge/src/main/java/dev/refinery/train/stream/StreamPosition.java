package dev.refinery.train.stream;

import java.io.Serializable;

/** Where a data stream stands: the next batch to read is step {@code step} of epoch {@code epoch}. */
public record StreamPosition(int epoch, long step) implements Serializable {
  public static final StreamPosition START = new StreamPosition(0, 0);

  /** The position after this one, rolling over to the next epoch after {@code stepsPerEpoch} steps. */
  public StreamPosition next(long stepsPerEpoch) {
    return step + 1 >= stepsPerEpoch ? new StreamPosition(epoch + 1, 0) : new StreamPosition(epoch, step + 1);
  }
}
