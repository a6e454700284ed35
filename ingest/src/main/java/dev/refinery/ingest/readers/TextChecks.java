package dev.refinery.ingest.readers;

/** Checks every extracted text must pass before it becomes a document, with the reject reasons they give. */
public final class TextChecks {
  public static final String EMPTY = "empty after extraction";
  public static final String BINARY_JUNK = "binary junk (mostly control or undecodable characters)";

  private TextChecks() {}

  /** The reject reason for {@code text}, or null when it is usable. */
  public static String problem(String text, IngestLimits limits) {
    if (text == null || text.strip().length() < limits.minTextChars()) {
      return EMPTY;
    }
    int junk = 0;
    int n = Math.min(text.length(), 100_000);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\uFFFD' || (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t' && c != '\f')) {
        junk++;
      }
    }
    return junk > limits.maxJunkRatio() * n ? BINARY_JUNK : null;
  }

  /**
   * True when raw bytes that should be text are mostly not: many C0 control bytes (NUL, BEL, ...) that no
   * text encoding but UTF-16/32 produces, which announce themselves with a byte-order mark.
   */
  public static boolean looksBinary(byte[] bytes, IngestLimits limits) {
    if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
        || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
      return false;
    }
    int n = Math.min(bytes.length, 65536);
    int control = 0;
    for (int i = 0; i < n; i++) {
      int b = bytes[i] & 0xFF;
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1B) {
        control++;
      }
    }
    return n > 0 && control > limits.maxJunkRatio() * n;
  }

  /** Cuts text to the configured maximum; the caller records {@code truncated=true} in meta when it did. */
  public static String cut(String text, IngestLimits limits) {
    return text.length() > limits.maxTextChars() ? text.substring(0, limits.maxTextChars()) : text;
  }
}
