package dev.refinery.ingest.cli;

import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.ingest.crawl.CrawlEvent;
import dev.refinery.ingest.crawl.CrawlReport;
import dev.refinery.ingest.crawl.CrawlSettings;
import dev.refinery.ingest.crawl.Crawler;
import dev.refinery.ingest.crawl.HostResolver;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code refinery crawl --conf FILE [--set k=v]}: crawls {@code ingest.crawl} seeds and sitemaps into WARC
 * files under {@code ingest.crawl.output/<run.id>/}. Prints one JSON object per URL considered (fetched,
 * refused, failed, skipped, with the reason) on stdout, and the counts per outcome and reason on stderr.
 */
public final class CrawlCommand implements Command {
  @Override
  public String name() {
    return "crawl";
  }

  @Override
  public String summary() {
    return "crawl ingest.crawl.seeds/sitemaps politely into WARC files (robots.txt, delays, SSRF guard)";
  }

  @Override
  public String usage() {
    return "refinery crawl --conf FILE [--set ingest.crawl.seeds=[\"https://...\"]]...";
  }

  @Override
  public int run(CommandLine cli) throws Exception {
    if (!cli.args().isEmpty()) {
      throw new RefineryException("usage: " + usage());
    }
    CrawlSettings settings = CrawlSettings.from(cli.config());
    Path dir = settings.output().resolve(cli.config().getString("run.id"));
    CrawlReport report = new Crawler(settings, dir, HostResolver.SYSTEM).run();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    for (CrawlEvent e : report.events()) {
      out.println(e.toJson());
    }
    out.flush();
    System.err.println("crawl: " + report.warcFiles().size() + " WARC file(s) in " + dir.toAbsolutePath());
    for (Map.Entry<String, Long> c : report.counts().entrySet()) {
      System.err.println("  " + c.getValue() + "\t" + c.getKey());
    }
    for (Map.Entry<String, Long> c : report.linksNotFollowed().entrySet()) {
      System.err.println("  " + c.getValue() + "\tnot followed: " + c.getKey());
    }
    return 0;
  }
}
