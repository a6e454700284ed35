package dev.refinery.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.ingest.html.ExtractedPage;
import dev.refinery.ingest.html.HtmlDecoder;
import dev.refinery.ingest.html.MainContentExtractor;
import dev.refinery.ingest.langid.LanguageIdentifier;
import dev.refinery.ingest.url.UrlNormalizer;
import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain-Java rooms of ingest: URL normalisation, charset decoding, main-content extraction, language ID. */
class PerDocumentRoomsTest {
  @Test
  void urlsAreNormalised() {
    UrlNormalizer n = new UrlNormalizer(List.of("utm_*", "fbclid", "gclid"));
    assertEquals("https://example.com/a/b?id=3",
        n.normalize("HTTPS://Example.COM:443/a/b?utm_source=x&id=3&fbclid=abc#section"));
    assertEquals("http://example.com:8080/", n.normalize("http://example.com:8080"));
    assertEquals("http://example.com/", n.normalize("http://example.com:80/?gclid=1"));
    assertEquals("not a url", n.normalize(" not a url "));
  }

  @Test
  void charsetComesFromHeaderThenMetaThenDetection() {
    byte[] latin = "<html><head><meta charset=\"iso-8859-1\"></head><body>Grüße</body></html>"
        .getBytes(Charset.forName("ISO-8859-1"));
    assertEquals("meta", HtmlDecoder.decode(latin, null).charsetSource());
    assertTrue(HtmlDecoder.decode(latin, null).text().contains("Grüße"));
    assertEquals("header", HtmlDecoder.decode(latin, "text/html; charset=windows-1252").charsetSource());
    byte[] utf8 = "<p>日本語のテキスト</p>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(HtmlDecoder.decode(utf8, null).text().contains("日本語"));
  }

  @Test
  void extractorKeepsArticleDropsBoilerplate() {
    String html = "<html><head><title>Rivers</title></head><body>"
        + "<div class=\"cookie-banner\">We use cookies to improve your experience. Accept all cookies?</div>"
        + "<nav><ul><li><a href=/>Home</a></li><li><a href=/news>News</a></li><li><a href=/about>About</a></li></ul></nav>"
        + "<div id=\"content\"><h1>Rivers of the north</h1>"
        + "<p>The northern rivers freeze for four months every year, and the towns along them depend on the ice roads "
        + "that form in January.</p><p>In spring the thaw brings floods, which the villages have learned to expect, "
        + "building their houses on stilts above the highest water marks recorded.</p>"
        + "<ul><li>Length: 1,200 km</li><li>Basin: 300,000 km²</li></ul>"
        + "<table><tr><td>Month</td><td>Flow</td></tr><tr><td>April</td><td>high</td></tr></table>"
        + "<pre>flow = area * speed</pre>"
        + "<h3>Related articles</h3><ul><li><a href=/1>Lakes</a></li><li><a href=/2>Seas</a></li>"
        + "<li><a href=/3>Glaciers</a></li></ul></div>"
        + "<div class=\"comments\"><p>Great article, thanks a lot for writing it, I learned so much today!</p></div>"
        + "<footer>© 2024 River Society. All rights reserved.</footer></body></html>";
    ExtractedPage page = new MainContentExtractor().extract(html, "https://example.com/rivers");
    assertEquals("Rivers", page.title());
    String t = page.text();
    assertTrue(t.contains("Rivers of the north"), t);
    assertTrue(t.contains("ice roads that form in January."), t);
    assertTrue(t.contains("- Length: 1,200 km"), t);
    assertTrue(t.contains("April\thigh"), t);
    assertTrue(t.contains("flow = area * speed"), t);
    for (String boiler : List.of("cookies", "Home", "Related articles", "Glaciers", "Great article", "River Society")) {
      assertFalse(t.contains(boiler), boiler + " leaked into: " + t);
    }
  }

  @Test
  void languagesAreIdentifiedWithIsoCodes() {
    LanguageIdentifier id = new LanguageIdentifier();
    assertEquals("en", id.identify("The weather was cold and the roads were covered in snow all week.").code());
    assertEquals("de", id.identify("Das Wetter war die ganze Woche kalt und die Straßen waren verschneit.").code());
    assertEquals("zh", id.identify("今天天气很好，我们一起去公园散步吧。").code());
    assertEquals("ja", id.identify("今日はとても良い天気なので、公園を散歩しましょう。").code());
    assertEquals("ko", id.identify("오늘은 날씨가 좋아서 공원에 산책하러 갑시다.").code());
    assertEquals("und", id.identify("ok").code());
    assertEquals("und", id.identify("12345 !!! ---").code());
    double score = id.identify("Ceci est une phrase française assez longue pour être reconnue.").score();
    assertTrue(score > 0 && score <= 1, "score " + score);
  }
}
