package dev.refinery.ingest.html;

import java.util.regex.Pattern;

/**
 * Rendered lines that are page furniture by their wording alone, whatever markup carried them: the
 * heading of a related-articles block, an ad label, a share/comment/back-to-list widget, a photo credit.
 * Such short strings survive the structural passes when the block around them is dropped but they sit
 * outside it, or when the theme gives them no telling class. Whole-line matches only, in the manner of
 * jusText's stop phrases, so a sentence that merely contains "read more" is kept.
 */
final class BoilerplateLines {
  /** A longer line is prose, even if it starts like a label. */
  private static final int MAX_PHRASE_CHARS = 60;
  private static final int MAX_CAPTION_CHARS = 200;
  private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

  /** Headings that introduce teasers for other pages, not part of this one. */
  private static final String RELATED = String.join("|",
      "(related|similar) (articles?|posts?|stories|content|news|topics|reading)",
      "you (may|might) (also )?(like|enjoy|be interested in)",
      "(recommended|suggested) (for you|articles?|reading|stories|posts)",
      "read (also|next|more)", "also read", "see also", "further reading", "don'?t miss", "keep reading",
      "more (stories|news|articles|posts|on this( topic)?|from .{1,30}|about .{1,30}|in .{1,30})",
      "(most )?popular (posts|articles|stories)", "most (read|viewed|popular)", "trending( now)?",
      "latest (news|posts|articles|stories)",
      "ähnliche (beiträge|artikel|themen|posts|rezepte|produkte)",
      "verwandte (beiträge|artikel|themen|themenbereiche|links)",
      "(das|diese[sr]?) (thema|themen|artikel|beiträge?) (könnte|könnten) (sie|dich|euch) (auch|ebenfalls) interessieren",
      "(das|dies) könnte (sie|dich|euch) (auch|ebenfalls) interessieren",
      "(sie|du) könnte(st|n)? (auch|ebenfalls) .{0,40}interessier.{0,10}",
      "auch interessant", "(ebenfalls|auch) lesenswert", "mehr (zum|zu diesem) thema( .{1,30})?", "mehr themen",
      "weitere (artikel|beiträge|themen|nachrichten|meldungen|news|geschichten|tourentipps|rezepte)( .{1,40})?",
      "lesen sie (auch|mehr|weiter)( .{1,40})?", "lies auch", "zum weiterlesen", "schon gelesen",
      "meist ?gelesen(e artikel)?", "top[- ]artikel", "(unsere |redaktions)?empfehlungen( (der|aus der) redaktion)?",
      "neueste (beiträge|artikel)", "aktuelle (beiträge|artikel|nachrichten)",
      "(à|a) lire aussi", "lire aussi", "sur le même (sujet|thème)", "articles? (similaires|liés|connexes)",
      "voir aussi", "dans la même rubrique", "vous (aimerez|pourriez) aussi( aimer)?",
      "(también )?te (puede|podría) interesar", "(noticias|artículos|notas) relacionad[ao]s", "lee también",
      "lea también", "más noticias", "mira también", "puedes ver",
      "zobacz (również|też|także)", "czytaj (też|także|również)", "polecamy", "podobne artykuły",
      "leggi anche", "articoli correlati", "potrebbe interessarti", "lees ook", "gerelateerde artikelen");

  /** Labels of ads, sharing, comment, navigation, tagging, contact and rating widgets. */
  private static final String WIDGET_LABELS = String.join("|",
      "advertisement", "advert", "sponsored( content)?", "anzeige", "\\*?werbung", "affiliate[- ]?links?",
      "anuncio", "publicidad", "publicité", "reklama", "pubblicità",
      "share( this( article| post| story| page)?)?", "share on .{1,20}", "teilen",
      "(diesen )?(artikel|beitrag|seite|news) teilen", "jetzt teilen", "weiterempfehlen", "artikel empfehlen",
      "partager( cet article)?", "compartir", "comparte( esta noticia)?", "udostępnij",
      "comments?", "(\\d+ )?kommentare?", "kommentare? (schreiben|verfassen|hinzufügen)",
      "kommentare (sind )?geschlossen", "(bisher |noch )?keine kommentare( vorhanden)?",
      "leave a (comment|reply)", "(post|add|write) a comment", "comments are closed", "no comments( yet)?",
      "commentaires", "comentarios", "komentarze",
      "back( to (top|overview|list))?", "zurück( zur (übersicht|startseite|liste|listenansicht)| nach oben| zum seitenanfang)?",
      "nach oben", "to top", "top", "retour", "volver",
      "tags", "schlagw(orte|örter)", "stichw(orte|örter)", "themen( im artikel)?", "topics", "filed under",
      "kategorien?", "categories", "category",
      "kontakt", "contact( us)?", "impressum", "newsletter", "(zum |jetzt )?newsletter (anmelden|abonnieren|bestellen)",
      "subscribe( now)?", "sign up( now)?", "abonnieren",
      "(mehr|weiter) lesen", "weiterlesen", "read more", "en savoir plus", "leer más", "czytaj (więcej|dalej)",
      "mehr( erfahren| infos)?", "learn more", "more",
      "drucken", "print( this)?", "e-?mail", "pdf",
      "war (dieser|der) (artikel|beitrag) (hilfreich|nützlich)",
      "(dieser|der) (artikel|beitrag) (gefällt|hat) (ihnen|dir)( gefallen)?", "was this (article|page|post) helpful",
      "(noch )?keine bewertungen", "(\\d+ )?bewertungen", "bewerten", "rate this",
      "produktempfehlung", "über den autor", "über die autorin", "about the author", "zur person", "autoreninfo",
      "bild anzeigen", "bild schließen", "quellen (anzeigen|ausblenden)", "vergrößern", "galerie", "zoom");

  private static final Pattern PHRASE = Pattern.compile(
      "(" + RELATED + "|" + WIDGET_LABELS + ")\\s*[:?!.…]*", FLAGS);

  /** Picture credits and captions that lost their figcaption markup ("Foto: dpa", "© Getty Images"). */
  private static final Pattern CAPTION = Pattern.compile(
      "\\(?(foto|fotos|bild|bilder|photo|photos|image|credit|credits|crédits? photos?|photo credit|bildquelle"
          + "|quelle: foto|titelbild|beitragsbild|abbildung( \\d+)?|fig(ure|\\.)? ?\\d*|imagen|zdjęcie|fot\\.)\\s*[:|]"
          + "|©|\\(c\\)|copyright\\b",
      FLAGS);

  /**
   * A label of one or two words ending in a colon with nothing after it ("Kontakt:", "Quelle:"): what it
   * labelled sat in a widget that was dropped, or it heads a contact or source box.
   */
  private static final Pattern BARE_LABEL = Pattern.compile("\\W*\\w+(\\s\\w+)?\\s*:",
      FLAGS | Pattern.UNICODE_CHARACTER_CLASS);

  /**
   * Calls to follow, subscribe or download the app, and reprint notices: in a short paragraph in the back
   * half of the text they are the publisher's trailer; earlier, an article may be about them.
   */
  private static final Pattern CALL_TO_ACTION = Pattern.compile("\\b(" + String.join("|",
      "follow (us|\\w+( \\w+){0,2}) on (twitter|facebook|instagram)", "folg(en sie|t) uns", "sign(ing)? up (for|to)",
      "subscribe (to|now)", "newsletter", "abonnier", "download (the|our) .{0,30}apps?", "s[ií]guenos",
      "suscr[ií]bete", "subskrypc", "werden sie mitglied", "unterstütze", "support (our|us)", "copyright",
      "all rights reserved", "alle rechte vorbehalten", "written permission", "we may (receive|earn)", "commission")
      + ")", FLAGS);
  private static final int MAX_TRAILER_CHARS = 300;
  private static final double TRAILER_FROM = 0.5;

  /** A line that is only a date or time, with at most a label ("Aktualisiert am 17.01.2021", "20:37"). */
  private static final String MONTH = "(jan(uar|uary)?|feb(ruar|ruary)?|mär(z)?|mar(ch)?|apr(il)?|mai|may|jun[ie]?"
      + "|jul[iy]?|aug(ust)?|sep(t(ember)?)?|okt(ober)?|oct(ober)?|nov(ember)?|dez(ember)?|dec(ember)?|janvier"
      + "|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo"
      + "|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\\.?";
  private static final String DATE_LABEL = "(am|on|le|el|den|um|at|uhr|posted( on)?|published( on)?|updated( on)?"
      + "|aktualisiert( am)?|veröffentlicht( am)?|erstellt( am)?|stand|letzte änderung|zuletzt (aktualisiert|geändert)"
      + "( am)?|publié le|mis à jour le|publicado( el)?|actualizado( el)?|publikacja|aktualizacja|asked|answered"
      + "|edited|datum|date|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch"
      + "|donnerstag|freitag|samstag|sonntag)";
  private static final String DATE_TOKEN = "(\\d{1,4}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{1,2}\\.? " + MONTH + "( \\d{2,4})?|"
      + MONTH + " \\d{1,2},? \\d{4}|\\d{1,2}:\\d{2}( ?(am|pm|uhr|h))?)";
  private static final Pattern DATE_LINE = Pattern.compile(
      "(?=.*\\d)([\\s,.:|/·–-]*(" + DATE_LABEL + "|" + DATE_TOKEN + ")\\b)+[\\s,.:|/·–-]*",
      FLAGS | Pattern.UNICODE_CHARACTER_CLASS);

  private BoilerplateLines() {}

  /** Whether a rendered line (list bullet included) is boilerplate by its wording. */
  static boolean isBoilerplate(String line) {
    String s = line.strip();
    if (s.startsWith("- ")) {
      s = s.substring(2).strip();
    }
    if (s.length() <= MAX_PHRASE_CHARS && (PHRASE.matcher(s).matches() || BARE_LABEL.matcher(s).matches()
        || DATE_LINE.matcher(s).matches())) {
      return true;
    }
    return s.length() < MAX_CAPTION_CHARS && CAPTION.matcher(s).lookingAt();
  }

  /** The text without its boilerplate lines. */
  static String strip(String text) {
    StringBuilder b = new StringBuilder(text.length());
    int at = 0;
    for (String line : text.split("\n")) {
      boolean trailer = at >= TRAILER_FROM * text.length() && line.length() < MAX_TRAILER_CHARS
          && CALL_TO_ACTION.matcher(line).find();
      at += line.length() + 1;
      if (!trailer && !isBoilerplate(line)) {
        b.append(line).append('\n');
      }
    }
    return b.toString().strip();
  }
}
