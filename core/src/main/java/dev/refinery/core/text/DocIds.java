package dev.refinery.core.text;

import java.nio.charset.StandardCharsets;

/**
 * Stable document ids: a 128-bit hash (two seeded XXH64) of source, locator (URL or path) and content, as
 * 32 hex digits. The same input always gets the same id, so every later table traces back to it.
 */
public final class DocIds {
  private DocIds() {}

  public static String of(String source, String locator, String content) {
    byte[] bytes = (nullToEmpty(source) + '\u0000' + nullToEmpty(locator) + '\u0000' + nullToEmpty(content))
        .getBytes(StandardCharsets.UTF_8);
    return Hashing.hex(Hashing.xxh64(bytes, 0x5EEDL)) + Hashing.hex(Hashing.xxh64(bytes, 0xD0C1DL));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
