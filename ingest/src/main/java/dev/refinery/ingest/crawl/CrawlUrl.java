package dev.refinery.ingest.crawl;

import java.net.URI;
import java.util.List;

/**
 * A URL waiting in the frontier.
 *
 * @param depth link steps from a seed (a redirect keeps its source's depth)
 * @param redirectedFrom the redirect chain that led here, oldest first (empty for seeds and links)
 */
record CrawlUrl(URI uri, int depth, List<URI> redirectedFrom) {}
