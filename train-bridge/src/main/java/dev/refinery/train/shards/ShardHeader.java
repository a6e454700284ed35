package dev.refinery.train.shards;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fixed 32-byte header of a token shard, little-endian: magic {@code RFTOKENS}, format version, token
 * width in bytes (2 = uint16 when the vocabulary fits, 4 = uint32), tokens per sequence, reserved, token
 * count. The payload follows: {@code tokens} unsigned integers of that width, sequence after sequence.
 */
public record ShardHeader(int version, int tokenBytes, int sequenceLength, long tokens) {
  public static final int SIZE = 32;
  public static final int VERSION = 1;
  private static final byte[] MAGIC = "RFTOKENS".getBytes(StandardCharsets.US_ASCII);

  public ShardHeader {
    if (tokenBytes != 2 && tokenBytes != 4) {
      throw new IllegalArgumentException("token width must be 2 or 4 bytes, got " + tokenBytes);
    }
    if (sequenceLength <= 1 || tokens < 0 || tokens % sequenceLength != 0) {
      throw new IllegalArgumentException("bad shard shape: " + tokens + " tokens of sequences of " + sequenceLength);
    }
  }

  /** uint16 when every id fits, otherwise uint32. */
  public static int tokenBytesFor(int vocabSize) {
    return vocabSize <= 65536 ? 2 : 4;
  }

  public long sequences() {
    return tokens / sequenceLength;
  }

  public String dtype() {
    return tokenBytes == 2 ? "uint16" : "uint32";
  }

  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(version).putInt(tokenBytes).putInt(sequenceLength).putInt(0).putLong(tokens);
    return b.array();
  }

  public static ShardHeader decode(byte[] bytes, String where) throws IOException {
    if (bytes.length < SIZE || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IOException(where + " is not a Refinery token shard (bad magic)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.position(MAGIC.length);
    int version = b.getInt();
    if (version != VERSION) {
      throw new IOException(where + " has shard format version " + version + "; this reader knows " + VERSION);
    }
    int width = b.getInt();
    int seqLen = b.getInt();
    b.getInt();
    long tokens = b.getLong();
    try {
      return new ShardHeader(version, width, seqLen, tokens);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": " + e.getMessage());
    }
  }
}
