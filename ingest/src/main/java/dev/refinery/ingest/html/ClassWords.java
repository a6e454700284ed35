package dev.refinery.ingest.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.nodes.Element;

/**
 * What the class and id words of an element say about it: boilerplate (strong or weak evidence), a comment
 * section, or the content container. Words are the class/id split on space, '-', '_' and camelCase humps
 * ("relatedPosts" is "related posts"), lower-cased; a few glued words common in CMS themes are listed whole.
 */
final class ClassWords {
  /** Words that name a page part that is never main text, even next to a content word ("entry-meta"). */
  private static final Set<String> STRONG = Set.of("nav", "navbar", "navigation", "menu", "menubar", "submenu",
      "footer", "sidebar", "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "gdpr",
      "share", "sharing", "social", "sociallinks", "shariff", "addthis", "sharedaddy", "addtoany", "comment",
      "comments", "respond", "reply", "disqus", "related", "relatedposts", "yarpp", "recommended", "recommendations",
      "newsletter", "subscribe", "subscription", "popup", "modal", "pagination", "pager", "paging", "tags",
      "tagcloud", "taglist", "tagged", "byline", "author", "postmeta", "meta", "dateline", "rating", "toolbar",
      "masthead", "login", "signup", "copyright", "disclaimer", "utility", "sr", "visually", "screen", "paywall",
      "outbrain", "taboola", "promo", "advert", "advertisement", "adsense", "sponsored", "credits", "credit",
      "caption", "infobox", "skyscraper", "banner", "popular", "trending", "latest", "crosslinks", "keywords", "legend", "next", "prev", "previous", "socials", "backlink", "btn",
      "button", "print");
  /** Words that suggest boilerplate but also occur on content wrappers; a content word overrides them. */
  private static final Set<String> WEAK = Set.of("widget", "widgets", "foot", "side", "ad", "ads", "sponsor", "more", "links",
      "sitemap", "legal", "hidden", "search", "skip", "jump", "tooltip", "date", "timestamp", "overlay",
      "categories", "category", "back", "tools", "readmore", "aside", "teaser", "teasers");
  private static final Set<String> COMMENT = Set.of("comment", "comments", "disqus", "respond", "reply");
  private static final Set<String> CONTENT = Set.of("content", "article", "articlebody", "entry", "post", "story",
      "main", "text", "body", "blog", "hentry", "prose", "markdown", "richtext", "rte");

  enum Verdict { NONE, WEAK_BOILERPLATE, STRONG_BOILERPLATE, COMMENTS }

  private ClassWords() {}

  static List<String> words(Element e) {
    List<String> out = new ArrayList<>();
    split(e.className(), out);
    split(e.id(), out);
    return out;
  }

  /**
   * Adds the lower-cased words of {@code raw}: runs between ASCII whitespace, '_' and '-', also split where a
   * lower-case ASCII letter meets an upper-case one (the regex {@code [\s_-]+|(?<=[a-z])(?=[A-Z])}, walked).
   */
  private static void split(String raw, List<String> out) {
    int start = 0;
    for (int i = 0; i <= raw.length(); i++) {
      char c = i < raw.length() ? raw.charAt(i) : ' ';
      boolean separator = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == '_'
          || c == '-';
      boolean hump = !separator && i > start && c >= 'A' && c <= 'Z' && raw.charAt(i - 1) >= 'a'
          && raw.charAt(i - 1) <= 'z';
      if (separator || hump) {
        if (i > start) {
          out.add(raw.substring(start, i).toLowerCase(Locale.ROOT));
        }
        start = separator ? i + 1 : i;
      }
    }
  }

  static Verdict judge(Element e) {
    boolean strong = false;
    boolean weak = false;
    boolean content = false;
    boolean comments = false;
    for (String w : words(e)) {
      comments |= COMMENT.contains(w);
      strong |= STRONG.contains(w);
      weak |= WEAK.contains(w);
      content |= CONTENT.contains(w);
    }
    if (comments) {
      return Verdict.COMMENTS;
    }
    if (strong) {
      return Verdict.STRONG_BOILERPLATE;
    }
    return weak && !content ? Verdict.WEAK_BOILERPLATE : Verdict.NONE;
  }
}
