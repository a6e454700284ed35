package dev.refinery.train.stream;

import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.shards.ShardFiles;
import dev.refinery.train.shards.ShardHeader;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One rank's stream of batches over the shards, in {@link ShardSchedule} order, starting at a saved
 * {@link StreamPosition}: a stream resumed at position p yields exactly the batches an uninterrupted stream
 * yields from p on. Shards are opened on first use and checked against the manifest (shape, and the payload
 * checksum when {@code verify} is set).
 */
public final class ShardBatches implements BatchStream<int[][]> {
  private final ShardSchedule schedule;
  private final int rank;
  private final Configuration hadoop;
  private final boolean verify;
  private final FSDataInputStream[] open;
  private final ShardHeader[] headers;
  private StreamPosition position;

  public ShardBatches(ShardSchedule schedule, int rank, StreamPosition start, Configuration hadoop, boolean verify) {
    if (schedule.stepsPerEpoch() == 0) {
      throw new IllegalArgumentException("the shards hold fewer sequences than one global batch");
    }
    this.schedule = schedule;
    this.rank = rank;
    this.hadoop = hadoop;
    this.verify = verify;
    this.open = new FSDataInputStream[schedule.shards().size()];
    this.headers = new ShardHeader[open.length];
    this.position = start;
  }

  @Override
  public StreamPosition position() {
    return position;
  }

  public long stepsPerEpoch() {
    return schedule.stepsPerEpoch();
  }

  /** The next batch: {@code batchPerRank} sequences of {@code sequenceLength} token ids. */
  @Override
  public int[][] next() throws IOException {
    ShardSchedule.SequenceRef[] refs = schedule.batch(position.epoch(), position.step(), rank);
    int[][] batch = new int[refs.length][];
    for (int i = 0; i < refs.length; i++) {
      batch[i] = read(refs[i].shard(), refs[i].sequence());
    }
    position = position.next(schedule.stepsPerEpoch());
    return batch;
  }

  private int[] read(int shard, long sequence) throws IOException {
    FSDataInputStream in = open(shard);
    return ShardFiles.sequence(in, headers[shard], sequence);
  }

  private FSDataInputStream open(int shard) throws IOException {
    if (open[shard] == null) {
      ShardEntry e = schedule.shards().get(shard);
      Path p = new Path(e.path());
      FileSystem fs = p.getFileSystem(hadoop);
      if (verify && !ShardFiles.checksum(fs, p).equals(e.checksum())) {
        throw new IOException("shard " + p + " does not match its manifest checksum " + e.checksum());
      }
      FSDataInputStream in = fs.open(p);
      ShardHeader h = ShardFiles.header(in, e.path());
      if (h.sequences() != e.sequences() || h.sequenceLength() != e.sequenceLength()) {
        in.close();
        throw new IOException("shard " + p + " holds " + h.sequences() + " sequences of " + h.sequenceLength()
            + " tokens; the manifest says " + e.sequences() + " of " + e.sequenceLength());
      }
      headers[shard] = h;
      open[shard] = in;
    }
    return open[shard];
  }

  @Override
  public void close() throws IOException {
    for (FSDataInputStream in : open) {
      if (in != null) {
        in.close();
      }
    }
  }
}
