package dev.refinery.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Texts from ../shared/data for tests (read by path, never copied). */
public final class SharedData {
  private SharedData() {}

  public static Path root() {
    String env = System.getenv("REFINERY_SHARED_DATA");
    if (env != null) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("refinery.home", ".."), "..", "shared", "data").normalize();
  }

  public static String tinyShakespeare() throws IOException {
    return Files.readString(root().resolve("tinyshakespeare/input.txt"), StandardCharsets.UTF_8);
  }

  /** Every file of chinese-web-text, by name, as UTF-8 text. */
  public static Map<String, String> chineseWebText() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(root().resolve("chinese-web-text"))) {
      for (Path p : files.sorted().toList()) {
        out.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
