package dev.refinery.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.core.RefineryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format, read and written tensor by tensor through a {@link FileChannel} with a small
 * buffer: no file is ever held whole in memory and offsets are longs, so files past 2 GiB work (DJL's NDList
 * decoder reads a whole file into one byte[] with int offsets). F32, F16 and BF16 tensors read as float32
 * (DJL's PyTorch engine has no bf16); tensors are written as F32.
 */
public final class SafeTensors implements AutoCloseable {
  /** One tensor's entry in the header. */
  public record Entry(String dtype, long[] shape, long begin, long end) {
    public Shape djlShape() {
      return new Shape(shape);
    }
  }

  private static final int CHUNK = 1 << 20;
  private static final long MAX_HEADER = 100L << 20;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensors(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
      Map<String, String> metadata) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Opens a file and reads its header; the tensors are read on demand. */
  public static SafeTensors open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = ch.size();
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long headerLength = len.flip().getLong();
      if (size < 8 || headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
        throw new RefineryException(file + ": not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(ch, header, 8);
      JsonObject json = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8)).getAsJsonObject();
      Map<String, Entry> entries = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      long dataLength = size - 8 - headerLength;
      for (Map.Entry<String, JsonElement> e : json.entrySet()) {
        JsonObject t = e.getValue().getAsJsonObject();
        if (e.getKey().equals("__metadata__")) {
          t.entrySet().forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
          continue;
        }
        long[] shape = t.getAsJsonArray("shape").asList().stream().mapToLong(JsonElement::getAsLong).toArray();
        long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
        long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
        if (begin < 0 || end < begin || end > dataLength) {
          throw new RefineryException(file + ": tensor " + e.getKey() + " lies outside the file (truncated?)");
        }
        entries.put(e.getKey(), new Entry(t.get("dtype").getAsString(), shape, begin, end));
      }
      return new SafeTensors(file, ch, 8 + headerLength, Collections.unmodifiableMap(entries), metadata);
    } catch (IOException | RuntimeException e) {
      ch.close();
      if (e instanceof RefineryException || e instanceof IOException) {
        throw e;
      }
      throw new RefineryException(file + ": not a safetensors file (" + e.getMessage() + ")");
    }
  }

  public Path file() {
    return file;
  }

  /** Tensor entries by name, in header order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** Reads one tensor as float32 into {@code manager}. */
  public NDArray read(String name, NDManager manager) throws IOException {
    Entry e = entries.get(name);
    if (e == null) {
      throw new RefineryException(file + " has no tensor " + name);
    }
    int width = switch (e.dtype()) {
      case "F32" -> 4;
      case "F16", "BF16" -> 2;
      default -> throw new RefineryException(file + ": tensor " + name + " has dtype " + e.dtype()
          + ", which is not supported (F32, F16 and BF16 are; quantised checkpoints are not)");
    };
    long count = 1;
    for (long d : e.shape()) {
      count *= d;
    }
    if (count * width != e.end() - e.begin()) {
      throw new RefineryException(file + ": tensor " + name + " holds " + (e.end() - e.begin()) + " bytes, its shape "
          + java.util.Arrays.toString(e.shape()) + " of " + e.dtype() + " needs " + count * width);
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new RefineryException(file + ": tensor " + name + " has " + count + " elements, more than one array holds");
    }
    float[] out = new float[(int) count];
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    long pos = dataStart + e.begin();
    int filled = 0;
    while (filled < out.length) {
      int elements = Math.min(CHUNK / width, out.length - filled);
      buf.clear().limit(elements * width);
      readFully(channel, buf, pos);
      buf.flip();
      pos += (long) elements * width;
      switch (e.dtype()) {
        case "F32" -> buf.asFloatBuffer().get(out, filled, elements);
        case "BF16" -> {
          for (int i = 0; i < elements; i++) {
            out[filled + i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
          }
        }
        default -> {
          for (int i = 0; i < elements; i++) {
            out[filled + i] = halfToFloat(buf.getShort());
          }
        }
      }
      filled += elements;
    }
    return manager.create(out, e.djlShape());
  }

  /** IEEE 754 binary16 to float32 (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exp == 0) {
      float v = mantissa * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mantissa << 13));
  }

  /**
   * Writes named arrays as one F32 safetensors file (header in the given order, {@code metadata} under
   * {@code __metadata__}), through a temporary file moved into place, so a crash leaves no half file.
   */
  public static void write(Map<String, NDArray> tensors, Map<String, String> metadata, Path file) throws IOException {
    JsonObject header = new JsonObject();
    if (!metadata.isEmpty()) {
      JsonObject meta = new JsonObject();
      metadata.forEach(meta::addProperty);
      header.add("__metadata__", meta);
    }
    long offset = 0;
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      JsonObject t = new JsonObject();
      t.addProperty("dtype", "F32");
      com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
      for (long d : e.getValue().getShape().getShape()) {
        shape.add(d);
      }
      t.add("shape", shape);
      long bytes = e.getValue().getShape().size() * 4;
      com.google.gson.JsonArray offsets = new com.google.gson.JsonArray();
      offsets.add(offset);
      offsets.add(offset + bytes);
      t.add("data_offsets", offsets);
      header.add(e.getKey(), t);
      offset += bytes;
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(out, head.flip());
      ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      for (NDArray a : tensors.values()) {
        float[] v = a.toFloatArray();
        for (int i = 0; i < v.length; ) {
          int n = Math.min(CHUNK / 4, v.length - i);
          buf.clear();
          buf.asFloatBuffer().put(v, i, n);
          buf.limit(n * 4);
          writeFully(out, buf);
          i += n;
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
