package dev.refinery.train.shards;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes and opens token shards on any Hadoop file system. A shard is written under a temporary name and
 * renamed into place, so a killed or speculative task attempt never leaves a half-written shard behind.
 */
public final class ShardFiles {
  private ShardFiles() {}

  /**
   * Writes {@code count} tokens of {@code tokens} as one shard at {@code path} (replacing it); returns the
   * CRC32C of the payload as 8 hex digits.
   */
  public static String write(FileSystem fs, Path path, String attempt, ShardHeader header, int[] tokens, int count)
      throws IOException {
    CRC32C crc = new CRC32C();
    writeAtomically(fs, path, attempt, out -> {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      out.write(header.encode());
      for (int i = 0; i < count; i++) {
        if (buf.remaining() < 4) {
          flush(buf, out, crc);
        }
        if (header.tokenBytes() == 2) {
          buf.putShort((short) tokens[i]);
        } else {
          buf.putInt(tokens[i]);
        }
      }
      flush(buf, out, crc);
    });
    return String.format("%08x", crc.getValue());
  }

  /** What {@link #writeAtomically} writes into the temporary file. */
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code content} to {@code path} (replacing it) through a temporary name of this task attempt and a
   * rename, so no reader ever sees a half-written file.
   */
  static void writeAtomically(FileSystem fs, Path path, String attempt, Content content) throws IOException {
    Path tmp = new Path(path.getParent(), "." + path.getName() + "." + attempt + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      content.writeTo(out);
    }
    if (fs.exists(path)) {
      fs.delete(path, false);
    }
    if (!fs.rename(tmp, path)) {
      throw new IOException("cannot rename " + tmp + " to " + path);
    }
  }

  private static void flush(ByteBuffer buf, OutputStream out, CRC32C crc) throws IOException {
    buf.flip();
    crc.update(buf.array(), 0, buf.limit());
    out.write(buf.array(), 0, buf.limit());
    buf.clear();
  }

  /** Reads the header of a shard. */
  public static ShardHeader header(FSDataInputStream in, String where) throws IOException {
    byte[] h = new byte[ShardHeader.SIZE];
    in.readFully(0, h);
    return ShardHeader.decode(h, where);
  }

  /**
   * Sequence {@code index} of a shard whose header is {@code h}: its token ids. Moves the stream's position (a
   * seek and a read, not a positional read: Hadoop's checksummed local file system opens the file and its
   * checksum file anew for every positional read, about 0.1 ms each, which made reading a batch of 12 short
   * sequences cost a millisecond of every training step).
   */
  public static int[] sequence(FSDataInputStream in, ShardHeader h, long index) throws IOException {
    int n = h.sequenceLength();
    byte[] bytes = new byte[n * h.tokenBytes()];
    in.seek(ShardHeader.SIZE + index * bytes.length);
    in.readFully(bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = h.tokenBytes() == 2 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
    }
    return ids;
  }

  /** Every sequence of a shard, in order. */
  public static List<int[]> sequences(FSDataInputStream in, String where) throws IOException {
    ShardHeader h = header(in, where);
    List<int[]> out = new ArrayList<>();
    for (long i = 0; i < h.sequences(); i++) {
      out.add(sequence(in, h, i));
    }
    return out;
  }

  /** CRC32C of a shard's payload, as {@link #write} computed it (to verify a shard against the manifest). */
  public static String checksum(FileSystem fs, Path path) throws IOException {
    CRC32C crc = new CRC32C();
    try (FSDataInputStream in = fs.open(path)) {
      in.seek(ShardHeader.SIZE);
      byte[] b = new byte[1 << 16];
      int n;
      while ((n = in.read(b)) > 0) {
        crc.update(b, 0, n);
      }
    }
    return String.format("%08x", crc.getValue());
  }
}
