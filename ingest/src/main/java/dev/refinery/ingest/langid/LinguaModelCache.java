package dev.refinery.ingest.langid;

import com.github.pemistahl.lingua.api.Language;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The language-ID tables built from lingua's JSON models ({@link NgramTable}s, {@link TrigramIndex}), kept as
 * binary files so that a JVM reads them instead of parsing the JSON and hashing every n-gram again (about 2 s
 * of CPU per executor). They live under {@code $REFINERY_CACHE/langid} ({@code ~/.cache/refinery/langid}) in a
 * folder named by a content hash of lingua's jar (every entry's name, size and CRC: the models and lingua's
 * version) and of the classes that build the tables (their hashing and layout), so a stale file is never read.
 * Files are written to a temporary name and renamed (executors race to write the same one); a file that is
 * missing, short or unreadable is rebuilt from the JSON, and a cache that cannot be written only costs the
 * JSON parse.
 */
final class LinguaModelCache {
  private static final long MAGIC = 0x52464c4e47434831L; // "RFLNGCH1"
  /** The classes whose code decides the cached arrays' content. */
  private static final Class<?>[] BUILDERS = {LinguaModelReader.class, NgramHash.class, NgramTable.class,
      TrigramIndex.class, LinguaModelCache.class};
  static final LinguaModelCache DEFAULT = new LinguaModelCache(defaultRoot());

  /** This lingua's and these builders' folder, or {@code null} when no key can be formed (no cache). */
  private final Path folder;

  LinguaModelCache(Path root) {
    String key = key();
    this.folder = root == null || key == null ? null : root.resolve(key);
  }

  /**
   * The arrays cached as {@code name}, or {@code build}'s (then written for the next JVM) when there is no
   * readable file. {@code build} may return no arrays.
   */
  long[][] load(String name, Supplier<long[][]> build) {
    if (folder != null) {
      long[][] cached = read(folder.resolve(name + ".bin"));
      if (cached != null) {
        return cached;
      }
    }
    long[][] built = build.get();
    if (folder != null) {
      write(folder.resolve(name + ".bin"), built);
    }
    return built;
  }

  /** The file's arrays, or {@code null} when it is missing, not one of ours, short or unreadable. */
  static long[][] read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      if (!readFully(in, head) || head.getLong(0) != MAGIC) {
        return null;
      }
      long n = head.getLong(8);
      if (n < 0 || n > 1024) {
        return null;
      }
      ByteBuffer lengths = ByteBuffer.allocate(8 * (int) n).order(ByteOrder.LITTLE_ENDIAN);
      if (!readFully(in, lengths)) {
        return null;
      }
      long[][] arrays = new long[(int) n][];
      long expected = 16 + 8 * n;
      for (int i = 0; i < n; i++) {
        long length = lengths.getLong(8 * i);
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
          return null;
        }
        arrays[i] = new long[(int) length];
        expected += 8 * length;
      }
      if (in.size() != expected) {
        return null;
      }
      ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (long[] array : arrays) {
        for (int at = 0; at < array.length; ) {
          int take = Math.min(array.length - at, chunk.capacity() / 8);
          chunk.clear().limit(8 * take);
          if (!readFully(in, chunk)) {
            return null;
          }
          chunk.flip();
          chunk.asLongBuffer().get(array, at, take);
          at += take;
        }
      }
      return arrays;
    } catch (IOException | RuntimeException e) {
      return null; // unreadable: the caller builds from lingua's JSON
    }
  }

  /** Writes the arrays to a temporary file beside {@code file} and renames it; failures leave no file. */
  static void write(Path file, long[][] arrays) {
    Path tmp = null;
    try {
      Files.createDirectories(file.getParent());
      tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer head = ByteBuffer.allocate(16 + 8 * arrays.length).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(MAGIC).putLong(arrays.length);
        for (long[] array : arrays) {
          head.putLong(array.length);
        }
        writeFully(out, head.flip());
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        LongBuffer longs = chunk.asLongBuffer();
        for (long[] array : arrays) {
          for (int at = 0; at < array.length; ) {
            int take = Math.min(array.length - at, longs.capacity());
            longs.clear();
            longs.put(array, at, take);
            chunk.clear().limit(8 * take);
            writeFully(out, chunk);
            at += take;
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException | RuntimeException e) {
      // a cache that cannot be written (read-only home, full disk) costs only the JSON parse next time
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // nothing more to do
        }
      }
    }
  }

  private static boolean readFully(FileChannel in, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (in.read(buffer) < 0) {
        return false;
      }
    }
    return true;
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  /** {@code $REFINERY_CACHE/langid}, else {@code ~/.cache/refinery/langid}; {@code null} without either. */
  private static Path defaultRoot() {
    String root = System.getenv("REFINERY_CACHE");
    if (root == null || root.isEmpty()) {
      String home = System.getProperty("user.home");
      if (home == null || home.isEmpty() || home.equals("?")) {
        return null;
      }
      root = home + "/.cache/refinery";
    }
    return Path.of(root, "langid");
  }

  /**
   * {@code lingua-<hash>}: SHA-256 over the name, size and CRC of every entry of lingua's jar and over the bytes
   * of the classes that build the tables; {@code null} when lingua is not read from a jar file.
   */
  private static String key() {
    try {
      var source = Language.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path jar = Path.of(source.getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        return null;
      }
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
          ZipEntry entry = e.nextElement();
          digest.update((entry.getName() + "\n" + entry.getSize() + "\n" + entry.getCrc() + "\n")
              .getBytes(StandardCharsets.UTF_8));
        }
      }
      for (Class<?> c : BUILDERS) {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
          if (in == null) {
            return null;
          }
          digest.update(in.readAllBytes());
        }
      }
      return "lingua-" + HexFormat.of().formatHex(digest.digest(), 0, 12);
    } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
      return null;
    }
  }
}
