package dev.refinery.ingest.langid;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import dev.refinery.core.Document;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Language of a text with a score. Scripts used by one language only (Hangul, Thai, Greek, Georgian,
 * Sinhala, ...) decide directly; Han with or without Kana splits Japanese from Chinese, spelling splits
 * Tigrinya from Amharic, function words find Oromo; everything else is ranked by a trigram pass over lingua's
 * models for all languages of the script at once ({@link TrigramIndex}, lingua's low-accuracy scoring without
 * its per-language maps); a long text with a clear winner is decided there, otherwise the best 20 (on long
 * texts, those close to the best) are re-decided with lingua's 1- to 5-gram models held compactly
 * ({@link HighAccuracyScorer}), with OpenNLP's detector as a second opinion
 * inside groups of close languages ({@link CloseLanguages}) and the two norms' vocabularies between Bosnian and
 * Croatian ({@link BosnianCroatian}), function words between Basque and Latin ({@link BasqueLatin}). Text
 * with too few letters, no script with a third of them, or no clear winner is {@code und}; Latin under 60 %
 * of the letters gives way to the next script (names inside Urdu, Armenian, ... text).
 */
public final class LanguageIdentifier {
  /** Lingua's own low-accuracy detector, only in the former path ({@link #withLinguaFirstPass}); else null. */
  private final LanguageDetector lingua;
  private final CloseLanguages closeLanguages = new CloseLanguages();
  private final int minLetters;
  private final double minScore;
  /** Re-score every text (the former path, for comparisons) instead of deciding long clear texts early. */
  private final boolean alwaysRescore;
  private final int maxChars;
  /** Score given to OpenNLP's guess when the n-gram models had none (its maxent probabilities are not comparable). */
  private static final double FALLBACK_SCORE = 0.5;
  private static final double MARGIN_FOR_CERTAIN = 0.2;
  /**
   * Below this share for the commonest script the text is {@code und}. Between it and 1 the n-gram models
   * decide and the score is scaled by the share: Urdu lines with as many Latin letters as Arabic ones
   * (names, terms) are still Urdu to lingua, and a caller's min-score drops the unclear ones.
   */
  private static final double MIN_SCRIPT_SHARE = 0.3;
  /** A script with this share of the letters dominates; Latin below it gives way to the next script. */
  private static final double DOMINANT_SHARE = 0.6;
  private static final Character.UnicodeScript[] SCRIPTS = Character.UnicodeScript.values();
  private static final int LATIN = Character.UnicodeScript.LATIN.ordinal();
  private static final Pattern LATIN_LETTERS = Pattern.compile("\\p{IsLatin}+");
  /**
   * Lingua's best languages by trigrams that the 1- to 5-gram models re-decide among. Measured mean accuracy
   * (sentences/s): 3: 95.46, 5: 95.63 (1290), 10: 95.70, 20: 95.77 (960), all: 95.78 (800).
   */
  private static final int CANDIDATES = 20;
  /**
   * A text with this many distinct trigrams is long (a 500-character document sample has about 200; lingua's
   * test sentences mostly fewer): its trigram pass alone decides when the runner-up's relative confidence is
   * {@link #EARLY_MARGIN} or more behind, and only languages within {@link #CLOSE_WINDOW} of the best are
   * re-scored. Measured on 500-character paragraphs of the test sentences (79 languages, each half of every
   * file): mean accuracy 98.25 / 98.14 with or without either shortcut, 2.4x the paragraphs/s of early exit
   * alone with the window; sentence accuracy unchanged (96.10).
   */
  private static final int LONG_TEXT_TRIGRAMS = 150;
  private static final double EARLY_MARGIN = 0.05;
  private static final double CLOSE_WINDOW = 0.1;
  private static final List<Language> ALL_LANGUAGES = Arrays.stream(Language.values())
      .filter(l -> l != Language.UNKNOWN).toList();
  /** Close pairs decided by their marker words rather than by OpenNLP. */
  private static final List<MarkerWords> MARKER_PAIRS = List.of(BosnianCroatian.PAIR, BasqueLatin.PAIR);

  /**
   * @param minLetters fewer letters than this: {@code und}
   * @param minScore a best guess scoring below this: {@code und}
   * @param maxChars only this many leading characters are looked at (long documents)
   */
  public LanguageIdentifier(int minLetters, double minScore, int maxChars) {
    this(minLetters, minScore, maxChars, false);
  }

  private LanguageIdentifier(int minLetters, double minScore, int maxChars, boolean linguaFirstPass) {
    this.lingua = linguaFirstPass ? LanguageDetectorBuilder.fromAllLanguages().withLowAccuracyMode().build() : null;
    this.alwaysRescore = linguaFirstPass;
    this.minLetters = minLetters;
    this.minScore = minScore;
    this.maxChars = maxChars;
  }

  /**
   * The former path, for benchmarks comparing the two in one JVM: lingua's own low-accuracy trigram pass (75
   * MB of boxed models, its alphabet rules) ranks the candidates, and every text is re-scored.
   */
  public static LanguageIdentifier withLinguaFirstPass(int minLetters, double minScore, int maxChars) {
    return new LanguageIdentifier(minLetters, minScore, maxChars, true);
  }

  /** Defaults for per-sentence use: 3 letters, score 0, first 2,000 characters. */
  public LanguageIdentifier() {
    this(3, 0.0, 2000);
  }

  public LanguageGuess identify(String text) {
    if (text == null) {
      return undetermined();
    }
    String sample = text.length() > maxChars ? text.substring(0, maxChars) : text;
    // letters per script, by ordinal (ASCII letters are Latin: no range search for them)
    int[] scripts = new int[SCRIPTS.length];
    int letters = 0;
    for (int i = 0; i < sample.length(); ) {
      int cp = sample.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80 ? (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z' : Character.isLetter(cp)) {
        letters++;
        scripts[cp < 0x80 ? LATIN : Character.UnicodeScript.of(cp).ordinal()]++;
      }
    }
    if (letters < minLetters) {
      return undetermined();
    }
    int han = scripts[Character.UnicodeScript.HAN.ordinal()];
    int kana = scripts[Character.UnicodeScript.HIRAGANA.ordinal()] + scripts[Character.UnicodeScript.KATAKANA.ordinal()];
    int hangul = scripts[Character.UnicodeScript.HANGUL.ordinal()];
    // Han + Kana count as one writing system (Japanese), Hangul + Han as another (Korean)
    if (han + kana + hangul >= 0.6 * letters) {
      if (hangul >= 0.3 * (han + kana + hangul)) {
        return new LanguageGuess("ko", share(hangul + han, letters));
      }
      if (kana >= 0.05 * (han + kana)) {
        return new LanguageGuess("ja", share(han + kana, letters));
      }
      return new LanguageGuess("zh", share(han, letters));
    }
    int top = commonest(scripts, -1);
    double topShare = share(scripts[top], letters);
    if (topShare < MIN_SCRIPT_SHARE) {
      return undetermined();
    }
    if (top == LATIN && topShare < DOMINANT_SHARE) {
      // Latin mixed into another script is mostly names, terms and addresses: the other script carries the
      // language, so it decides without the Latin words
      int other = commonest(scripts, LATIN);
      if (scripts[other] > 0 && share(scripts[other], letters) >= MIN_SCRIPT_SHARE) {
        top = other;
        topShare = share(scripts[other], letters);
        sample = LATIN_LETTERS.matcher(sample).replaceAll(" ");
      }
    }
    Character.UnicodeScript script = SCRIPTS[top];
    String bySingleScript = singleLanguageScript(script);
    if (bySingleScript != null) {
      return new LanguageGuess(bySingleScript, topShare);
    }
    if (script == Character.UnicodeScript.ETHIOPIC) {
      return new LanguageGuess(EthiopicLanguages.decide(sample), topShare);
    }
    // lingua gives up on a whole text over one character outside its alphabets (zero-width joiners,
    // U+FFFD): it sees letters and marks only
    String lettersOnly = lettersOnly(sample);
    if (script == Character.UnicodeScript.LATIN && OromoWords.matches(lettersOnly)) {
      return new LanguageGuess("om", topShare);
    }
    TextNgrams ngrams = new TextNgrams(lettersOnly);
    List<Map.Entry<Language, Double>> ranked;
    if (lingua == null) {
      ranked = TrigramIndex.get().rank(ngrams, script);
    } else {
      ranked = lingua.computeLanguageConfidenceValues(lettersOnly).entrySet().stream()
          .sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).toList();
    }
    if (ranked.isEmpty()) {
      // no language of the script knows any of the text's n-grams (lingua's rules excluded every language
      // for some texts, e.g. rare Devanagari signs): ask OpenNLP
      return new LanguageGuess(closeLanguages.fallback(lettersOnly), FALLBACK_SCORE * topShare);
    }
    Map<Language, Double> confidences;
    boolean longText = !alwaysRescore && ngrams.distinctStarts(3).length >= LONG_TEXT_TRIGRAMS;
    double firstMargin = 1 - (ranked.size() > 1 ? ranked.get(1).getValue() : 0);
    if (longText && firstMargin >= EARLY_MARGIN
        && !RequiredLetters.filter(lettersOnly, List.of(ranked.get(0).getKey())).isEmpty()) {
      // the trigram pass alone is clear on a long text: its winner is certain
      confidences = Map.of(ranked.get(0).getKey(), 1.0);
    } else {
      // on a long text, languages far behind after the trigram pass do not come back: only the close ones
      // are re-scored
      confidences = rescore(ngrams, lettersOnly, ranked, longText ? 1 - CLOSE_WINDOW : 0);
    }
    Map.Entry<Language, Double> best = null;
    for (Map.Entry<Language, Double> e : confidences.entrySet()) {
      if (best == null || e.getValue() > best.getValue()) {
        best = e;
      }
    }
    if (best.getKey() == Language.UNKNOWN) {
      return undetermined();
    }
    // lingua's values are relative to the best (1.0): the margin to the runner-up says how clear the
    // choice was; a margin of MARGIN_FOR_CERTAIN or more counts as certain
    double second = 0;
    for (Map.Entry<Language, Double> e : confidences.entrySet()) {
      if (e.getKey() != best.getKey() && e.getValue() > second) {
        second = e.getValue();
      }
    }
    double score = Math.min(1.0, (best.getValue() - second) / MARGIN_FOR_CERTAIN) * topShare;
    if (score < minScore) {
      return undetermined();
    }
    String chosen = code(best.getKey());
    for (MarkerWords pair : MARKER_PAIRS) {
      if (pair.covers(chosen)) {
        return new LanguageGuess(pair.decide(chosen, lettersOnly), score);
      }
    }
    return new LanguageGuess(closeLanguages.decide(chosen, lettersOnly), score);
  }

  /**
   * Lingua's trigram-only choice re-decided among its {@link #CANDIDATES} best languages with the 1- to
   * 5-gram models ({@link HighAccuracyScorer}): high-accuracy scoring at a fraction of lingua's memory, and
   * only for languages still in the running.
   */
  private static Map<Language, Double> rescore(TextNgrams ngrams, String text,
      List<Map.Entry<Language, Double>> ranked, double floor) {
    List<Language> candidates = RequiredLetters.filter(text, ranked.stream().filter(e -> e.getValue() >= floor)
        .limit(CANDIDATES)
        .map(Map.Entry::getKey).toList());
    if (candidates.isEmpty()) {
      // lingua's alphabet rules named only languages the text cannot be (Ukrainian taken for Kazakh)
      candidates = RequiredLetters.filter(text, ALL_LANGUAGES);
    }
    if (candidates.size() == 1) {
      return Map.of(candidates.get(0), 1.0);
    }
    Map<Language, Double> high = HighAccuracyScorer.confidences(ngrams, candidates);
    if (high.isEmpty()) {
      high = new TreeMap<>();
      for (Map.Entry<Language, Double> e : ranked) {
        high.put(e.getKey(), e.getValue());
      }
    }
    return high;
  }

  /**
   * Reads every n-gram model now instead of on first use (each once per JVM) and returns the bytes they
   * hold: for callers that want the load time and memory up front.
   */
  public static long loadAllModels() {
    for (Language language : Language.values()) {
      NgramModels.of(language);
    }
    return NgramModels.loadedBytes();
  }

  /**
   * The text with every run of characters other than letters, marks, ASCII whitespace and apostrophes as one
   * space ({@code [^\p{L}\p{M}\s'’]+}), in one walk instead of a regex replacement.
   */
  static String lettersOnly(String text) {
    StringBuilder b = new StringBuilder(text.length());
    boolean inRun = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      boolean keep = switch (Character.getType(cp)) {
        case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
            Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
            Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> true;
        default -> cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x0B || cp == '\f' || cp == '\r' || cp == '\''
            || cp == '’';
      };
      if (keep) {
        b.appendCodePoint(cp);
        inRun = false;
      } else if (!inRun) {
        b.append(' ');
        inRun = true;
      }
    }
    return b.toString();
  }

  /** ISO 639-1 where the language has one, else ISO 639-3. */
  static String code(Language language) {
    IsoCode639_1 iso1 = language.getIsoCode639_1();
    if (iso1 != IsoCode639_1.NONE) {
      return iso1.toString().toLowerCase(Locale.ROOT);
    }
    return language.getIsoCode639_3().toString().toLowerCase(Locale.ROOT);
  }

  private static String singleLanguageScript(Character.UnicodeScript script) {
    return switch (script) {
      case THAI -> "th";
      case GREEK -> "el";
      case GEORGIAN -> "ka";
      case ARMENIAN -> "hy";
      case HEBREW -> "he";
      case SINHALA -> "si";
      case GUJARATI -> "gu";
      case GURMUKHI -> "pa";
      case TAMIL -> "ta";
      case TELUGU -> "te";
      case BENGALI -> "bn";
      case HANGUL -> "ko";
      case KHMER -> "km";
      case LAO -> "lo";
      case MYANMAR -> "my";
      case KANNADA -> "kn";
      case MALAYALAM -> "ml";
      case ORIYA -> "or";
      case TIBETAN -> "bo";
      default -> null;
    };
  }

  /** The ordinal of the script with the most letters (the first of equals), leaving out {@code except}. */
  private static int commonest(int[] scripts, int except) {
    int top = 0;
    int topCount = 0;
    for (int i = 0; i < scripts.length; i++) {
      if (i != except && scripts[i] > topCount) {
        top = i;
        topCount = scripts[i];
      }
    }
    return top;
  }

  private static double share(int part, int whole) {
    return whole == 0 ? 0 : Math.min(1.0, (double) part / whole);
  }

  private static LanguageGuess undetermined() {
    return new LanguageGuess(Document.UNDETERMINED, 0.0);
  }
}
