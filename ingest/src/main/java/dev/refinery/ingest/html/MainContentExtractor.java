package dev.refinery.ingest.html;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;

/**
 * Main text of a web page, without navigation, menus, footers, cookie banners, comments, ads and link
 * lists; keeps headings, paragraphs, list items, data tables (one row per line, cells tab-separated) and code
 * blocks. Three passes over the jsoup DOM: strip what is boilerplate by its tag, role or class/id; pick the
 * content root (a semantic container if the page has one, else the block where the paragraph text
 * concentrates, readability style); render it block by block, dropping blocks that are mostly links and
 * lines that are furniture by their wording ({@link BoilerplateLines}). The title is returned on its own.
 * Stateless and thread-safe.
 */
public final class MainContentExtractor {
  /** Tags that never hold main text. */
  private static final Set<String> DROP_TAGS = Set.of("script", "style", "template", "iframe", "svg",
      "canvas", "object", "embed", "button", "input", "select", "textarea", "option", "dialog", "menu", "link",
      "meta", "head", "img", "picture", "video", "audio", "map", "label", "time", "figcaption", "fieldset",
      "legend");
  /**
   * Page-structure tags that are boilerplate unless they wrap the article (some themes put it in an aside,
   * old pages their whole body in a noscript).
   */
  private static final Set<String> STRUCTURE_TAGS = Set.of("nav", "aside", "footer", "header", "noscript");
  private static final Set<String> DROP_ROLES = Set.of("navigation", "banner", "contentinfo", "complementary",
      "menu", "menubar", "search", "dialog", "alertdialog", "toolbar", "tablist");
  /** Semantic markers of the article, most specific first. */
  private static final List<String> ARTICLE_SELECTORS = List.of("[itemprop=articleBody]", "article", "[role=main]",
      "main");
  /** A class word is weak evidence: an element holding this share of the page text is a wrapper, not a widget. */
  private static final double MAX_CLASS_DROP_SHARE = 0.4;
  private static final Set<String> BLOCK_TAGS = Set.of("p", "div", "section", "article", "main", "header",
      "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot",
      "tr", "pre", "blockquote", "figure", "figcaption", "form", "fieldset", "address", "center", "hr", "br",
      "details", "summary", "caption");
  private static final Set<String> PARAGRAPH_TAGS = Set.of("p", "pre", "td", "blockquote", "dd", "li", "h2",
      "h3", "h4");
  private static final int MIN_MAIN_CHARS = 250;
  private static final double MIN_ARTICLE_SCORE_SHARE = 0.5;
  /** Containers dropped whole when they are mostly link text: menus, tag lists, related-article teasers. */
  private static final Set<String> LIST_LIKE = Set.of("ul", "ol", "div", "dl", "section", "table", "p");
  private static final double LINK_LIST_DENSITY = 0.6;
  /** A short container that is all link text, even a single link, is a card for another page (an embed). */
  private static final int LINK_CARD_MAX_CHARS = 300;
  private static final double LINK_CARD_DENSITY = 0.9;
  private static final int TEASER_LIST_MIN_ITEMS = 3;
  private static final int TEASER_HEADLINE_MIN_CHARS = 20;
  /** A strict result shorter than this is suspect enough to try the lenient pass (short posts exist). */
  private static final int FALLBACK_BELOW_CHARS = 100;
  private static final int PROSE_MIN_CHARS = 800;
  private static final double PROSE_MAX_LINK_DENSITY = 0.3;
  private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  /** The title is looked for in this many first lines, and only when at least this long (not "News"). */
  private static final int TITLE_LINES = 2;
  private static final int MIN_TITLE_CHARS = 15;
  private static final Pattern NON_WORD = Pattern.compile("[\\W_]+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final String LAYOUT_CELL_BLOCKS = "p, div, ul, ol, table, h1, h2, h3, h4, h5, h6, blockquote, pre";
  /** A paragraph or list item shorter than this and mostly link text is navigation, not content. */
  private static final int LINK_BLOCK_MAX_CHARS = 150;
  private static final double LINK_BLOCK_DENSITY = 0.6;
  /** Descend into a child while it holds at least this share of its parent's paragraph score. */
  private static final double DESCEND_SHARE = 0.75;

  public ExtractedPage extract(String html, String url) {
    String source = html == null ? "" : html;
    Document doc = Jsoup.parse(source, url == null ? "" : url);
    String title = title(doc);
    Element body = doc.body();
    if (body == null) {
      return new ExtractedPage(title, "");
    }
    strip(body, true);
    Element root = contentRoot(body);
    String text = render(root);
    if (text.length() < FALLBACK_BELOW_CHARS) {
      text = lenientFallback(source, url, text);
    }
    return new ExtractedPage(title, withoutTitleLine(text, title));
  }

  /**
   * Second try for a page whose strict pass left almost nothing (class words on the wrapper of the only
   * text, a forum whose posts are "comments"): strip by tag only, take the densest block, else the whole
   * body. Kept only if it finds clearly more text, as trafilatura's fallback extractors are.
   */
  private static String lenientFallback(String html, String url, String strict) {
    Element body = Jsoup.parse(html, url == null ? "" : url).body();
    if (body == null) {
      return strict;
    }
    strip(body, false);
    String text = render(densestBlock(body, paragraphScores(body)));
    if (text.length() < MIN_MAIN_CHARS) {
      String whole = render(body);
      text = whole.length() > 2 * text.length() ? whole : text;
    }
    return text.length() > 2 * strict.length() ? text : strict;
  }

  /**
   * The text without the page title repeated in its first lines (the h1 above the article): the title is
   * returned on its own, and a copy in the text is a headline, not body text.
   */
  private static String withoutTitleLine(String text, String title) {
    String t = comparable(title);
    if (t.isEmpty()) {
      return text;
    }
    String[] lines = text.split("\n", TITLE_LINES + 1);
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      String line = comparable(lines[i]);
      boolean isTitle = i < TITLE_LINES && line.length() >= MIN_TITLE_CHARS && t.contains(line);
      if (!isTitle) {
        b.append(lines[i]).append('\n');
      }
    }
    return b.toString().strip();
  }

  /** Lower-cased words, punctuation runs as one space: "Skoda: Der Weg" and "skoda der weg" compare equal. */
  private static String comparable(String s) {
    return NON_WORD.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
  }

  private static String title(Document doc) {
    Element og = doc.selectFirst("meta[property=og:title]");
    if (og != null && !og.attr("content").isBlank()) {
      return clean(og.attr("content"));
    }
    String t = clean(doc.title());
    if (!t.isEmpty()) {
      return t;
    }
    Element h1 = doc.selectFirst("h1");
    return h1 == null ? "" : clean(h1.text());
  }

  // ---- pass 1: strip boilerplate

  /** Removes boilerplate elements; by tag, role and visibility always, by class/id words when asked. */
  private static void strip(Element body, boolean byClassWords) {
    List<Node> comments = new ArrayList<>();
    body.traverse((node, depth) -> {
      if (node instanceof Comment) {
        comments.add(node);
      }
    });
    comments.forEach(Node::remove);
    Set<Element> protectedChain = articleChain(body);
    List<Element> drop = new ArrayList<>();
    TextStats stats = new TextStats(body);
    int bodyChars = stats.chars(body);
    for (Element e : body.getAllElements()) {
      if (e != body && !protectedChain.contains(e) && isBoilerplate(e, stats, bodyChars, byClassWords)) {
        drop.add(e);
      }
    }
    for (Element e : drop) {
      e.remove();
    }
  }

  /**
   * The largest semantically marked article container and its ancestors: a class word or structure tag on
   * them ("aside" around the article, "has-sidebar" on the page wrapper) must not remove the article itself.
   */
  private static Set<Element> articleChain(Element body) {
    Set<Element> chain = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (String selector : ARTICLE_SELECTORS) {
      Elements found = body.select(selector);
      if (!found.isEmpty()) {
        Element best = largest(found);
        if (textLength(best) >= MIN_MAIN_CHARS / 2) {
          for (Element up = best; up != null && up != body; up = up.parent()) {
            chain.add(up);
          }
          return chain;
        }
      }
    }
    return chain;
  }

  private static boolean isBoilerplate(Element e, TextStats stats, int bodyChars, boolean byClassWords) {
    String tag = e.normalName();
    if (DROP_TAGS.contains(tag)) {
      return true;
    }
    if (e.hasAttr("hidden") || "true".equals(e.attr("aria-hidden"))) {
      return true;
    }
    String style = e.attr("style").toLowerCase(Locale.ROOT).replace(" ", "");
    if (style.contains("display:none") || style.contains("visibility:hidden")) {
      return true;
    }
    if (DROP_ROLES.contains(e.attr("role").toLowerCase(Locale.ROOT))) {
      return true;
    }
    if (tag.equals("body") || tag.equals("html")) {
      return false;
    }
    boolean small = stats.chars(e) < MAX_CLASS_DROP_SHARE * bodyChars;
    if (STRUCTURE_TAGS.contains(tag) && !(tag.equals("header") && e.closest("article, main") != null)) {
      return small;
    }
    if (!byClassWords) {
      return false;
    }
    return switch (ClassWords.judge(e)) {
      // a comment section can outgrow the article, so its size does not protect it
      case COMMENTS -> !tag.equals("article") && !tag.equals("main");
      case STRONG_BOILERPLATE, WEAK_BOILERPLATE -> small && !tag.equals("article") && !tag.equals("main")
          && !isProse(e, stats);
      case NONE -> false;
    };
  }

  /** Long text with few links: the text itself outweighs a class word ("article-sharing-container"). */
  private static boolean isProse(Element e, TextStats stats) {
    return stats.chars(e) >= PROSE_MIN_CHARS && stats.linkDensity(e) < PROSE_MAX_LINK_DENSITY;
  }

  // ---- pass 2: find the content root

  private static Element contentRoot(Element body) {
    int bodyChars = textLength(body);
    if (bodyChars == 0) {
      return body;
    }
    Map<Element, Double> scores = paragraphScores(body);
    double bodyScore = scores.getOrDefault(body, 0.0);
    for (String selector : ARTICLE_SELECTORS) {
      Elements found = body.select(selector);
      if (found.isEmpty()) {
        continue;
      }
      Element best = largest(found);
      int bestChars = textLength(best);
      // a marked-up container that misses most of the page's paragraph text is a teaser or a widget
      if (bestChars >= 0.2 * bodyChars && bestChars >= MIN_MAIN_CHARS / 2
          && scores.getOrDefault(best, 0.0) >= MIN_ARTICLE_SCORE_SHARE * bodyScore) {
        return best;
      }
    }
    return densestBlock(body, scores);
  }

  /** The first of the elements with the longest text (each element's text is built once). */
  private static Element largest(Elements found) {
    Element largest = null;
    int largestLength = -1;
    for (Element e : found) {
      int length = textLength(e);
      if (length > largestLength) {
        largest = e;
        largestLength = length;
      }
    }
    return largest;
  }

  /** Paragraph scores summed up the tree (see {@link #densestBlock}). */
  private static Map<Element, Double> paragraphScores(Element body) {
    TextStats stats = new TextStats(body);
    Map<Element, Double> scores = new IdentityHashMap<>();
    for (Element p : body.getAllElements()) {
      String text;
      if (PARAGRAPH_TAGS.contains(p.normalName()) || isTextDiv(p)) {
        text = ownBlockText(p);
      } else if (p.normalName().equals("div")) {
        text = looseText(p);
      } else {
        continue;
      }
      if (text.length() < 25) {
        continue;
      }
      double score = (1 + countCommas(text) + Math.min(3, text.length() / 100.0)) * (1 - stats.linkDensity(p));
      for (Element up = p; up != null; up = up.parent()) {
        scores.merge(up, score, Double::sum);
        if (up == body) {
          break;
        }
      }
    }
    return scores;
  }

  /**
   * Scores every paragraph-like block by its length and commas, discounted by its link share, and sums the
   * scores up the tree; then walks down from the body while one child holds most of the score. Stops at
   * the smallest element that still holds the bulk of the paragraph text, leaving side columns behind.
   */
  private static Element densestBlock(Element body, Map<Element, Double> scores) {
    Element at = body;
    while (true) {
      double here = scores.getOrDefault(at, 0.0);
      Element bestChild = null;
      double bestScore = 0;
      for (Element c : at.children()) {
        double s = scores.getOrDefault(c, 0.0);
        if (s > bestScore) {
          bestChild = c;
          bestScore = s;
        }
      }
      if (bestChild == null || bestScore < DESCEND_SHARE * here) {
        return at;
      }
      at = bestChild;
    }
  }

  /** A div holding only text and inline markup is a paragraph written without {@code <p>} (readability). */
  private static boolean isTextDiv(Element e) {
    if (!e.normalName().equals("div")) {
      return false;
    }
    for (Element c : e.children()) {
      if (BLOCK_TAGS.contains(c.normalName()) && !c.normalName().equals("br")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Text written straight into a div that also holds blocks (an image box above text lines split by br):
   * paragraphs without any paragraph markup, scored like one so the article is not lost to a widget.
   */
  private static String looseText(Element div) {
    return childText(div, e -> !BLOCK_TAGS.contains(e.normalName()));
  }

  /** Text of a block without nested paragraph-like blocks (they are scored on their own). */
  private static String ownBlockText(Element p) {
    if (p.select("p, li, td, pre, blockquote").size() <= 1) {
      return p.text();
    }
    return childText(p, e -> !PARAGRAPH_TAGS.contains(e.normalName())
        && e.select("p, li, td, pre, blockquote").isEmpty());
  }

  /** The parent's own text nodes and the text of those child elements that {@code keep} accepts, in order. */
  private static String childText(Element parent, Predicate<Element> keep) {
    StringBuilder b = new StringBuilder();
    for (Node n : parent.childNodes()) {
      if (n instanceof TextNode tn) {
        b.append(tn.text());
      } else if (n instanceof Element e && keep.test(e)) {
        b.append(e.text());
      }
    }
    return b.toString().strip();
  }

  private static int countCommas(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == '，' || c == '、' || c == '。') {
        n++;
      }
    }
    return n;
  }

  private static int textLength(Element e) {
    return e.text().length();
  }

  private static double linkDensity(Element e) {
    return linkDensity(e.select("a"), e.text().length());
  }

  /** Share of {@code total} characters of text that is the text of {@code anchors}. */
  private static double linkDensity(Elements anchors, int total) {
    if (total == 0) {
      return 0;
    }
    int links = 0;
    for (Element a : anchors) {
      links += a.text().length();
    }
    return Math.min(1.0, (double) links / total);
  }

  // ---- pass 3: render blocks as text

  private static String render(Element root) {
    BlockWriter out = new BlockWriter();
    renderInto(root, out);
    return BoilerplateLines.strip(collapseBlankLines(out.finish()));
  }

  /**
   * Text output that holds headings back until body text follows them: a heading whose section turned
   * out empty or was a link list ("Related articles", "More on this") is dropped with it.
   */
  private static final class BlockWriter {
    private final StringBuilder out = new StringBuilder();
    private final List<String> pendingHeadings = new ArrayList<>();

    void heading(String text) {
      pendingHeadings.add(text);
    }

    void dropPendingHeadings() {
      pendingHeadings.clear();
    }

    void block(String text) {
      flushHeadings();
      newline();
      out.append(text);
      newline();
    }

    void inline(String t) {
      flushHeadings();
      String piece = WHITESPACE.matcher(t).replaceAll(" ");
      if (out.length() == 0 || out.charAt(out.length() - 1) == '\n') {
        piece = piece.stripLeading();
      }
      out.append(piece);
    }

    void newline() {
      if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
        out.append('\n');
      }
    }

    private void flushHeadings() {
      for (String h : pendingHeadings) {
        newline();
        out.append(h);
        newline();
      }
      pendingHeadings.clear();
    }

    String finish() {
      return out.toString();
    }
  }

  private static void renderInto(Element e, BlockWriter out) {
    String tag = e.normalName();
    if (tag.equals("pre")) {
      out.block(e.wholeText().strip());
      return;
    }
    if (tag.equals("tr") && !isLayoutRow(e)) {
      List<String> cells = new ArrayList<>();
      for (Element cell : e.children()) {
        String t = clean(cell.text());
        if (!t.isEmpty()) {
          cells.add(t);
        }
      }
      if (!cells.isEmpty()) {
        out.block(String.join("\t", cells));
      }
      return;
    }
    if (LIST_LIKE.contains(tag) && isLinkList(e) || isTeaserList(e)) {
      out.dropPendingHeadings();
      return;
    }
    if (HEADINGS.contains(tag)) {
      String t = clean(inlineText(e));
      if (!t.isEmpty()) {
        out.heading(t);
      }
      return;
    }
    if (tag.equals("p") || tag.equals("li") || tag.equals("dd") || tag.equals("dt")) {
      String t = clean(inlineText(e));
      if (!t.isEmpty() && !(t.length() < LINK_BLOCK_MAX_CHARS && linkDensity(e) > LINK_BLOCK_DENSITY)) {
        out.block(tag.equals("li") ? "- " + t : t);
      }
      return;
    }
    boolean block = BLOCK_TAGS.contains(tag);
    if (block) {
      out.newline();
    }
    for (Node child : e.childNodes()) {
      if (child instanceof TextNode tn) {
        String t = tn.text();
        if (!t.isBlank()) {
          out.inline(t);
        }
      } else if (child instanceof Element ce) {
        renderInto(ce, out);
      }
    }
    if (block) {
      out.newline();
    }
  }

  /**
   * A list whose every item starts with a headline-long link followed by a blurb: teasers for other
   * articles. Its link density stays low (the blurbs are not links), so the link-list test misses it.
   */
  private static boolean isTeaserList(Element e) {
    String tag = e.normalName();
    if (!tag.equals("ul") && !tag.equals("ol") && !tag.equals("div") && !tag.equals("section")) {
      return false;
    }
    Elements items = e.children();
    if (items.size() < TEASER_LIST_MIN_ITEMS) {
      return false;
    }
    for (Element li : items) {
      Element first = li.selectFirst("a");
      String text = li.text();
      if (first == null || first.text().length() < TEASER_HEADLINE_MIN_CHARS || !text.startsWith(first.text())
          || text.length() < first.text().length() + TEASER_HEADLINE_MIN_CHARS) {
        return false;
      }
    }
    return true;
  }

  /**
   * A table row whose cells hold paragraphs, lists or nested tables is page layout, not data: its cells are
   * rendered block by block (so menus and link lists inside are filtered) instead of joined into one line.
   */
  private static boolean isLayoutRow(Element tr) {
    for (Element cell : tr.children()) {
      if (!cell.select(LAYOUT_CELL_BLOCKS).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A list or container whose visible text is nearly all link text in short items: a menu or tag list; or a
   * short block that is wholly one or two links: a teaser card for another article.
   */
  private static boolean isLinkList(Element e) {
    Elements anchors = e.select("a");
    int links = anchors.size();
    if (links == 0) {
      return false;
    }
    int chars = e.text().length();
    if (links < 3) {
      return chars <= LINK_CARD_MAX_CHARS && linkDensity(anchors, chars) >= LINK_CARD_DENSITY;
    }
    if (chars > 2000) {
      return false;
    }
    return linkDensity(anchors, chars) > LINK_LIST_DENSITY;
  }

  /** Text of an element with nested blocks (e.g. a list inside a list item) flattened to one line. */
  private static String inlineText(Element e) {
    StringBuilder b = new StringBuilder();
    e.traverse((node, depth) -> {
      if (node instanceof TextNode tn) {
        b.append(tn.text());
      } else if (node instanceof Element el && (el.normalName().equals("br") || BLOCK_TAGS.contains(el.normalName()))) {
        b.append(' ');
      }
    });
    return b.toString();
  }

  private static String collapseBlankLines(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (String line : s.split("\n")) {
      String l = line.strip();
      if (!l.isEmpty()) {
        b.append(l).append('\n');
      }
    }
    return b.toString().strip();
  }

  private static String clean(String s) {
    return s == null ? "" : WHITESPACE.matcher(s.replace('\u00A0', ' ')).replaceAll(" ").strip();
  }
}
