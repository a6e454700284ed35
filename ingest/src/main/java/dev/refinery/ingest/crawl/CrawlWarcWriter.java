package dev.refinery.ingest.crawl;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcDigest;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTruncationReason;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;

/**
 * Writes each exchange as a request and a response record (gzip, one member per record) into
 * {@code crawl-NNNNN.warc.gz} files, starting a new file once one passes the size limit; every file opens
 * with a warcinfo record. These are the files ingest reads back. Files of an earlier crawl into the same
 * folder are deleted first.
 */
final class CrawlWarcWriter implements AutoCloseable {
  private final Path dir;
  private final long maxFileBytes;
  private final String userAgent;
  private final List<Path> files = new ArrayList<>();
  private WarcWriter writer;

  CrawlWarcWriter(Path dir, long maxFileBytes, String userAgent) throws IOException {
    this.dir = Files.createDirectories(dir);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(this.dir, "crawl-*.warc.gz")) {
      for (Path p : old) { // a crawl replaces the previous one of the same run, never mixes with it
        Files.delete(p);
      }
    }
    this.maxFileBytes = maxFileBytes;
    this.userAgent = userAgent;
  }

  /** Writes one exchange; returns the file's name. */
  String write(FetchedResponse r) throws IOException {
    if (writer == null || writer.position() >= maxFileBytes) {
      open();
    }
    WarcRequest request = new WarcRequest.Builder(r.destination().uri()).date(r.date())
        .ipAddress(r.destination().address()).body(MediaType.HTTP_REQUEST, r.request()).build();
    WarcResponse.Builder response = new WarcResponse.Builder(r.destination().uri()).date(r.date())
        .ipAddress(r.destination().address()).concurrentTo(request.id())
        .body(MediaType.HTTP_RESPONSE, r.warcHttp())
        .blockDigest(sha1(r.warcHttp())).payloadDigest(sha1(r.body()));
    if (r.truncated() != WarcTruncationReason.NOT_TRUNCATED) {
      response.truncated(r.truncated());
    }
    writer.write(response.build());
    writer.write(request);
    return files.get(files.size() - 1).getFileName().toString();
  }

  /** SHA-1 digests, as Heritrix and Common Crawl write them, so WARC tools can check and deduplicate. */
  private static WarcDigest sha1(byte[] bytes) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      md.update(bytes);
      return new WarcDigest(md);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  List<Path> files() {
    return List.copyOf(files);
  }

  private void open() throws IOException {
    close();
    Path file = dir.resolve(String.format("crawl-%05d.warc.gz", files.size()));
    writer = new WarcWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING), WarcCompression.GZIP);
    files.add(file);
    writer.write(new Warcinfo.Builder().filename(file.getFileName().toString())
        .fields(Map.of("software", List.of("Refinery crawler"), "http-header-user-agent", List.of(userAgent),
            "robots", List.of("obey")))
        .build());
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }
}
