package dev.refinery.ingest.langid;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Oromo (Afaan Oromoo), which lingua has no model for, from its grammar and its Latin orthography (Qubee):
 * a word counts 1 when it is a common Oromo function word, pronoun, copula/auxiliary or everyday noun, and
 * 1/2 when it only carries a typical Oromo suffix (locative -tti, instrumental -dhaan, plural -oota/-wwan,
 * abstract -ummaa, perfect -eera, dative -uuf/-aaf, ...); Oromo's digraphs ch, ny, ph are no evidence
 * (Shona, Zulu and Xhosa write them too: 13 Shona sentences taken for Oromo). Somali, the Latin-script
 * neighbour with similar spelling (double vowels, x, q, c, dh), has its own function words (iyo, ayaa,
 * waxaa, ...), which count against. Text with letters outside Qubee (diacritics) is never Oromo, nor is
 * text without a doubled (long) vowel. Oromo needs a fifth of the words, more than twice Somali's count,
 * and 2 points (1 when no Somali word is present).
 */
final class OromoWords {
  private static final Set<String> OROMO = Set.of("fi", "kan", "kana", "kanaa", "kanaan", "kanaaf", "kanaafuu",
      "kanneen", "kun", "kunis", "sun", "sana", "sanaan", "sanaaf", "isa", "isaa", "isaan", "isaanii", "isaaniin",
      "isaaf", "inni", "isheen", "ishiin", "ishee", "isii", "ani", "ana", "ati", "sii", "nuti", "nu", "nuyi", "nuu",
      "keenya", "keessan", "kee", "kiyya", "koo", "ofii", "akka", "akkas", "akkasumas", "akkuma", "akkam", "akkaataa",
      "garuu", "malee", "yookiin", "yookaan", "immoo", "ammoo", "illee", "moo", "yoo", "yeroo", "erga", "osoo",
      "otoo", "hanga", "hamma", "ennaa", "eega", "booda", "dura", "keessa", "keessatti", "keessaa", "irratti", "irra",
      "irraa", "gara", "jala", "jalatti", "bira", "biratti", "duuba", "waliin", "wajjin", "wajjiin", "gidduu",
      "karaa", "alatti", "fuuldura", "cinaa", "hunda", "hundi", "hundaa", "tokko", "tokkoo", "lama", "sadii", "afur",
      "baay'ee", "baayyee", "hedduu", "guddaa", "xiqqaa", "gaarii", "haaraa", "amma", "ammas", "har'a", "kaleessa",
      "hin", "ni", "miti", "jira", "jiru", "jirti", "jiran", "ture", "turan", "turte", "ta'e", "ta'a", "ta'u",
      "ta'uu", "ta'ee", "ta'an", "ta'uun", "ta'ullee", "ta'eera", "qaba", "qabu", "qabdi", "qabna", "jedhe", "jedhan",
      "jedha", "jedhu", "jechuu", "jechuun", "jedhame", "jedhamu", "jedheera", "godhe", "godhu", "gochuu", "godhame",
      "godheera", "kenne", "kennuu", "dhufe", "dhufu", "deeme", "deemu", "beeka", "argama", "argamu", "danda'a",
      "danda'u", "barbaachisaa", "itti", "waan", "waa'ee", "ilaalchisee", "dhimma", "haala", "sirna", "yaada",
      "mootummaa", "biyya", "biyyaa", "naannoo", "uummata", "uummanni", "hawaasa", "hawaasni", "nama", "namni",
      "namoota", "guyyaa", "bara", "waggaa", "magaalaa", "mana", "barnoota", "hojii", "humna", "lafa", "bishaan",
      "oromoo", "oromiyaa", "itoophiyaa", "finfinnee", "qabsoo", "gaaffii", "deebii", "seera", "mirga", "afaan",
      "dha", "hojjete", "dubbate", "ibse", "hime", "himan", "beeksise", "biyyattii", "mootummaan", "sababa",
      "sababni", "ammaa", "haa", "bakka", "gama", "gamaa", "qorannoo", "rakkoo", "rakkina", "nageenya", "misooma",
      "dinagdee", "siyaasaa", "filannoo", "humnoota", "poolisii", "waraana", "lubbuu", "miseensota", "hoggantoota",
      "ministira", "kutaa", "godina", "aanaa", "ganda", "deeggarsa", "gargaarsa", "horii", "qarshii", "miliyoona",
      "torbee", "ji'a", "sa'aatii", "boru", "barattoota", "hojjettoota", "dhaabbilee", "jedhaniiru", "himaniiru",
      "ibsaniiru", "dubbataniiru", "warra", "warri", "fuula", "keessumaa", "caalaa", "booddee", "wal", "walii",
      "waliif", "walitti", "of", "kanas", "kanarra", "ykn", "fkn", "kkf", "achi", "achitti", "asii", "asitti",
      "akkasuma", "yommuu", "yemmuu", "otuu", "dabalatee", "dabalataan", "waggoota", "guyyoota", "addunyaa",
      "somaaliyaa", "keeniyaa", "lammii", "lammiilee", "ummata", "uummataa", "uummatni", "hogganaa", "hoggansa",
      "mootummootaa", "ministeera", "ministirri", "muummee", "muummicha", "pireezidaantii", "paarlaamaa", "qaama",
      "qaamolee", "waajjira", "waajjiraa", "dhaabbata", "tajaajila", "tajaajilaa", "barnootaa", "barumsa", "barumsaa",
      "yunivarsiitii", "fayyaa", "dhukkuba", "hospitaala", "qonna", "qonnaan", "bultoota", "loon", "hoolaa",
      "midhaan", "nyaata", "daandii", "magaalota", "gandoota", "aanaalee", "godinaalee", "naannolee", "oromiyaatti",
      "finfinneetti", "qeerroo", "gadaa", "waaqa", "waaqayyo", "irreecha", "amantii", "aadaa", "seenaa", "jecha",
      "jechoota", "maqaa", "maqaan", "hojjechuu", "hojjetan", "hojjetu", "fayyadamuu", "fayyadama", "argachuu",
      "argatan", "argate", "argachuuf", "gochuuf", "ta'uuf", "jiraachuu", "qabaachuu", "qabatan", "qabate", "dhufan",
      "dhufuu", "deemuu", "galan", "galuu", "baasan", "baasuu", "ba'e", "ba'an", "bu'aa", "rakkoolee", "furmaata",
      "marii", "walgahii", "walga'ii", "ibsa", "ibsameera", "himameera", "beeksisaniiru", "murteesse", "murtee",
      "labsii", "seeraa", "mirgoota", "humnootni", "waraanni", "poolisiin", "poolisoonni", "hidhaman", "hidhame",
      "hidhaa", "ajjeefaman", "ajjeefame", "du'an", "du'e", "miidhaa", "nagaa", "tasgabbii", "jeequmsa", "lola",
      "mormii", "hiriira", "bilisummaa", "walabummaa", "guddina", "daldala", "gabaa", "gatii", "birrii", "baajata",
      "omisha", "oomisha", "lafti", "qabeenya", "warshaa", "warshaalee", "oduu", "odeeffannoo", "gabaasa", "gabaase",
      "dhalattoota", "dubartoota", "dubartii", "dhiira", "ijoollee", "ijoolleen", "daa'imman", "maatii", "abbaa",
      "haadha", "obboleessa", "obbolaa", "mucaa", "intala", "jaalala", "jireenya", "du'a", "fuudhe", "heerumte",
      "jedhani", "jedheen", "dubbatan", "dubbachuu", "ibsan", "akkaan", "baay'inaan", "guutuu", "hunduu", "kamiyyuu",
      "tokkollee", "homaa", "eenyu", "maal", "maaliif", "akkamitti", "eessa", "yoom", "meeqa", "inumaa", "hoo",
      "haalli");
  private static final Set<String> SOMALI = Set.of("iyo", "oo", "ee", "ayaa", "waxaa", "waxay", "wuxuu", "waxa",
      "waa", "ku", "ka", "la", "u", "uu", "ay", "in", "inay", "inuu", "soo", "ah", "aan", "kale", "ayuu", "ayay",
      "lagu", "loo", "laga", "kuwa", "kii", "dhex", "kadib", "kaddib", "iyada", "isaga", "balse", "laakiin",
      "haddii", "markii", "sidoo", "ugu", "wax", "dadka", "dalka", "dowladda", "xukuumadda", "magaalada",
      "soomaaliya", "hadda", "mar", "waxaana", "ayaan", "sida", "ma", "baa", "yahay", "tahay", "ahaa");
  private static final String[] SUFFIXES = {"tti", "dhaan", "uun", "iin", "ummaa", "oota", "ootaa", "oonni", "wwan",
      "lee", "eera", "niiru", "uuf", "aaf", "iif", "eef", "icha", "ichi", "ichaa", "attii", "eessa", "achuu", "amuu",
      "chuu", "sisuu", "olee", "aalee", "ttoota"};
  private static final double MIN_SHARE = 0.2;
  /** Qubee writes long vowels double, and Oromo has many: text without one is not Oromo. */
  private static final Pattern LONG_VOWEL = Pattern.compile("(?i)aa|ee|ii|oo|uu");

  private OromoWords() {}

  static boolean matches(String letters) {
    double[] s = scores(letters);
    return s != null && s[0] >= (s[1] == 0 ? 1 : 2) && s[0] >= MIN_SHARE * s[2] && s[0] > 2 * s[1]
        && LONG_VOWEL.matcher(letters).find();
  }

  /**
   * Oromo points, Somali points and word count; {@code null} for text Oromo cannot be. Words are the runs
   * between ASCII whitespace of the trimmed, lower-cased text, read in place (no regex split).
   */
  static double[] scores(String letters) {
    String lower = letters.toLowerCase(Locale.ROOT).replace('’', '\'');
    int start = 0;
    int end = lower.length();
    while (start < end && lower.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && lower.charAt(end - 1) <= ' ') {
      end--;
    }
    if (start == end) {
      return null;
    }
    double oromo = 0;
    int somali = 0;
    int words = 0;
    for (int i = start; i < end; ) {
      int j = i;
      for (char c; j < end && !isSpace(c = lower.charAt(j)); j++) {
        if (c != '\'' && (c < 'a' || c > 'z')) {
          return null;
        }
      }
      String w = lower.substring(i, j);
      words++;
      if (OROMO.contains(w)) {
        oromo += 1;
      } else if (SOMALI.contains(w)) {
        somali++;
      } else if (w.length() > 4 && endsWithAny(w)) {
        oromo += 0.5;
      }
      while (j < end && isSpace(lower.charAt(j))) {
        j++;
      }
      i = j;
    }
    return new double[] {oromo, somali, words};
  }

  /** {@code \s} of a regex: ASCII whitespace. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  private static boolean endsWithAny(String word) {
    for (String s : SUFFIXES) {
      if (word.endsWith(s)) {
        return true;
      }
    }
    return false;
  }
}
