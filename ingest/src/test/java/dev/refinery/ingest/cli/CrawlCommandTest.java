package dev.refinery.ingest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.ingest.crawl.LoopbackSite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code refinery crawl}: one JSON line per URL on stdout, WARC files under output/run.id. */
class CrawlCommandTest {
  @TempDir Path tmp;

  @Test
  void printsOneJsonLinePerUrlAndWritesWarcFiles() throws Exception {
    Map<String, LoopbackSite.Page> pages = Map.of(
        "/robots.txt", LoopbackSite.text("text/plain", "User-agent: refinerybot\nDisallow: /no\n"),
        "/", LoopbackSite.html("Start", "<a href=\"/no\">no</a> <a href=\"/yes\">yes</a>"),
        "/yes", LoopbackSite.html("Yes", "<p>fetched</p>"));
    try (LoopbackSite site = new LoopbackSite("127.0.0.1", 0, pages)) {
      String root = "http://127.0.0.1:" + site.port();
      CommandLine cli = CommandLine.parse(new String[] {"crawl", "--set", "run.id=cli",
          "--set", "ingest.crawl.seeds=[\"" + root + "/\"]", "--set", "ingest.crawl.allow=[\"127.0.0.1/32\"]",
          "--set", "ingest.crawl.default-delay=10ms", "--set", "ingest.crawl.output=\"" + tmp + "\""});
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream saved = System.out;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      try {
        assertEquals(0, new CrawlCommand().run(cli));
      } finally {
        System.setOut(saved);
      }
      Map<String, JsonNode> byUrl = new HashMap<>();
      ObjectMapper json = new ObjectMapper();
      for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
        JsonNode n = json.readTree(line);
        byUrl.put(n.get("url").asText(), n);
      }
      assertEquals("fetched", byUrl.get(root + "/yes").get("outcome").asText());
      assertEquals("refused", byUrl.get(root + "/no").get("outcome").asText());
      assertEquals("disallowed by robots.txt", byUrl.get(root + "/no").get("reason").asText());
      assertEquals(0, site.count("/no"));
      assertTrue(Files.exists(tmp.resolve("cli").resolve("crawl-00000.warc.gz")));
    }
  }

  @Test
  void noSeedsIsAUsageError() {
    CommandLine cli = CommandLine.parse(new String[] {"crawl"});
    RefineryException e = assertThrows(RefineryException.class, () -> new CrawlCommand().run(cli));
    assertTrue(e.getMessage().contains("ingest.crawl.seeds"), e.getMessage());
  }
}
