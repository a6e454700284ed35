package dev.refinery.train.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Batches over examples held in memory (packed chat rows, preference pairs): each epoch visits them in a
 * seeded random order, every rank takes its own slice of each global batch, and every rank gets the same
 * whole number of steps per epoch (the remainder is skipped, as in {@link ShardSchedule}). A pure function of
 * (seed, epoch, step, rank), so a resumed stream continues exactly.
 */
public final class ExampleBatches<T> implements BatchStream<List<T>> {
  private final List<T> examples;
  private final long seed;
  private final int worldSize;
  private final int rank;
  private final int batchPerRank;
  private final long stepsPerEpoch;
  private StreamPosition position;
  private int orderEpoch = -1;
  private int[] order;

  public ExampleBatches(List<T> examples, long seed, int worldSize, int rank, int batchPerRank, StreamPosition start) {
    this.stepsPerEpoch = examples.size() / ((long) worldSize * batchPerRank);
    if (stepsPerEpoch == 0) {
      throw new IllegalArgumentException(examples.size() + " examples are fewer than one global batch of "
          + worldSize + " x " + batchPerRank);
    }
    this.examples = examples;
    this.seed = seed;
    this.worldSize = worldSize;
    this.rank = rank;
    this.batchPerRank = batchPerRank;
    this.position = start;
  }

  public long stepsPerEpoch() {
    return stepsPerEpoch;
  }

  @Override
  public StreamPosition position() {
    return position;
  }

  @Override
  public List<T> next() {
    if (position.epoch() != orderEpoch) {
      order = ShardSchedule.permutation(examples.size(), new Random(ShardSchedule.mix(seed, position.epoch(), -2)));
      orderEpoch = position.epoch();
    }
    long first = (position.step() * worldSize + rank) * batchPerRank;
    List<T> batch = new ArrayList<>(batchPerRank);
    for (int i = 0; i < batchPerRank; i++) {
      batch.add(examples.get(order[(int) (first + i)]));
    }
    position = position.next(stepsPerEpoch);
    return batch;
  }
}
