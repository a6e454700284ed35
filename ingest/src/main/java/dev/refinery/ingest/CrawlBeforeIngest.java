package dev.refinery.ingest;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.text.DocIds;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.ingest.crawl.CrawlEvent;
import dev.refinery.ingest.crawl.CrawlReport;
import dev.refinery.ingest.crawl.CrawlSettings;
import dev.refinery.ingest.crawl.Crawler;
import dev.refinery.ingest.crawl.HostResolver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The crawl step of ingest ({@code ingest.crawl.enabled = true}): crawls on the driver into
 * {@code ingest.crawl.output/<run id>/} (replacing an earlier crawl of the same run), then ingest reads
 * that folder with its other inputs. Every URL not fetched (refused, failed, skipped) becomes a reject row.
 */
final class CrawlBeforeIngest {
  static final String SOURCE = "crawl";

  /** The WARC folder to read and the reject rows ({@link Rejects#SCHEMA}) of the URLs not fetched. */
  record Crawl(String warcDir, List<Row> rejects) {}

  private CrawlBeforeIngest() {}

  static boolean enabled(RefineryConfig config) {
    return config.getBoolean(CrawlSettings.SECTION + ".enabled");
  }

  static Crawl run(RefineryConfig config, String runId, HostResolver resolver) {
    CrawlSettings settings = CrawlSettings.from(config);
    Path dir = settings.output().resolve(runId).toAbsolutePath();
    CrawlReport report;
    try {
      report = new Crawler(settings, dir, resolver).run();
    } catch (IOException e) {
      throw new RefineryException("crawl: cannot write WARC files under " + dir + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RefineryException("crawl interrupted");
    }
    List<Row> rejects = new ArrayList<>();
    for (CrawlEvent e : report.events()) {
      if (e.outcome() != CrawlEvent.Outcome.FETCHED) {
        rejects.add(RowFactory.create(DocIds.of(SOURCE, e.url(), ""), SOURCE,
            "crawl " + e.outcome().name().toLowerCase(Locale.ROOT) + ": " + e.reason(), Rejects.excerpt(e.url())));
      }
    }
    return new Crawl(dir.toUri().toString(), rejects);
  }
}
