package dev.refinery.ingest.html;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tika.parser.txt.CharsetDetector;
import org.apache.tika.parser.txt.CharsetMatch;

/**
 * Bytes of a web page to a string. The charset comes from the HTTP header when it names one, else from a
 * {@code <meta>} tag in the first bytes, else valid UTF-8 wins, else statistical detection (ICU's detector
 * as shipped with Tika); undecodable bytes become U+FFFD.
 */
public final class HtmlDecoder {
  private static final int META_SCAN_BYTES = 4096;
  private static final Pattern HEADER_CHARSET = Pattern.compile("charset\\s*=\\s*[\"']?([\\w.:-]+)",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern META_CHARSET = Pattern.compile(
      "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([\\w.:-]+)", Pattern.CASE_INSENSITIVE);

  /** The decoded text and where its charset came from ({@code header}, {@code meta}, {@code detected}). */
  public record Decoded(String text, String charset, String charsetSource) {}

  private HtmlDecoder() {}

  /** {@code contentType}: the HTTP Content-Type header value, or null for a file on disk. */
  public static Decoded decode(byte[] bytes, String contentType) {
    Charset fromHeader = contentType == null ? null : charsetIn(HEADER_CHARSET, contentType);
    if (fromHeader != null) {
      return new Decoded(decodeLeniently(bytes, fromHeader), fromHeader.name(), "header");
    }
    String head = new String(bytes, 0, Math.min(bytes.length, META_SCAN_BYTES), StandardCharsets.ISO_8859_1);
    Charset fromMeta = charsetIn(META_CHARSET, head);
    if (fromMeta != null) {
      // pages in UTF-16 cannot declare themselves in ASCII meta tags; a meta naming it is wrong
      if (!fromMeta.name().startsWith("UTF-16")) {
        return new Decoded(decodeLeniently(bytes, fromMeta), fromMeta.name(), "meta");
      }
    }
    String strictUtf8 = decodeStrictly(bytes, StandardCharsets.UTF_8);
    if (strictUtf8 != null) {
      return new Decoded(strictUtf8, "UTF-8", "detected");
    }
    Charset detected = detect(bytes);
    return new Decoded(decodeLeniently(bytes, detected), detected.name(), "detected");
  }

  private static Charset charsetIn(Pattern pattern, String s) {
    Matcher m = pattern.matcher(s);
    if (!m.find()) {
      return null;
    }
    return forName(m.group(1));
  }

  static Charset forName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    // browsers treat these labels as their supersets (WHATWG Encoding Standard)
    n = switch (n) {
      case "iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii" -> "windows-1252";
      case "gb2312", "gbk", "x-gbk" -> "GB18030";
      case "utf8" -> "UTF-8";
      default -> n;
    };
    try {
      return Charset.forName(n);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Charset detect(byte[] bytes) {
    CharsetDetector detector = new CharsetDetector();
    detector.setText(bytes.length > 65536 ? java.util.Arrays.copyOf(bytes, 65536) : bytes);
    CharsetMatch match = detector.detect();
    Charset c = match == null ? null : forName(match.getName());
    return c == null ? Charset.forName("windows-1252") : c;
  }

  private static String decodeStrictly(byte[] bytes, Charset charset) {
    try {
      CharBuffer chars = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String decodeLeniently(byte[] bytes, Charset charset) {
    String s = new String(bytes, charset);
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }
}
