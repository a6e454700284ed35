package dev.refinery.train.shards;

import java.io.IOException;

/**
 * Packs documents into one token stream (each followed by end-of-text) and cuts it into fixed-length
 * sequences, {@code sequencesPerShard} of them per shard. The tail that does not fill a whole sequence at the
 * end of the stream is dropped and counted.
 */
public final class SequencePacker {
  /** Receives each full shard: {@code count} tokens of {@code tokens}, and how many documents start in it. */
  public interface ShardSink {
    void accept(int[] tokens, int count, long documents) throws IOException;
  }

  private final int sequenceLength;
  private final int[] buffer;
  private final ShardSink sink;
  private int filled;
  private long documentsInShard;
  private long droppedTokens;

  public SequencePacker(int sequenceLength, int sequencesPerShard, ShardSink sink) {
    if (sequenceLength < 2 || sequencesPerShard < 1) {
      throw new IllegalArgumentException("sequence length must be >= 2 and shards must hold >= 1 sequence");
    }
    this.sequenceLength = sequenceLength;
    this.buffer = new int[Math.multiplyExact(sequenceLength, sequencesPerShard)];
    this.sink = sink;
  }

  public void addDocument(int[] ids, int eosId) throws IOException {
    documentsInShard++;
    for (int id : ids) {
      put(id);
    }
    put(eosId);
  }

  private void put(int id) throws IOException {
    buffer[filled++] = id;
    if (filled == buffer.length) {
      sink.accept(buffer, filled, documentsInShard);
      filled = 0;
      documentsInShard = 0;
    }
  }

  /** Writes the last shard (whole sequences only) and drops the partial sequence after it. */
  public void finish() throws IOException {
    int whole = filled - filled % sequenceLength;
    droppedTokens += filled - whole;
    if (whole > 0) {
      sink.accept(buffer, whole, documentsInShard);
    }
    filled = 0;
    documentsInShard = 0;
  }

  public long droppedTokens() {
    return droppedTokens;
  }
}
