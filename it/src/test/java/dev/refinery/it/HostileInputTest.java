package dev.refinery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.text.DocIds;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.ingest.readers.FileReaders;
import dev.refinery.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of a corpus of attacks and broken files, in a child JVM limited to a 1 GB heap and with a 10 s
 * parser time limit: the job completes, and every file ends in documents (when it is legitimately readable)
 * or in rejects with a reason.
 */
class HostileInputTest {
  static final String HEAP = "1g";
  static final long TIME_LIMIT_SECONDS = 300;
  @TempDir
  static Path tmp;
  private static SparkSession spark;
  private static ChildJvm.Result run;
  private static List<Row> documents;
  private static List<Row> rejects;

  @BeforeAll
  static void ingestHostileCorpus() throws Exception {
    Path corpus = tmp.resolve("hostile");
    HostileCorpus.write(corpus);
    Path wh = tmp.resolve("warehouse");
    List<String> args = new ArrayList<>(List.of("ingest", "--set", "run.id=hostile",
        "--set", "warehouse.root=" + wh, "--set", "ingest.inputs=[\"" + corpus + "\"]",
        "--set", "ingest.parse-timeout=10s"));
    args.addAll(ChildJvm.smallSpark());
    run = ChildJvm.refinery(tmp.resolve("child"), HEAP, TIME_LIMIT_SECONDS, Map.of(), args);
    System.out.printf("it: hostile corpus ingested in %.1f s (heap %s)%n", run.millis() / 1000.0, HEAP);
    spark = TestSpark.start();
    Warehouse w = new Warehouse(spark, wh.toString());
    if (w.exists("documents")) {
      documents = w.readRun("documents", "hostile").collectAsList();
      rejects = w.readRun("rejects", "hostile").collectAsList();
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void jobCompletesWithinTheHeapAndTimeBounds() {
    assertEquals(0, run.exitCode(), "ingest exit status; stderr: " + ChildJvm.tail(run.stderr()));
    assertTrue(run.millis() < TIME_LIMIT_SECONDS * 1000);
    assertFalse(run.output().contains("OutOfMemoryError"), ChildJvm.tail(run.output()));
  }

  @Test
  void truncatedGzipKeepsTheWholeMembersAndRejectsTheRest() {
    assertTrue(documentsOf("truncated-member.warc.gz").size() >= 2, "members before the cut are documents");
    assertEquals(List.of("truncated file (unexpected end of gzip or archive)"),
        fileRejects("warc", "truncated-member.warc.gz"));
    assertEquals(List.of("truncated file (unexpected end of gzip or archive)"), fileRejects("text", "truncated.txt.gz"));
  }

  @Test
  void warcRecordsWhoseLengthLiesAreRejectedAndTheRecordBeforeIsKept() {
    for (String f : List.of("length-too-short.warc", "length-too-long.warc")) {
      String base = "http://hostile.example/" + (f.contains("short") ? "short" : "long");
      List<String> urls = documentsOf(f).stream().map(r -> r.getString(r.fieldIndex("url"))).toList();
      assertTrue(urls.contains(base + "/before-lie"), f + ": " + urls);
      List<String> reasons = new ArrayList<>(fileRejects("warc", f));
      reasons.addAll(urlRejects(base + "/liar"));
      assertTrue(!reasons.isEmpty() || urls.contains(base + "/liar"),
          f + ": the lying record is neither a document nor a reject");
      if (!urls.contains(base + "/after-lie")) {
        assertFalse(reasons.isEmpty(), f + ": a record after the lie was lost without a reject");
      }
    }
  }

  @Test
  void oneMegabyteHttpHeaderEndsInDocumentsOrRejects() {
    boolean document = documentsOf("huge-http-header.warc").size() == 1;
    List<String> reasons = new ArrayList<>(fileRejects("warc", "huge-http-header.warc"));
    reasons.addAll(urlRejects("http://hostile.example/huge-header"));
    assertTrue(document ^ !reasons.isEmpty(), "exactly one outcome, got document=" + document + " rejects=" + reasons);
  }

  @Test
  void largeSingleLineDocumentsAreCutToTheTextLimit() {
    for (String f : List.of("single-line-20mb.txt", "single-line-20mb.jsonl")) {
      List<Row> docs = documentsOf(f);
      assertEquals(1, docs.size(), f);
      Row d = docs.get(0);
      assertEquals(2_000_000, d.getString(d.fieldIndex("text")).length(), "cut to ingest.max-text-chars");
      assertEquals("true", d.<String, String>getJavaMap(d.fieldIndex("meta")).get("truncated"));
    }
  }

  @Test
  void oversizedSingleLinesAreRejectedWithoutBeingHeld() {
    assertEquals(List.of(FileReaders.OVERSIZED), fileRejects("text", "single-line-200mb.txt"));
    assertEquals(List.of(FileReaders.OVERSIZED), reasonsOf(DocIds.of("jsonl", "single-line-200mb.jsonl:1", "")));
  }

  @Test
  void aPdfThatKeepsTikaBusyEndsInRejectsAndTheJobGoesOn() {
    assertTrue(documentsOf("spinning.pdf").isEmpty());
    // PDFBox holds every decoded copy of the repeated stream: on a fast machine it fills the heap before the
    // time-out and the heap guard stops it ("parser exceeded memory", or "corrupt or unreadable document" when
    // the parser's own OutOfMemoryError comes first and is caught); on a slow one the time-out comes first
    List<String> reasons = fileRejects("document", "spinning.pdf");
    System.out.println("it: spinning.pdf rejected: " + reasons);
    assertEquals(1, reasons.size(), "one reject: " + reasons);
    assertTrue(Set.of("parser time-out", "parser exceeded memory", "corrupt or unreadable document")
        .contains(reasons.get(0)), reasons.get(0));
  }

  @Test
  void invalidUtf8AndMixedEncodingsAreReadable() {
    for (String f : List.of("invalid-utf8.html", "mixed-encodings.txt")) {
      assertEquals(1, documentsOf(f).size(), f + " rejects: " + fileRejects(f.endsWith("html") ? "html" : "text", f));
      assertTrue(documentsOf(f).get(0).getString(documentsOf(f).get(0).fieldIndex("text")).contains("bridge")
          || f.startsWith("mixed"));
    }
    String mixed = documentsOf("mixed-encodings.txt").get(0).getString(documentsOf("mixed-encodings.txt").get(0)
        .fieldIndex("text"));
    assertTrue(mixed.contains("Brücke"), "the UTF-8 half decodes: " + mixed.substring(0, 80));
  }

  @Test
  void zipBombDocxIsRejected() {
    assertTrue(documentsOf("zip-bomb.docx").isEmpty());
    assertEquals(1, fileRejects("document", "zip-bomb.docx").size(), "one reject with a reason");
  }

  @Test
  void deeplyNestedHtmlEndsInDocumentsOrRejects() {
    List<Row> docs = documentsOf("deep-nesting.html");
    List<String> reasons = fileRejects("html", "deep-nesting.html");
    assertEquals(1, docs.size() + reasons.size(), "docs " + docs.size() + " rejects " + reasons);
    if (!docs.isEmpty()) {
      assertTrue(docs.get(0).getString(docs.get(0).fieldIndex("text")).contains("harbour town"));
    }
  }

  @Test
  void billionLaughsIsRejectedWithoutExpansion() {
    assertTrue(documentsOf("billion-laughs.xml").isEmpty(), "no document of expanded entities");
    assertEquals(1, fileRejects("document", "billion-laughs.xml").size());
  }

  @Test
  void nulBytesAreRejectedAsBinaryOrStrippedFromReadableText() {
    assertEquals(List.of("binary junk (mostly control or undecodable characters)"),
        fileRejects("text", "nul-bytes.txt"));
    List<Row> few = documentsOf("few-nuls.html");
    assertEquals(1, few.size(), "a page with a few NULs is still a page");
  }

  @Test
  void everyHostileFileHasAnOutcome() {
    for (String f : List.of("truncated-member.warc.gz", "truncated.txt.gz", "length-too-short.warc",
        "length-too-long.warc", "huge-http-header.warc", "single-line-20mb.txt", "single-line-20mb.jsonl",
        "invalid-utf8.html", "mixed-encodings.txt", "zip-bomb.docx", "deep-nesting.html", "billion-laughs.xml",
        "nul-bytes.txt", "few-nuls.html", "single-line-200mb.txt", "single-line-200mb.jsonl", "spinning.pdf")) {
      boolean any = !documentsOf(f).isEmpty();
      for (String source : List.of("warc", "text", "html", "jsonl", "document")) {
        any |= !fileRejects(source, f).isEmpty() || !reasonsOf(DocIds.of(source, f + ":1", "")).isEmpty();
      }
      assertTrue(any, f + " left no trace in documents or rejects");
    }
    for (Row r : rejects) {
      assertFalse(r.getString(r.fieldIndex("reason")).isBlank(), "every reject has a reason");
    }
  }

  private static List<Row> documentsOf(String file) {
    return documents.stream().filter(r -> {
      Map<String, String> meta = r.getJavaMap(r.fieldIndex("meta"));
      return file.equals(meta.get("path")) || file.equals(meta.get("warc_file"));
    }).toList();
  }

  /** Reasons of the rejects ingest made for a whole file (its doc_id: source, relative path, no text). */
  private static List<String> fileRejects(String source, String file) {
    return reasonsOf(DocIds.of(source, file, ""));
  }

  private static List<String> urlRejects(String url) {
    return reasonsOf(DocIds.of("warc", url, ""));
  }

  private static List<String> reasonsOf(String docId) {
    return rejects.stream().filter(r -> docId.equals(r.getString(r.fieldIndex("doc_id"))))
        .map(r -> r.getString(r.fieldIndex("reason"))).toList();
  }
}
