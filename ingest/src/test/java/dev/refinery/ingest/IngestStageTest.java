package dev.refinery.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.ingest.crawl.LoopbackSite;
import dev.refinery.testing.TestSpark;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest stage end to end on the shared WARC samples, the shared document-parsing fixtures (PDF, DOCX,
 * DOC, PPTX, ODT, encrypted and odd files) and a small folder of HTML/text/JSONL written here, including
 * a truncated gzip and binary junk: the job must finish, and every file must be accounted for as
 * documents or as rejects with a reason.
 */
class IngestStageTest {
  private static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void everySharedFileBecomesDocumentsOrRejectsWithAReason() throws IOException {
    File warcs = TestSpark.sharedData("warc-samples");
    File docs = TestSpark.sharedData("doc-parsing");
    Path own = writeSmallCorpus(tmp.resolve("own"));
    RefineryConfig config = TestSpark.config(tmp.resolve("wh"), "ingest.inputs=[\"" + warcs.getAbsolutePath()
        + "\", \"" + docs.getAbsolutePath() + "\", \"" + own.toAbsolutePath() + "\"]",
        "ingest.parse-timeout=20s", "ingest.max-document-bytes=400k");
    Warehouse wh = new Warehouse(spark, config.getString("warehouse.root"));
    StageContext ctx = new StageContext(spark, config, wh, "t1");
    IngestStage stage = new IngestStage();
    stage.validate(ctx);
    StageResult result = stage.run(ctx);

    List<Row> documents = wh.readRun("documents", "t1").collectAsList();
    List<Row> rejects = wh.readRun("rejects", "t1").collectAsList();
    assertEquals(result.rowsOut(), documents.size());
    assertEquals(rejects.size(), result.drops().values().stream().mapToLong(Long::longValue).sum());
    assertEquals(documents.size() + rejects.size(), result.rowsIn());
    assertTrue(documents.size() > 60, "documents: " + documents.size());

    // every input file shows up: as a document's path/warc_file, or as a reject locator
    Set<String> seen = new HashSet<>();
    for (Row d : documents) {
      Map<String, String> meta = d.getJavaMap(d.fieldIndex("meta"));
      seen.add(meta.getOrDefault("path", meta.get("warc_file")));
    }
    Map<String, String> reasonByDocId = new HashMap<>();
    for (Row r : rejects) {
      String excerpt = r.getString(r.fieldIndex("excerpt"));
      if (IngestStage.DUPLICATE_URL.equals(r.getString(r.fieldIndex("reason")))) {
        seen.add(excerpt.substring(excerpt.indexOf(" from ") + 6));
      }
      reasonByDocId.put(r.getString(r.fieldIndex("doc_id")), r.getString(r.fieldIndex("reason")));
      assertFalse(r.getString(r.fieldIndex("reason")).isBlank());
    }
    for (File root : List.of(warcs, docs, own.toFile())) {
      try (var files = Files.walk(root.toPath())) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String rel = root.toPath().relativize(f).toString();
          String source = sourceFor(rel);
          String rejectId = dev.refinery.core.text.DocIds.of(source, rel, "");
          assertTrue(seen.contains(rel) || reasonByDocId.containsKey(rejectId), "not accounted for: " + rel);
        }
      }
    }
    String encrypted = reasonByDocId.get(dev.refinery.core.text.DocIds.of("document", "unstructured-example-docs/password.pdf", ""));
    assertTrue(encrypted != null && encrypted.contains("encrypted"), "password.pdf: " + encrypted);
    assertEquals(dev.refinery.ingest.readers.FileReaders.OVERSIZED, reasonByDocId.get(
        dev.refinery.core.text.DocIds.of("document", "unstructured-example-docs/handbook-872p.docx", "")));
    assertEquals(dev.refinery.ingest.readers.FileReaders.TRUNCATED,
        reasonByDocId.get(dev.refinery.core.text.DocIds.of("html", "cut.html.gz", "")));
    assertEquals(dev.refinery.ingest.readers.TextChecks.BINARY_JUNK,
        reasonByDocId.get(dev.refinery.core.text.DocIds.of("text", "junk.txt", "")));
    assertTrue(result.drops().getOrDefault(IngestStage.DUPLICATE_URL, 0L) >= 1, "drops: " + result.drops());

    // the Chinese page is found Chinese, the German WARC page German, the Escopete page Aragonese-or-Spanish
    Map<String, String> langByPath = new HashMap<>();
    for (Row d : documents) {
      Map<String, String> meta = d.getJavaMap(d.fieldIndex("meta"));
      langByPath.put(meta.getOrDefault("path", ""), d.getString(d.fieldIndex("lang")));
    }
    assertEquals("zh", langByPath.get("zh.html"));
    assertEquals("en", langByPath.get("notes.txt"));
  }

  /** With ingest.crawl.enabled the stage crawls first: pages become documents, refusals become rejects. */
  @Test
  void crawlsFirstWhenEnabledAndRejectsWhatItDidNotFetch() throws IOException {
    Map<String, LoopbackSite.Page> pages = Map.of(
        "/robots.txt", LoopbackSite.text("text/plain", "User-agent: *\nDisallow: /private\n"),
        "/", LoopbackSite.html("Crawled home", "<p>The home page of a site crawled by the ingest stage itself.</p>"
            + "<a href=\"/a\">a</a> <a href=\"/private/x\">x</a> <a href=\"/go\">go</a>"),
        "/go", LoopbackSite.redirect("http://169.254.169.254/"),
        "/a", LoopbackSite.html("Crawled page", "<p>A second page, one link away, with enough words to keep.</p>"),
        "/private/x", LoopbackSite.html("Private", "<p>never to be fetched</p>"));
    try (LoopbackSite site = new LoopbackSite("127.0.0.1", 0, pages)) {
      String root = "http://127.0.0.1:" + site.port();
      RefineryConfig config = TestSpark.config(tmp.resolve("wh-crawl"), "ingest.crawl.enabled=true",
          "ingest.crawl.seeds=[\"" + root + "/\"]", "ingest.crawl.allow=[\"127.0.0.1/32\"]",
          "ingest.crawl.default-delay=10ms", "ingest.crawl.output=\"" + tmp.resolve("crawl") + "\"");
      Warehouse wh = new Warehouse(spark, config.getString("warehouse.root"));
      StageContext ctx = new StageContext(spark, config, wh, "c1");
      IngestStage stage = new IngestStage();
      stage.validate(ctx);
      StageResult result = stage.run(ctx);
      assertEquals(0, site.count("/private/x"));
      Map<String, String> docIdByUrl = new HashMap<>();
      for (Row d : wh.readRun("documents", "c1").collectAsList()) {
        docIdByUrl.put(d.getString(d.fieldIndex("url")), d.getString(d.fieldIndex("doc_id")));
      }
      assertEquals(Set.of(root + "/", root + "/a"), docIdByUrl.keySet());
      // the stage's documents are the WARC files replayed through the reader: same doc ids
      List<Path> warcs;
      try (var files = Files.list(tmp.resolve("crawl").resolve("c1"))) {
        warcs = files.sorted().toList();
      }
      Map<String, String> replayed = new HashMap<>();
      for (var item : dev.refinery.ingest.crawl.CrawlerSiteTest.replay(warcs)) {
        if (!item.isReject()) {
          replayed.put(item.url(), dev.refinery.core.text.DocIds.of(item.source(), item.locator(), item.text()));
        }
      }
      assertEquals(docIdByUrl, replayed);
      Map<String, String> reasonByExcerpt = new HashMap<>();
      for (Row r : wh.readRun("rejects", "c1").collectAsList()) {
        reasonByExcerpt.put(r.getString(r.fieldIndex("excerpt")), r.getString(r.fieldIndex("reason")));
      }
      assertEquals("crawl refused: disallowed by robots.txt", reasonByExcerpt.get(root + "/private/x"));
      assertEquals(wh.readRun("rejects", "c1").count(),
          result.drops().values().stream().mapToLong(Long::longValue).sum(), "crawl refusals counted as drops");
      assertTrue(reasonByExcerpt.get("http://169.254.169.254/").startsWith("crawl refused: host '169.254.169.254'"),
          reasonByExcerpt.toString());
    }
  }

  @Test
  void validateNamesTheMissingPathAndTheKey() {
    RefineryConfig config = TestSpark.config(tmp.resolve("wh2"), "ingest.inputs=[\"/no/such/folder\"]");
    StageContext ctx = new StageContext(spark, config, new Warehouse(spark, config.getString("warehouse.root")), "t");
    RefineryException e = assertThrows(RefineryException.class, () -> new IngestStage().validate(ctx));
    assertTrue(e.getMessage().contains("/no/such/folder") && e.getMessage().contains("ingest.inputs"));
    RefineryConfig empty = TestSpark.config(tmp.resolve("wh3"));
    StageContext ctx2 = new StageContext(spark, empty, new Warehouse(spark, empty.getString("warehouse.root")), "t");
    assertThrows(RefineryException.class, () -> new IngestStage().validate(ctx2));
  }

  private static String sourceFor(String rel) {
    return switch (dev.refinery.ingest.readers.FileKind.of(rel)) {
      case WARC -> rel.contains(".wet") ? "wet" : "warc";
      case HTML -> "html";
      case TEXT -> "text";
      case JSONL -> "jsonl";
      case DOCUMENT -> "document";
    };
  }

  private static Path writeSmallCorpus(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("zh.html"), "<html><head><meta charset=\"utf-8\"><title>新闻</title></head><body>"
        + "<nav><a href=/>首页</a> <a href=/a>关于</a> <a href=/b>联系</a></nav><article><h1>城市公园开放</h1>"
        + "<p>今天上午，新建的城市公园正式向市民开放。公园占地一百公顷，种植了两万多棵树木，并设有儿童游乐区和自行车道。</p>"
        + "<p>市长在开幕式上表示，这个项目将改善周边居民的生活质量。</p></article><footer>版权所有</footer></body></html>");
    Files.writeString(dir.resolve("notes.txt"), "These are plain notes about the weather in the mountains. "
        + "It rained for most of the week, and the trails were muddy but still open to hikers.");
    Files.writeString(dir.resolve("pages.jsonl"),
        "{\"id\": \"a\", \"url\": \"https://Example.com:443/x?utm_source=t#top\", \"text\": \"The first page of the "
            + "sample talks about rivers and the fish that live in them during the summer months.\"}\n"
            + "{\"id\": \"b\", \"url\": \"https://example.com/x\", \"text\": \"A second copy under the same URL, "
            + "which must be kept only once in a run even though its text differs.\"}\n"
            + "not json at all\n{\"id\": \"c\"}\n");
    byte[] html = ("<html><body><p>" + "A page that is cut in the middle of its gzip stream. ".repeat(200)
        + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
    File gz = dir.resolve("cut.html.gz").toFile();
    try (OutputStream o = new GZIPOutputStream(new FileOutputStream(gz))) {
      o.write(html);
    }
    byte[] full = Files.readAllBytes(gz.toPath());
    Files.write(gz.toPath(), java.util.Arrays.copyOf(full, full.length / 2));
    byte[] junk = new byte[4000];
    new java.util.Random(7).nextBytes(junk);
    Files.write(dir.resolve("junk.txt"), junk);
    return dir;
  }
}
