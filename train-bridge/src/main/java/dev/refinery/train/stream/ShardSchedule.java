package dev.refinery.train.stream;

import dev.refinery.train.shards.ShardEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The deterministic order in which sequences are read in an epoch: the blocks of consecutive sequences of
 * all shards in one seeded random order (blocks keep reads sequential). The shuffle is global, not shard by
 * shard: a shard holds a few contiguous documents' worth of text, and reading the shards one after another
 * would train on one region of the corpus at a time (and end training on the last shard's). Every rank
 * takes its own slice of each global batch, and an epoch has the same whole number of steps on every rank
 * (the remainder that would leave some rank short is skipped), so no rank runs dry and blocks the others.
 * Everything is a pure function of (seed, epoch, step, rank): resuming needs only the position.
 */
public final class ShardSchedule {
  private final List<ShardEntry> shards;
  private final long seed;
  private final int blockSequences;
  private final int worldSize;
  private final int batchPerRank;
  private final long totalSequences;
  private int cachedEpoch = -1;
  private int[] blockShard;
  private long[] blockStart;
  private long[] blockEnds; // cumulative sequence count after each block

  public ShardSchedule(List<ShardEntry> shards, long seed, int blockSequences, int worldSize, int batchPerRank) {
    if (blockSequences < 1 || worldSize < 1 || batchPerRank < 1) {
      throw new IllegalArgumentException("block size, world size and batch size must be positive");
    }
    this.shards = List.copyOf(shards);
    this.seed = seed;
    this.blockSequences = blockSequences;
    this.worldSize = worldSize;
    this.batchPerRank = batchPerRank;
    this.totalSequences = shards.stream().mapToLong(ShardEntry::sequences).sum();
  }

  public long stepsPerEpoch() {
    return totalSequences / ((long) worldSize * batchPerRank);
  }

  public List<ShardEntry> shards() {
    return shards;
  }

  /** The (shard index, sequence index) pairs rank {@code rank} reads at this step: {@code batchPerRank} of them. */
  public SequenceRef[] batch(int epoch, long step, int rank) {
    if (step < 0 || step >= stepsPerEpoch() || rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException("step " + step + " rank " + rank + " outside the epoch of "
          + stepsPerEpoch() + " steps and " + worldSize + " ranks");
    }
    layout(epoch);
    SequenceRef[] out = new SequenceRef[batchPerRank];
    long first = (step * worldSize + rank) * batchPerRank;
    for (int i = 0; i < batchPerRank; i++) {
      long pos = first + i;
      int block = Arrays.binarySearch(blockEnds, pos + 1);
      if (block < 0) {
        block = -block - 1;
      }
      long before = block == 0 ? 0 : blockEnds[block - 1];
      out[i] = new SequenceRef(blockShard[block], blockStart[block] + (pos - before));
    }
    return out;
  }

  private void layout(int epoch) {
    if (epoch == cachedEpoch) {
      return;
    }
    List<long[]> blocks = new ArrayList<>();
    for (int shard = 0; shard < shards.size(); shard++) {
      long n = shards.get(shard).sequences();
      for (long start = 0; start < n; start += blockSequences) {
        blocks.add(new long[] {shard, start, Math.min(blockSequences, n - start)});
      }
    }
    int[] order = permutation(blocks.size(), new Random(mix(seed, epoch, 0)));
    blockShard = new int[blocks.size()];
    blockStart = new long[blocks.size()];
    blockEnds = new long[blocks.size()];
    long end = 0;
    for (int i = 0; i < order.length; i++) {
      long[] block = blocks.get(order[i]);
      blockShard[i] = (int) block[0];
      blockStart[i] = block[1];
      end += block[2];
      blockEnds[i] = end;
    }
    cachedEpoch = epoch;
  }

  /** Fisher-Yates with java.util.Random, whose sequence is fixed by its specification on every JVM. */
  static int[] permutation(int n, Random random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A seed for the shuffle of {@code stream} (0: the shards' blocks; ExampleBatches uses its own) in an epoch. */
  static long mix(long seed, int epoch, int stream) {
    long h = seed * 0x9E3779B97F4A7C15L + epoch;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + stream;
    return h ^ (h >>> 29);
  }

  /** One sequence: which shard, which sequence in it. */
  public record SequenceRef(int shard, long sequence) {}
}
