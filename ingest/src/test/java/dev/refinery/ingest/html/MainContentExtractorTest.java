package dev.refinery.ingest.html;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One small hand-written page per heuristic of {@link MainContentExtractor}. */
class MainContentExtractorTest {
  private static final String PROSE = "The river rises in the northern hills, where snow melts slowly through "
      + "late spring, and it carries the water south across farmland, past three old mill towns, and into the "
      + "wide estuary that gave the region its name. ";
  private final MainContentExtractor extractor = new MainContentExtractor();

  private String text(String body) {
    return extractor.extract("<html><head><title>T</title></head><body>" + body + "</body></html>",
        "https://example.com/page").text();
  }

  @Test
  void boilerplateWordBeatsContentWordAndCamelCaseIsSplit() {
    String t = text("<div class='entry-content'><p>" + PROSE + "</p><p>" + PROSE + "</p>"
        + "<div class='entry-meta'>Posted in Rivers by Admin</div>"
        + "<div class='relatedPosts'><p>Glaciers of the south, a short history of ice</p></div></div>"
        + "<div class='site'>" + "<p>Other page text that is long enough to count for something here.</p>".repeat(3)
        + "</div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Posted in Rivers"), t);
    assertFalse(t.contains("Glaciers of the south"), t);
  }

  @Test
  void longProseOutweighsABoilerplateClassWord() {
    String t = text("<div class='article'><div class='sharingContainer'><p>" + PROSE.repeat(5) + "</p></div></div>"
        + "<ul class='other'>" + "<li><a href='/x'>Unrelated link text about something else entirely</a></li>".repeat(40)
        + "</ul>");
    assertTrue(t.contains("estuary that gave the region"), t);
  }

  @Test
  void markedUpArticleInsideAnAsideIsKept() {
    String t = text("<main><aside class='layout'><article><p>" + PROSE + "</p><p>" + PROSE + "</p></article></aside>"
        + "</main><aside><p>Sidebar: subscribe to our newsletter for weekly updates.</p></aside>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Sidebar"), t);
  }

  @Test
  void pageWhoseOnlyTextIsClassedAsCommentsFallsBackToTheLenientPass() {
    String t = text("<div class='forumComment'><div class='commentText'>" + PROSE + "</div></div>"
        + "<div class='forumComment'><div class='commentText'>A reply that agrees with the first post, and adds "
        + "that the estuary silts up a little more every year, so the harbour moved twice already.</div></div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertTrue(t.contains("A reply that agrees"), t);
  }

  @Test
  void commentSectionIsDroppedWhenThereIsAnArticle() {
    String t = text("<article><p>" + PROSE + "</p><p>" + PROSE + "</p></article>"
        + "<div id='comments'><p>Great article, thanks a lot for writing it all down!</p></div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Great article"), t);
  }

  @Test
  void linkDenseSectionInsideTheArticleIsDropped() {
    String t = text("<article><p>" + PROSE + "</p><section><h3>Read next</h3>"
        + "<p><a href='/a'>Glaciers and their retreat</a> · <a href='/b'>Floods of 1910</a> · "
        + "<a href='/c'>The mill towns</a></p></section><p>" + PROSE + "</p></article>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Floods of 1910"), t);
    assertFalse(t.contains("Read next"), t);
  }

  @Test
  void divWithOnlyTextAndLineBreaksCountsAsAParagraph() {
    String t = text("<div class='col1'><ul>" + "<li><a href='/x'>Menu entry</a></li>".repeat(8) + "</ul></div>"
        + "<div class='col2'><div class='txt'>" + PROSE + "<br>" + PROSE + "<br>" + PROSE + "</div></div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Menu entry"), t);
  }

  @Test
  void imageCaptionsAreDropped() {
    String t = text("<article><p>" + PROSE + "</p><figure><figcaption>Photo: J. Doe / Agency</figcaption></figure>"
        + "<p>" + PROSE + "</p></article>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Photo: J. Doe"), t);
  }

  @Test
  void articleElementMissingMostParagraphTextIsNotTheRoot() {
    String t = text("<article class='teaser'><p>Teaser: a short text about glaciers in the region, with a link.</p>"
        + "<p>Another teaser line that belongs to a promo box for other stories.</p></article>"
        + "<div class='story'><p>" + PROSE + "</p><p>" + PROSE + "</p><p>" + PROSE + "</p></div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Teaser: a short text"), t);
  }

  @Test
  void bodyWrappedInNoscriptIsKept() {
    String t = text("<noscript><div class='page'><p>" + PROSE + "</p><p>" + PROSE + "</p></div></noscript>"
        + "<noscript><p>Please enable JavaScript.</p></noscript>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("enable JavaScript"), t);
  }

  @Test
  void relatedArticlesHeadingAndWidgetLabelsAreDroppedByTheirWording() {
    String t = text("<div><p>" + PROSE + "</p><p>" + PROSE + "</p><h3>Das könnte Sie auch interessieren</h3>"
        + "<p>Anzeige</p><p>Diesen Artikel teilen</p><h4>Ähnliche Beiträge:</h4>"
        + "<p>Read more about the river in our series, which covers every mill town.</p></div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("interessieren"), t);
    assertFalse(t.contains("Anzeige"), t);
    assertFalse(t.contains("teilen"), t);
    assertFalse(t.contains("Ähnliche"), t);
    // a sentence that merely starts like a label is prose
    assertTrue(t.contains("Read more about the river"), t);
  }

  @Test
  void pictureCreditsAndBareLabelsAreDropped() {
    String t = text("<div><p>" + PROSE + "</p><p>Foto: Agentur / J. Doe</p><p>" + PROSE + "</p>"
        + "<p>© 2022 Example News</p><p>Kontakt:</p><p>Quelle: Landesamt</p>"
        + "<p>Die wichtigsten Fakten in drei Punkten:</p></div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Agentur"), t);
    assertFalse(t.contains("Example News"), t);
    assertFalse(t.contains("Kontakt"), t);
    // a label with its value, and a longer lead-in ending in a colon, are text
    assertTrue(t.contains("Quelle: Landesamt"), t);
    assertTrue(t.contains("in drei Punkten:"), t);
  }

  @Test
  void aBlockThatIsOneLinkIsATeaserCard() {
    String t = text("<div><p>" + PROSE + "</p><div class='embed'><a href='/other'><div>Menetekel</div>"
        + "<div>The other river: how the delta was drained in the last century</div></a></div><p>" + PROSE
        + "</p><div>See the <a href='/map'>map of the region</a> for the mill towns along the water.</div></div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("how the delta was drained"), t);
    // a link inside a sentence is text
    assertTrue(t.contains("map of the region"), t);
  }

  @Test
  void callsToActionAreDroppedOnlyInTheBackHalf() {
    String t = text("<div><p>The club decided to subscribe to the regional newsletter, and members voted on it.</p>"
        + "<p>" + PROSE + "</p><p>" + PROSE + "</p>"
        + "<p>Follow The Daily River on Twitter and Facebook for more stories.</p>"
        + "<p>© 2022 Daily River. This article is copyrighted; written permission is required to reprint it.</p></div>");
    assertTrue(t.contains("subscribe to the regional newsletter"), t);
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Follow The Daily River"), t);
    assertFalse(t.contains("written permission"), t);
  }

  @Test
  void layoutTableRowsAreRenderedBlockByBlock() {
    String menu = "<ul>" + "<li><a href='/a'>Section link</a></li>".repeat(6) + "</ul>";
    String t = text("<table><tr><td><p>" + PROSE + "</p>" + menu + "</td>"
        + "<td><p>" + PROSE + "</p><table><tr><td>Depth</td><td>12 m</td></tr></table></td></tr></table>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("Section link"), t);
    // a data table still gives one line per row
    assertTrue(t.contains("Depth\t12 m"), t);
  }

  @Test
  void pageTitleRepeatedAboveTheTextIsReturnedOnlyAsTheTitle() {
    ExtractedPage page = extractor.extract("<html><head><title>Floods: The river rises again | Daily River</title>"
        + "</head><body><div><h1>Floods: the river rises again</h1><h2>The river rises again, and the mills"
        + " close</h2><p>" + PROSE + "</p><p>" + PROSE + "</p></div></body></html>", "https://example.com/a");
    assertTrue(page.title().contains("Floods"), page.title());
    assertFalse(page.text().contains("Floods"), page.text());
    // a subtitle that only shares words with the title is text
    assertTrue(page.text().contains("the mills close"), page.text());
    assertTrue(page.text().contains("estuary that gave the region"), page.text());
  }

  @Test
  void textWrittenStraightIntoADivBesideAnImageBoxIsTheArticle() {
    String t = text("<div class='notice'><p>This website uses cookies and other technology to enhance the quality of"
        + " service, and continued use of it will be considered as consent to the policy.</p></div>"
        + "<div class='body_txt'><div class='img_box'><p>Photo : Agency</p></div>"
        + PROSE + "<br><br>" + PROSE + "<br><br>" + PROSE + "</div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("uses cookies"), t);
  }

  @Test
  void listOfHeadlineLinksWithBlurbsIsATeaserList() {
    String teaser = "<li><a href='/t'>Another headline about the delta and its mills</a> A blurb that sums up the"
        + " other story in a sentence or two, unlinked.</li>";
    String t = text("<div><p>" + PROSE + "</p><ul><li>Flour, the first trade of the mill towns</li>"
        + "<li><a href='/wool'>Wool</a>, carried down to the estuary by barge</li><li>Timber</li></ul><p>" + PROSE
        + "</p><ul>" + teaser.repeat(4) + "</ul></div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertTrue(t.contains("carried down to the estuary by barge"), t);
    assertFalse(t.contains("Another headline"), t);
  }

  @Test
  void linesThatAreOnlyADateOrTimeAreDropped() {
    String t = text("<div><p>Aktualisiert am 17.01.2021</p><p>" + PROSE + "</p><p>asked Feb 6, 2014 at 20:37</p><p>"
        + PROSE + "</p><p>On 12 March 2021 the river rose above the old mill.</p><p>Frischhaltefolie</p></div>");
    assertTrue(t.contains("estuary that gave the region"), t);
    assertFalse(t.contains("17.01.2021"), t);
    assertFalse(t.contains("20:37"), t);
    // a sentence with a date, and a word that starts like a weekday, are text
    assertTrue(t.contains("On 12 March 2021 the river rose"), t);
    assertTrue(t.contains("Frischhaltefolie"), t);
  }
}
