package dev.refinery.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Gzipped WARC files of real pages, each page written {@code copies} times under its own URL (the page's
 * URL with {@code ?copy=N}), so the input grows without new pages. One gzip member per record, as crawlers
 * write them; records are dealt round-robin over the files so every file holds every page once per round.
 */
final class WarcCorpus {
  private WarcCorpus() {}

  /** Writes the files into {@code dir}; returns the number of response records written. */
  static long write(List<ExtractionBenchmark.Page> pages, int copies, int files, Path dir) throws IOException {
    Files.createDirectories(dir);
    OutputStream[] out = new OutputStream[files];
    for (int f = 0; f < files; f++) {
      out[f] = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve(String.format("part-%04d.warc.gz",
          f))), 1 << 16);
    }
    long records = 0;
    try {
      for (int c = 0; c < copies; c++) {
        for (ExtractionBenchmark.Page p : pages) {
          if (p.html().length == 0) {
            continue;
          }
          String url = p.url() + (p.url().contains("?") ? "&" : "?") + "copy=" + c;
          writeRecord(out[(int) (records % files)], url, p.html(), records);
          records++;
        }
      }
    } finally {
      for (OutputStream o : out) {
        o.close();
      }
    }
    return records;
  }

  private static void writeRecord(OutputStream out, String url, byte[] html, long n) throws IOException {
    byte[] http = ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + html.length + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    String header = "WARC/1.0\r\n"
        + "WARC-Type: response\r\n"
        + "WARC-Target-URI: " + url + "\r\n"
        + String.format("WARC-Date: 2024-01-01T%02d:%02d:%02dZ\r\n", n / 3600 % 24, n / 60 % 60, n % 60)
        + "WARC-Record-ID: <urn:uuid:" + UUID.nameUUIDFromBytes(url.getBytes(StandardCharsets.UTF_8)) + ">\r\n"
        + "Content-Type: application/http; msgtype=response\r\n"
        + "Content-Length: " + (http.length + html.length) + "\r\n\r\n";
    ByteArrayOutputStream member = new ByteArrayOutputStream(html.length + 1024);
    try (GZIPOutputStream gz = new GZIPOutputStream(member)) {
      gz.write(header.getBytes(StandardCharsets.UTF_8));
      gz.write(http);
      gz.write(html);
      gz.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    member.writeTo(out);
  }
}
