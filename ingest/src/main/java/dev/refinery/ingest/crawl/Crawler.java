package dev.refinery.ingest.crawl;

import dev.refinery.ingest.crawl.CrawlEvent.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A polite crawl from seeds and sitemaps into WARC files. One coordinating thread owns the frontier, the
 * per-origin politeness state and the WARC writer; up to {@code concurrency} worker threads do the network
 * I/O, one request at a time per origin, waiting the origin's delay (default or robots.txt Crawl-delay)
 * between two requests. Every URL passes the SSRF guard when discovered and again, with DNS, right before
 * its fetch; redirects are new frontier entries, so each hop is guarded, robots-checked and paced.
 */
public final class Crawler {
  private static final Logger LOG = LoggerFactory.getLogger(Crawler.class);
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final CrawlSettings settings;
  private final Path outputDir;
  private final AddressPolicy policy;
  private final HttpFetcher fetcher;
  private final RobotsFetcher robots;

  /** @param outputDir where this crawl's WARC files go (created; existing crawl-*.warc.gz are overwritten) */
  public Crawler(CrawlSettings settings, Path outputDir, HostResolver resolver) {
    this.settings = settings;
    this.outputDir = outputDir;
    this.policy = new AddressPolicy(settings.allow(), resolver);
    this.fetcher = HttpFetcher.of(settings);
    this.robots = new RobotsFetcher(policy, fetcher, settings);
  }

  /** The outcome of one worker task: robots rules for an origin, or one page fetch. */
  private record Done(HostQueue host, CrawlUrl url, HostRules rules, FetchedResponse response, String refused,
      String failed) {}

  public CrawlReport run() throws IOException, InterruptedException {
    List<CrawlEvent> events = new ArrayList<>();
    Map<String, Long> notFollowed = new TreeMap<>();
    Frontier frontier = new Frontier();
    Set<String> scope = new HashSet<>();
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
      Thread t = new Thread(r, "crawl-fetch-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    CompletionService<Done> done = new ExecutorCompletionService<>(pool);
    try (CrawlWarcWriter warc = new CrawlWarcWriter(outputDir, settings.warcMaxBytes(), settings.userAgent())) {
      List<URI> seeds = new ArrayList<>();
      settings.seeds().forEach(s -> seeds.add(URI.create(s)));
      seeds.addAll(new SitemapSeeds(policy, fetcher, settings.maxBodyBytes(), settings.defaultDelay().toMillis())
          .urls(settings.sitemaps(), e -> record(events, e)));
      for (URI seed : seeds) {
        scope.add(Frontier.origin(seed));
        admit(frontier, events, new CrawlUrl(seed, 0, List.of()));
      }
      int pagesStarted = 0;
      int inFlight = 0;
      while (true) {
        long now = System.nanoTime();
        HostQueue host;
        while (inFlight < settings.concurrency() && (host = frontier.nextReady(now)) != null) {
          if (host.rules == null) {
            HostQueue h = host;
            URI page = h.pending.peek().uri();
            done.submit(() -> new Done(h, null, robots.fetch(page), null, null, null));
          } else {
            CrawlUrl url = host.pending.poll();
            String refusal = host.rules.refusal(url.uri().toString());
            if (refusal != null) {
              record(events, CrawlEvent.notFetched(url.uri().toString(), Outcome.REFUSED, refusal, url.depth()));
              continue;
            }
            if (pagesStarted >= settings.maxPages()) {
              host.pending.addFirst(url); // left for the page-limit report below
              break;
            }
            pagesStarted++;
            HostQueue h = host;
            done.submit(() -> fetchPage(h, url));
          }
          host.busy = true;
          inFlight++;
        }
        if (inFlight == 0 && (pagesStarted >= settings.maxPages() || frontier.nanosUntilReady(now) < 0)) {
          break;
        }
        long wait = frontier.nanosUntilReady(now);
        Future<Done> next = done.poll(wait <= 0 ? IDLE_WAIT_NANOS : Math.min(wait, IDLE_WAIT_NANOS),
            TimeUnit.NANOSECONDS);
        if (next != null) {
          inFlight--;
          handle(result(next), frontier, events, notFollowed, scope, warc);
        }
      }
      for (CrawlUrl left : frontier.drain()) {
        record(events, CrawlEvent.notFetched(left.uri().toString(), Outcome.SKIPPED,
            "page limit reached (ingest.crawl.max-pages = " + settings.maxPages() + ")", left.depth()));
      }
      return new CrawlReport(List.copyOf(events), Map.copyOf(notFollowed), warc.files());
    } finally {
      pool.shutdownNow();
    }
  }

  private Done fetchPage(HostQueue host, CrawlUrl url) {
    try {
      return new Done(host, url, null, fetcher.get(policy.destination(url.uri()), settings.maxBodyBytes()), null,
          null);
    } catch (Refusal e) {
      return new Done(host, url, null, null, e.reason(), null);
    } catch (IOException | RuntimeException e) {
      return new Done(host, url, null, null, null, Failures.describe(e));
    }
  }

  private static Done result(Future<Done> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) { // tasks catch their own failures; anything else is a bug
      throw new IllegalStateException(e.getCause());
    }
  }

  private void handle(Done d, Frontier frontier, List<CrawlEvent> events, Map<String, Long> notFollowed,
      Set<String> scope, CrawlWarcWriter warc) throws IOException {
    if (d.rules() != null) {
      d.host().rules = d.rules();
      if (d.rules().deny() != null) {
        LOG.warn("crawl: origin {} not crawled: {}", d.host().origin, d.rules().deny());
      }
      d.host().finished(System.nanoTime(), settings.defaultDelay().toMillis());
      return;
    }
    d.host().finished(System.nanoTime(), settings.defaultDelay().toMillis());
    CrawlUrl url = d.url();
    String u = url.uri().toString();
    if (d.refused() != null) {
      record(events, CrawlEvent.notFetched(u, Outcome.REFUSED, d.refused(), url.depth()));
      return;
    }
    if (d.failed() != null) {
      record(events, CrawlEvent.notFetched(u, Outcome.FAILED, d.failed(), url.depth()));
      return;
    }
    FetchedResponse r = d.response();
    String file = warc.write(r);
    String truncated = switch (r.truncated()) {
      case NOT_TRUNCATED -> null;
      case LENGTH -> "body truncated at ingest.crawl.max-body-bytes";
      default -> "body truncated (" + r.truncated().name().toLowerCase(java.util.Locale.ROOT) + ")";
    };
    record(events, new CrawlEvent(u, Outcome.FETCHED, truncated, r.status(), r.body().length, url.depth(), file));
    if (r.isRedirect()) {
      redirect(url, r.header("Location").orElseThrow(), frontier, events, scope);
    } else if (r.status() >= 200 && r.status() < 300) {
      Set<URI> links;
      try {
        links = LinkExtractor.links(r);
      } catch (IOException | RuntimeException e) { // the page is kept; only its links are lost, and counted
        notFollowed.merge("pages whose links could not be parsed", 1L, Long::sum);
        return;
      }
      if (url.depth() >= settings.maxDepth()) {
        notFollowed.merge("links on pages at ingest.crawl.max-depth", (long) links.size(), Long::sum);
        return;
      }
      for (URI link : links) {
        if (!settings.followExternalLinks() && !scope.contains(Frontier.origin(link))) {
          notFollowed.merge("links to other hosts (ingest.crawl.follow-external-links = false)", 1L, Long::sum);
        } else {
          admit(frontier, events, new CrawlUrl(link, url.depth() + 1, List.of()));
        }
      }
    }
  }

  private void redirect(CrawlUrl from, String location, Frontier frontier, List<CrawlEvent> events,
      Set<String> scope) {
    URI target;
    try {
      target = from.uri().resolve(new URI(location.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      record(events, CrawlEvent.notFetched(location, Outcome.REFUSED, "malformed redirect Location", from.depth()));
      return;
    }
    List<URI> chain = new ArrayList<>(from.redirectedFrom());
    chain.add(from.uri());
    if (chain.contains(target)) {
      record(events, CrawlEvent.notFetched(target.toString(), Outcome.REFUSED, "redirect loop", from.depth()));
    } else if (chain.size() > settings.maxRedirects()) {
      record(events, CrawlEvent.notFetched(target.toString(), Outcome.REFUSED,
          "more than ingest.crawl.max-redirects = " + settings.maxRedirects() + " redirects", from.depth()));
    } else {
      if (target.getScheme() != null && target.getRawAuthority() != null) {
        scope.add(Frontier.origin(target)); // a seed that moves takes its scope along
      }
      admit(frontier, events, new CrawlUrl(target, from.depth(), List.copyOf(chain)));
    }
  }

  /** Adds a URL seen for the first time, unless the guard refuses it already without DNS. */
  private void admit(Frontier frontier, List<CrawlEvent> events, CrawlUrl url) {
    if (!frontier.firstSight(url.uri())) {
      return;
    }
    try {
      policy.precheck(url.uri());
      frontier.add(url);
    } catch (Refusal e) {
      record(events, CrawlEvent.notFetched(url.uri().toString(), Outcome.REFUSED, e.reason(), url.depth()));
    }
  }

  private static void record(List<CrawlEvent> events, CrawlEvent e) {
    events.add(e);
    if (e.outcome() == Outcome.REFUSED || e.outcome() == Outcome.FAILED) {
      LOG.warn("crawl: {} {}: {}", e.outcome().name().toLowerCase(java.util.Locale.ROOT), e.url(), e.reason());
    }
  }
}
