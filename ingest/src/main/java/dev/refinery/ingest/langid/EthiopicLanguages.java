package dev.refinery.ingest.langid;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tigrinya or Amharic, which share the Ethiopic script and which lingua does not model, by what their
 * grammars and spelling conventions make frequent in one and rare in the other:
 * <ul>
 *   <li>letters: Tigrinya writes word-initial /a/ with ኣ (Amharic: አ) and has the ቐ (qhe) and ኸ (xe) series
 *   Amharic lacks; Amharic keeps the redundant ሠ, ኀ and ፀ series (modern Tigrinya writes ሰ, ሐ, ጸ) and uses
 *   ዠ (zhe) and ኘ (ñe, its ordinal suffix -ኛ);
 *   <li>function words: Tigrinya ኣብ "in", ናይ "of", እዩ "is", ምስ "with", እቲ "the" against Amharic ነው "is",
 *   እና "and", ላይ "on", ውስጥ "inside", ...;
 *   <li>affixes: Tigrinya prefixes ዝ- (relative), ብ- "by", ን- "to" and suffixes -ታት (plural), -ቶም "their"
 *   against Amharic የ- "of", በ- "in", -ዎች (plural), -ቸው "their", -ዋል (perfect); Tigrinya nouns end in
 *   an -i syllable where Amharic ones end in a bare consonant (ህዝቢ/ሕዝብ "people").
 * </ul>
 * Each letter counts 1, each affix 2, each function word 3.
 */
final class EthiopicLanguages {
  private static final Set<String> TIGRINYA_WORDS = Set.of("ኣብ", "ናይ", "እዩ", "እያ", "እዮም", "እየን", "ምስ", "እዚ",
      "ከም", "ኣሎ", "ኣሎዉ", "ኣለዉ", "ኣይ", "እዚኦም", "ብዘይ", "ንምንታይ", "ነይሩ", "ነይራ", "ነይሮም", "ድማ", "እውን", "ውን",
      "ሓደ", "ዝኾነ", "ኢሉ", "ኢሎም", "ብዙሕ", "ካብ", "ክሳብ", "ንሱ", "ንሳ", "ንሳቶም", "ንሕና", "ኣነ", "እቲ", "እታ", "እቶም",
      "እተን", "ከኣ", "ኸኣ", "ግና", "ስለዚ", "ምኽንያቱ", "ኣይኮነን", "የለን", "ከምዚ", "ከምቲ", "ሎሚ", "ሕጂ", "ህዝቢ",
      "መንግስቲ", "ኣብቲ", "ኣብዚ", "ዘሎ", "ዘለዉ", "ኣዝዩ", "ጥራይ", "ኩሉ", "ገለ", "ብዛዕባ", "ወይ", "እንተ", "ደኣ", "ዩ");
  private static final Set<String> AMHARIC_WORDS = Set.of("ነው", "ናት", "ናቸው", "ነበር", "ነበሩ", "እና", "ላይ", "ውስጥ",
      "ይህ", "ይህን", "ይህም", "ይህንን", "ያለ", "ወደ", "ጋር", "የሚል", "የሚሉ", "እንደ", "አለ", "አሉ", "ደግሞ", "ሲሆን",
      "አንድ", "ብቻ", "ተብሏል", "ሁሉ", "ሁሉም", "ወይም", "እንዲሁም", "በጣም", "እጅግ", "አሁን", "ዛሬ", "ሕዝብ", "መንግሥት",
      "መንግስት", "አይደለም", "የለም", "እኔ", "እሱ", "እሷ", "እነሱ", "እኛ", "አንተ", "ሆኖ", "ሆነ", "መሆኑን", "ገልጸዋል",
      "ተናግረዋል", "አስታውቀዋል", "በኋላ", "ወቅት", "ማለት", "ይሆናል", "ነገር");
  private static final String[] TIGRINYA_PREFIXES = {"ዝ", "ብ", "ን"};
  private static final String[] TIGRINYA_SUFFIXES = {"ታት", "ቶም", "ዉ"};
  private static final String[] AMHARIC_PREFIXES = {"የ", "በ"};
  private static final String[] AMHARIC_SUFFIXES = {"ዎች", "ቸው", "ዋል", "ው"};
  private static final Pattern WORD_SPLIT = Pattern.compile("[\\s\u1361-\u1368\\p{Punct}]+");

  private EthiopicLanguages() {}

  /** {@code ti} or {@code am} for Ethiopic-script text (Amharic, the larger language, on a tie). */
  static String decide(String text) {
    int[] s = scores(text);
    return s[0] > s[1] ? "ti" : "am";
  }

  /** Tigrinya's and Amharic's evidence. */
  static int[] scores(String text) {
    int tigrinya = 0;
    int amharic = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u12A3' || (c >= '\u1250' && c <= '\u125D') || (c >= '\u12B8' && c <= '\u12C5')) {
        tigrinya++;
      } else if ((c >= '\u1220' && c <= '\u1227') || (c >= '\u1280' && c <= '\u128D')
          || (c >= '\u1340' && c <= '\u1347') || (c >= '\u12E0' && c <= '\u12E7') || (c >= '\u1298' && c <= '\u129F')) {
        amharic++;
      }
    }
    for (String word : WORD_SPLIT.split(text)) {
      if (TIGRINYA_WORDS.contains(word)) {
        tigrinya += 3;
      } else if (AMHARIC_WORDS.contains(word)) {
        amharic += 3;
      } else if (word.length() > 2) {
        tigrinya += 2 * (affix(word, TIGRINYA_PREFIXES, true) + affix(word, TIGRINYA_SUFFIXES, false));
        tigrinya += endsInI(word) ? 1 : 0;
        amharic += 2 * (affix(word, AMHARIC_PREFIXES, true) + affix(word, AMHARIC_SUFFIXES, false));
      }
    }
    return new int[] {tigrinya, amharic};
  }

  /** A final syllable of the third (-i) order: Tigrinya's nominal ending (ህዝቢ, መንግስቲ; Amharic ሕዝብ, መንግስት). */
  private static boolean endsInI(String word) {
    char last = word.charAt(word.length() - 1);
    return last >= '\u1200' && last <= '\u135A' && (last - 0x1200) % 8 == 2;
  }

  private static int affix(String word, String[] affixes, boolean prefix) {
    for (String a : affixes) {
      if (prefix ? word.startsWith(a) : word.endsWith(a)) {
        return 1;
      }
    }
    return 0;
  }
}
