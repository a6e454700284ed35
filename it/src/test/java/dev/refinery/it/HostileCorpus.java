package dev.refinery.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes hostile and broken inputs for ingest, one file per attack, into a folder. */
final class HostileCorpus {
  static final String PROSE = "The harbour town keeps its old stone bridge in good repair, and every spring the "
      + "volunteers paint the railings and clear the gutters before the first market of the year. ";
  static final int LARGE_LINE_BYTES = 20 * 1024 * 1024;
  static final long ZIP_BOMB_BYTES = 200L * 1024 * 1024;
  static final int NESTING = 100_000;
  static final long OVERSIZED_LINE_BYTES = 200L * 1024 * 1024;
  /** Content streams a page of the spinning PDF draws: each replays a million no-op graphics operators. */
  static final int SPIN_STREAM_REFERENCES = 200_000;

  private HostileCorpus() {}

  static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    truncatedGzip(dir);
    lyingWarcs(dir);
    hugeHttpHeader(dir);
    largeSingleLine(dir);
    oversizedSingleLine(dir);
    encodings(dir);
    zipBombDocx(dir);
    deepNesting(dir);
    billionLaughs(dir);
    nulBytes(dir);
    spinningPdf(dir);
  }

  /** A multi-member WARC cut in the middle of a member, and a gzipped text file cut in half. */
  private static void truncatedGzip(Path dir) throws IOException {
    ByteArrayOutputStream warc = new ByteArrayOutputStream();
    for (int i = 0; i < 4; i++) {
      try (GZIPOutputStream gz = new GZIPOutputStream(warc)) {
        gz.write(response("http://hostile.example/member-" + i, "text/html; charset=utf-8",
            html("Member " + i, PROSE.repeat(3 + i))));
      }
    }
    byte[] all = warc.toByteArray();
    Files.write(dir.resolve("truncated-member.warc.gz"), Arrays.copyOf(all, all.length * 7 / 8));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(text)) {
      gz.write(PROSE.repeat(200).getBytes(StandardCharsets.UTF_8));
    }
    byte[] t = text.toByteArray();
    Files.write(dir.resolve("truncated.txt.gz"), Arrays.copyOf(t, t.length / 2));
  }

  /** Records whose Content-Length is 200 bytes short of, and 5000 bytes beyond, the real block. */
  private static void lyingWarcs(Path dir) throws IOException {
    for (int lie : new int[] {-200, 5000}) {
      // URLs differ per file: ingest keeps one document per URL and run
      String base = "http://hostile.example/" + (lie < 0 ? "short" : "long");
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.write(response(base + "/before-lie", "text/html", html("Before", PROSE.repeat(4))));
      byte[] liar = response(base + "/liar", "text/html", html("Liar", PROSE.repeat(6)));
      String s = new String(liar, StandardCharsets.ISO_8859_1);
      int at = s.indexOf("Content-Length: ") + "Content-Length: ".length();
      int end = s.indexOf("\r\n", at);
      int real = Integer.parseInt(s.substring(at, end));
      b.write((s.substring(0, at) + (real + lie) + s.substring(end)).getBytes(StandardCharsets.ISO_8859_1));
      b.write(response(base + "/after-lie", "text/html", html("After", PROSE.repeat(5))));
      Files.write(dir.resolve(lie < 0 ? "length-too-short.warc" : "length-too-long.warc"), b.toByteArray());
    }
  }

  /** An HTTP response whose header block is one 1 MB header. */
  private static void hugeHttpHeader(Path dir) throws IOException {
    String header = "X-Padding: " + "a".repeat(1024 * 1024) + "\r\n";
    Files.write(dir.resolve("huge-http-header.warc"), record("http://hostile.example/huge-header",
        ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + header + "\r\n"
            + new String(html("Header", PROSE.repeat(3)), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
  }

  /** 20 MB of prose on one line, as a text file and as one JSONL record. */
  private static void largeSingleLine(Path dir) throws IOException {
    String line = PROSE.repeat(LARGE_LINE_BYTES / PROSE.length() + 1).substring(0, LARGE_LINE_BYTES);
    Files.writeString(dir.resolve("single-line-20mb.txt"), line, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("single-line-20mb.jsonl"), "{\"id\":\"big\",\"text\":\"" + line + "\"}\n",
        StandardCharsets.UTF_8);
  }

  /** 200 MB on one line, as a text file and as one JSONL record: over ingest.max-document-bytes. */
  private static void oversizedSingleLine(Path dir) throws IOException {
    byte[] chunk = PROSE.repeat((1 << 20) / PROSE.length()).getBytes(StandardCharsets.UTF_8);
    try (OutputStream txt = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve("single-line-200mb.txt")));
        OutputStream jsonl = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve("single-line-200mb.jsonl")))) {
      jsonl.write("{\"id\":\"huge\",\"text\":\"".getBytes(StandardCharsets.UTF_8));
      for (long n = 0; n < OVERSIZED_LINE_BYTES; n += chunk.length) {
        txt.write(chunk);
        jsonl.write(chunk);
      }
      jsonl.write("\"}\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * A well-formed PDF that keeps a parser busy for hours: its one page lists the same small content stream
   * 200,000 times, and that stream inflates to a million "q Q" operators (save and restore the graphics
   * state, which print nothing, so no text-size limit ever stops the parse).
   */
  private static void spinningPdf(Path dir) throws IOException {
    ByteArrayOutputStream ops = new ByteArrayOutputStream();
    byte[] pair = "q Q\n".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 1_000_000; i++) {
      ops.write(pair);
    }
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(packed, deflater)) {
      ops.writeTo(z);
    }
    deflater.end();
    StringBuilder contents = new StringBuilder("[");
    for (int i = 0; i < SPIN_STREAM_REFERENCES; i++) {
      contents.append("5 0 R ");
    }
    contents.append(']');
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    long[] offsets = new long[6];
    pdf.write("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII));
    String[] objects = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        contents.toString()};
    for (int i = 0; i < objects.length; i++) {
      offsets[i + 1] = pdf.size();
      pdf.write(((i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n").getBytes(StandardCharsets.US_ASCII));
    }
    offsets[5] = pdf.size();
    pdf.write(("5 0 obj\n<< /Length " + packed.size() + " /Filter /FlateDecode >>\nstream\n")
        .getBytes(StandardCharsets.US_ASCII));
    packed.writeTo(pdf);
    pdf.write("\nendstream\nendobj\n".getBytes(StandardCharsets.US_ASCII));
    long xref = pdf.size();
    StringBuilder table = new StringBuilder("xref\n0 6\n0000000000 65535 f \n");
    for (int i = 1; i <= 5; i++) {
      table.append(String.format("%010d 00000 n \n", offsets[i]));
    }
    table.append("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
    pdf.write(table.toString().getBytes(StandardCharsets.US_ASCII));
    Files.write(dir.resolve("spinning.pdf"), pdf.toByteArray());
  }

  /** UTF-8 with stray invalid sequences, and a file that switches from UTF-8 to Latin-1 halfway. */
  private static void encodings(Path dir) throws IOException {
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    bad.write("<html><head><meta charset=\"utf-8\"><title>Bad bytes</title></head><body><p>"
        .getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 6; i++) {
      bad.write(PROSE.getBytes(StandardCharsets.UTF_8));
      bad.write(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
    }
    bad.write("</p></body></html>".getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("invalid-utf8.html"), bad.toByteArray());
    ByteArrayOutputStream mixed = new ByteArrayOutputStream();
    String german = "Die Brücke über den Fluss wurde im Frühjahr gründlich überprüft und später für den Verkehr "
        + "wieder geöffnet. ";
    mixed.write(german.repeat(5).getBytes(StandardCharsets.UTF_8));
    mixed.write(german.repeat(5).getBytes(StandardCharsets.ISO_8859_1));
    Files.write(dir.resolve("mixed-encodings.txt"), mixed.toByteArray());
  }

  /** A DOCX whose document.xml inflates from about 200 KB to 200 MB. */
  private static void zipBombDocx(Path dir) throws IOException {
    try (OutputStream f = Files.newOutputStream(dir.resolve("zip-bomb.docx"));
        ZipOutputStream zip = new ZipOutputStream(f)) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/"
          + "package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-"
          + "package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override "
          + "PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
          + "wordprocessingml.document.main+xml\"/></Types>").getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("_rels/.rels"));
      zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/"
          + "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
          + "officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>")
          .getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/"
          + "wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>").getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      for (long n = 0; n < ZIP_BOMB_BYTES; n += chunk.length) {
        zip.write(chunk);
      }
      zip.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
  }

  /** Text inside 100,000 nested elements. */
  private static void deepNesting(Path dir) throws IOException {
    String open = "<div>".repeat(NESTING);
    String close = "</div>".repeat(NESTING);
    Files.writeString(dir.resolve("deep-nesting.html"), "<html><head><title>Deep</title></head><body>" + open
        + "<p>" + PROSE.repeat(3) + "</p>" + close + "</body></html>", StandardCharsets.UTF_8);
  }

  /** Nine levels of entities that each expand ten times: 10^9 "lol"s if a parser expands them. */
  private static void billionLaughs(Path dir) throws IOException {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
      String prev = i == 1 ? "lol" : "lol" + (i - 1);
      b.append(" <!ENTITY lol").append(i).append(" \"").append(("&" + prev + ";").repeat(10)).append("\">\n");
    }
    b.append("]>\n<lolz>&lol9;</lolz>\n");
    Files.writeString(dir.resolve("billion-laughs.xml"), b.toString(), StandardCharsets.UTF_8);
  }

  /** A text that is a third NUL bytes, and a page with a few NULs in readable prose. */
  private static void nulBytes(Path dir) throws IOException {
    ByteArrayOutputStream many = new ByteArrayOutputStream();
    for (int i = 0; i < 300; i++) {
      many.write("abc ".getBytes(StandardCharsets.US_ASCII));
      many.write(new byte[] {0, 0});
    }
    Files.write(dir.resolve("nul-bytes.txt"), many.toByteArray());
    String page = new String(html("Nuls", PROSE.repeat(4)), StandardCharsets.UTF_8).replace("bridge", "bri\0dge");
    Files.writeString(dir.resolve("few-nuls.html"), page, StandardCharsets.UTF_8);
  }

  static byte[] html(String title, String body) {
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><article><p>"
        + body + "</p></article></body></html>").getBytes(StandardCharsets.UTF_8);
  }

  /** A WARC response record: HTTP status line and headers, then {@code body}. */
  static byte[] response(String uri, String contentType, byte[] body) throws IOException {
    ByteArrayOutputStream http = new ByteArrayOutputStream();
    http.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    http.write(body);
    return record(uri, http.toByteArray());
  }

  static byte[] record(String uri, byte[] block) throws IOException {
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    r.write(("WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri + "\r\nWARC-Date: 2024-05-01T12:00:00Z\r\n"
        + "WARC-Record-ID: <urn:uuid:" + java.util.UUID.nameUUIDFromBytes(uri.getBytes(StandardCharsets.UTF_8))
        + ">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " + block.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    r.write(block);
    r.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return r.toByteArray();
  }
}
