package dev.refinery.ingest.html;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * lists; keeps headings, paragraphs, list items, tables (one row per line, cells tab-separated) and code
 * blocks. Three passes over the jsoup DOM: strip what is boilerplate by its tag, role or class/id; pick the
 * content root (a semantic container if the page has one, else the block where the paragraph text
 * concentrates, readability style); render it block by block, dropping blocks that are mostly links.
 * Stateless and thread-safe.
 */
public final class MainContentExtractor {
  private static final Set<String> DROP_TAGS = Set.of("script", "style", "noscript", "template", "iframe", "svg",
      "canvas", "object", "embed", "button", "input", "select", "textarea", "option", "nav", "aside", "footer",
      "dialog", "menu", "link", "meta", "head", "img", "picture", "video", "audio", "map", "label", "time");
  private static final Set<String> DROP_ROLES = Set.of("navigation", "banner", "contentinfo", "complementary",
      "menu", "menubar", "search", "dialog", "alertdialog", "toolbar", "tablist");
  /** Class/id words that mark boilerplate (matched as whole tokens of the class or id, split on - _ and space). */
  private static final Pattern BOILERPLATE_TOKEN = Pattern.compile(
      "nav|navbar|navigation|menu|menubar|submenu|footer|foot|sidebar|side|widget|widgets|breadcrumb|breadcrumbs"
      + "|cookie|cookies|consent|gdpr|banner|ad|ads|advert|advertisement|adsense|sponsor|sponsored|promo"
      + "|share|sharing|social|sociallinks|shariff|addthis|comment|comments|respond|reply|disqus|related"
      + "|recommended|newsletter|subscribe|subscription|popup|modal|overlay|skip|pagination|pager|paging"
      + "|tags|tagcloud|taglist|categories|byline|author|meta|postmeta|entry-meta|dateline|date|timestamp"
      + "|print|rating|toolbar|masthead|topbar|login|signup|search|teaser|teasers|more|links|sitemap|copyright"
      + "|legal|disclaimer|hidden|sr-only|visually-hidden|screen-reader-text|tooltip|jump|back-to-top");
  private static final Pattern COMMENT_TOKEN = Pattern.compile("comment|comments|disqus|respond|reply");
  private static final double MAX_CLASS_DROP_SHARE = 0.4;
  private static final Pattern TOKEN_SPLIT = Pattern.compile("[\\s_-]+");
  /** Class/id words that mark the content container (trump a boilerplate word on the same element). */
  private static final Pattern CONTENT_TOKEN = Pattern.compile(
      "content|article|articlebody|entry|post|story|main|text|body|blog|hentry|prose|markdown");
  private static final Set<String> BLOCK_TAGS = Set.of("p", "div", "section", "article", "main", "header",
      "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot",
      "tr", "pre", "blockquote", "figure", "figcaption", "form", "fieldset", "address", "center", "hr", "br",
      "details", "summary", "caption");
  private static final Set<String> PARAGRAPH_TAGS = Set.of("p", "pre", "td", "blockquote", "dd", "li", "h2",
      "h3", "h4");
  private static final int MIN_MAIN_CHARS = 250;
  private static final Pattern HEADING = Pattern.compile("h[1-6]");
  /** A paragraph or list item shorter than this and mostly link text is navigation, not content. */
  private static final int LINK_BLOCK_MAX_CHARS = 150;
  private static final double LINK_BLOCK_DENSITY = 0.6;
  /** Descend into a child while it holds at least this share of its parent's paragraph score. */
  private static final double DESCEND_SHARE = 0.75;

  public ExtractedPage extract(String html, String url) {
    Document doc = Jsoup.parse(html == null ? "" : html, url == null ? "" : url);
    String title = title(doc);
    Element body = doc.body();
    if (body == null) {
      return new ExtractedPage(title, "");
    }
    strip(body);
    Element root = contentRoot(body);
    String text = render(root);
    if (root != body && text.length() < MIN_MAIN_CHARS) {
      String whole = render(body);
      if (whole.length() > 2 * text.length()) {
        text = whole;
      }
    }
    return new ExtractedPage(title, text);
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

  private static void strip(Element body) {
    List<Node> comments = new ArrayList<>();
    body.traverse((node, depth) -> {
      if (node instanceof Comment) {
        comments.add(node);
      }
    });
    comments.forEach(Node::remove);
    List<Element> drop = new ArrayList<>();
    int bodyChars = body.text().length();
    for (Element e : body.getAllElements()) {
      if (e != body && isBoilerplate(e, bodyChars)) {
        drop.add(e);
      }
    }
    for (Element e : drop) {
      e.remove();
    }
  }

  private static boolean isBoilerplate(Element e, int bodyChars) {
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
    if (tag.equals("header") && e.closest("article, main") == null) {
      return true;
    }
    if (tag.equals("body") || tag.equals("html") || tag.equals("article") || tag.equals("main")) {
      return false;
    }
    String classes = (e.className() + " " + e.id()).toLowerCase(Locale.ROOT);
    if (classes.isBlank()) {
      return false;
    }
    boolean boiler = false;
    boolean comments = false;
    for (String token : TOKEN_SPLIT.split(classes)) {
      if (CONTENT_TOKEN.matcher(token).matches()) {
        return false;
      }
      boiler |= BOILERPLATE_TOKEN.matcher(token).matches();
      comments |= COMMENT_TOKEN.matcher(token).matches();
    }
    // a class word is weak evidence: a wrapper holding most of the page ("page-ad-margins") stays,
    // unless it is a comment section, which can outgrow the article
    return boiler && (comments || e.text().length() < MAX_CLASS_DROP_SHARE * bodyChars);
  }

  // ---- pass 2: find the content root

  private static Element contentRoot(Element body) {
    int bodyChars = textLength(body);
    if (bodyChars == 0) {
      return body;
    }
    for (String selector : List.of("[itemprop=articleBody]", "article", "[role=main]", "main")) {
      Elements found = body.select(selector);
      if (found.isEmpty()) {
        continue;
      }
      Element best = found.size() == 1 ? found.first() : commonAncestorOrLargest(found);
      if (textLength(best) >= 0.2 * bodyChars && textLength(best) >= MIN_MAIN_CHARS / 2) {
        return best;
      }
    }
    return densestBlock(body);
  }

  private static Element commonAncestorOrLargest(Elements found) {
    Element largest = found.first();
    for (Element e : found) {
      if (textLength(e) > textLength(largest)) {
        largest = e;
      }
    }
    return largest;
  }

  /**
   * Scores every paragraph-like block by its length and commas, discounted by its link share, and sums the
   * scores up the tree; then walks down from the body while one child holds most of the score. Stops at
   * the smallest element that still holds the bulk of the paragraph text, leaving side columns behind.
   */
  private static Element densestBlock(Element body) {
    Map<Element, Double> scores = new IdentityHashMap<>();
    for (Element p : body.getAllElements()) {
      if (!PARAGRAPH_TAGS.contains(p.normalName())) {
        continue;
      }
      String text = ownBlockText(p);
      if (text.length() < 25) {
        continue;
      }
      double score = (1 + countCommas(text) + Math.min(3, text.length() / 100.0)) * (1 - linkDensity(p));
      for (Element up = p; up != null; up = up.parent()) {
        scores.merge(up, score, Double::sum);
        if (up == body) {
          break;
        }
      }
    }
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

  /** Text of a block without nested paragraph-like blocks (they are scored on their own). */
  private static String ownBlockText(Element p) {
    if (p.select("p, li, td, pre, blockquote").size() <= 1) {
      return p.text();
    }
    StringBuilder b = new StringBuilder();
    for (Node n : p.childNodes()) {
      if (n instanceof TextNode tn) {
        b.append(tn.text());
      } else if (n instanceof Element e && !PARAGRAPH_TAGS.contains(e.normalName())
          && e.select("p, li, td, pre, blockquote").isEmpty()) {
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
    int total = e.text().length();
    if (total == 0) {
      return 0;
    }
    int links = 0;
    for (Element a : e.select("a")) {
      links += a.text().length();
    }
    return Math.min(1.0, (double) links / total);
  }

  // ---- pass 3: render blocks as text

  private static String render(Element root) {
    BlockWriter out = new BlockWriter();
    renderInto(root, out);
    return collapseBlankLines(out.finish());
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
      String piece = t.replaceAll("\\s+", " ");
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
    if (tag.equals("tr")) {
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
    if ((tag.equals("ul") || tag.equals("ol") || tag.equals("div") || tag.equals("dl")) && isLinkList(e)) {
      out.dropPendingHeadings();
      return;
    }
    if (HEADING.matcher(tag).matches()) {
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

  /** A list or container whose visible text is nearly all link text in short items: a menu or tag list. */
  private static boolean isLinkList(Element e) {
    if (e.select("a").size() < 3) {
      return false;
    }
    String text = e.text();
    if (text.length() > 2000) {
      return false;
    }
    return linkDensity(e) > 0.8;
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
    return s == null ? "" : s.replace('\u00A0', ' ').replaceAll("\\s+", " ").strip();
  }
}
