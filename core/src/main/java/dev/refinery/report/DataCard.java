package dev.refinery.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML page (Chart.js inlined, no network needed) made of sections, each with text, tables
 * and charts. The page records in {@code <body data-charts-expected data-charts-rendered data-errors>} how
 * many charts it drew, the data points each chart drew (by title) and any script errors, which the browser
 * test reads.
 */
public final class DataCard {
  private static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";

  /** A titled part of the card. */
  public record Section(String title, String html, List<Chart> charts) {}

  private final String title;
  private final List<Section> sections = new ArrayList<>();

  public DataCard(String title) {
    this.title = title;
  }

  public void add(Section s) {
    sections.add(s);
  }

  public String render() {
    StringBuilder b = new StringBuilder(300_000);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}")
        .append("h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}")
        .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;")
        .append("text-align:right}td:first-child,th:first-child{text-align:left}")
        .append(".chart{position:relative;height:320px;margin:1em 0}.note{color:#666}")
        .append("</style>\n<script>window.__errors=[];window.addEventListener('error',e=>window.__errors.push(")
        .append("String(e.message)));const __ce=console.error;console.error=(...a)=>{window.__errors.push(")
        .append("a.join(' '));__ce(...a)};</script>\n<script>").append(chartJs()).append("</script>\n")
        .append("</head><body>\n<h1>").append(esc(title)).append("</h1>\n");
    List<Chart> all = new ArrayList<>();
    for (Section s : sections) {
      b.append("<section><h2>").append(esc(s.title())).append("</h2>\n").append(s.html()).append('\n');
      for (Chart c : s.charts()) {
        if (c.points() == 0) {
          continue; // nothing to draw (a column null throughout, such as a score no classifier wrote)
        }
        b.append("<div class=\"chart\"><canvas id=\"chart").append(all.size()).append("\" aria-label=\"")
            .append(esc(c.title())).append("\"></canvas></div>\n");
        all.add(c);
      }
      b.append("</section>\n");
    }
    b.append("<script>\nconst __configs=[");
    for (int i = 0; i < all.size(); i++) {
      b.append(i == 0 ? "" : ",\n").append(all.get(i).toJson().replace("</", "<\\/"));
    }
    b.append("];\nlet __rendered=0;const __points={};\n__configs.forEach((c,i)=>{try{const ch=new Chart(")
        .append("document.getElementById('chart'+i),c);if(ch&&ch.canvas&&ch.canvas.width>0)__rendered++;")
        .append("let n=0;ch.data.datasets.forEach((d,k)=>{n+=ch.getDatasetMeta(k).data.filter((e,j)=>")
        .append("d.data[j]!==null&&d.data[j]!==undefined&&Number.isFinite(e.x)&&Number.isFinite(e.y)).length});")
        .append("__points[c.options.plugins.title.text]=n;}")
        .append("catch(e){window.__errors.push('chart '+i+': '+e.message)}});\n")
        .append("document.body.dataset.chartsExpected=__configs.length;")
        .append("document.body.dataset.chartsRendered=__rendered;")
        .append("document.body.dataset.chartPoints=JSON.stringify(__points);")
        .append("document.body.dataset.errors=JSON.stringify(window.__errors);\n</script>\n</body></html>\n");
    return b.toString();
  }

  private static String chartJs() {
    try (InputStream in = DataCard.class.getClassLoader().getResourceAsStream(CHART_JS)) {
      if (in == null) {
        throw new IllegalStateException(CHART_JS + " is missing from the classpath (org.webjars.npm:chart.js)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** HTML-escapes text. */
  public static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** A simple HTML table: a header row and rows of cells (already strings). */
  public static String table(List<String> header, List<List<String>> rows) {
    StringBuilder b = new StringBuilder("<table><tr>");
    header.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr>");
    for (List<String> r : rows) {
      b.append("<tr>");
      r.forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
      b.append("</tr>");
    }
    return b.append("</table>").toString();
  }
}
