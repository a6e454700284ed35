package dev.refinery.ingest.html;

import java.util.IdentityHashMap;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * Characters of text and of link text under every element of a tree, counted in one pass (asking each
 * element for its text would cost time quadratic in the depth). Whitespace runs count as one character,
 * close to the length of jsoup's normalised {@code text()}.
 */
final class TextStats {
  private final Map<Element, int[]> counts = new IdentityHashMap<>();

  TextStats(Element root) {
    count(root, false);
  }

  private int[] count(Element e, boolean inLink) {
    boolean link = inLink || e.normalName().equals("a");
    int[] c = new int[2];
    for (Node n : e.childNodes()) {
      if (n instanceof TextNode tn) {
        int len = collapsedLength(tn.getWholeText());
        c[0] += len;
        if (link) {
          c[1] += len;
        }
      } else if (n instanceof Element child) {
        int[] sub = count(child, link);
        c[0] += sub[0];
        c[1] += sub[1];
      }
    }
    counts.put(e, c);
    return c;
  }

  private static int collapsedLength(String s) {
    int n = 0;
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == '\u00A0') {
        if (!space) {
          n++;
        }
        space = true;
      } else {
        n++;
        space = false;
      }
    }
    return n;
  }

  int chars(Element e) {
    int[] c = counts.get(e);
    return c == null ? 0 : c[0];
  }

  double linkDensity(Element e) {
    int[] c = counts.get(e);
    return c == null || c[0] == 0 ? 0 : Math.min(1.0, (double) c[1] / c[0]);
  }
}
