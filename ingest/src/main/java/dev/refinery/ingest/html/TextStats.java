package dev.refinery.ingest.html;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Characters of text and of link text under every element of a tree, counted in one pass (asking each
 * element for its text would cost time quadratic in the depth). Whitespace runs count as one character,
 * close to the length of jsoup's normalised {@code text()}.
 */
final class TextStats {
  private final Map<Element, int[]> counts = new IdentityHashMap<>();

  /** Counts without recursion: a page nested 100,000 elements deep must not overflow the stack. */
  TextStats(Element root) {
    Deque<int[]> open = new ArrayDeque<>();
    int[] openLinks = {0};
    NodeTraversor.traverse(new NodeVisitor() {
      @Override
      public void head(Node n, int depth) {
        if (n instanceof Element e) {
          open.push(new int[2]);
          if (e.normalName().equals("a")) {
            openLinks[0]++;
          }
        } else if (n instanceof TextNode tn && !open.isEmpty()) {
          int len = collapsedLength(tn.getWholeText());
          int[] c = open.peek();
          c[0] += len;
          if (openLinks[0] > 0) {
            c[1] += len;
          }
        }
      }

      @Override
      public void tail(Node n, int depth) {
        if (n instanceof Element e) {
          int[] c = open.pop();
          counts.put(e, c);
          if (!open.isEmpty()) {
            open.peek()[0] += c[0];
            open.peek()[1] += c[1];
          }
          if (e.normalName().equals("a")) {
            openLinks[0]--;
          }
        }
      }
    }, root);
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
