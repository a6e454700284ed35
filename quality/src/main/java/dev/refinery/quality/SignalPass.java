package dev.refinery.quality;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createStructField;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.text.LanguageScripts;
import dev.refinery.quality.blocklist.BlockLists;
import dev.refinery.quality.pii.NationalIdPattern;
import dev.refinery.quality.pii.PiiRedactor;
import dev.refinery.quality.pii.PiiType;
import dev.refinery.quality.signals.C4Lines;
import dev.refinery.quality.signals.C4Paragraphs;
import dev.refinery.quality.signals.CjkText;
import dev.refinery.quality.signals.DocumentText;
import dev.refinery.quality.signals.FineWebQuality;
import dev.refinery.quality.signals.GopherQuality;
import dev.refinery.quality.signals.GopherRepetition;
import dev.refinery.quality.signals.SignalFamily;
import dev.refinery.quality.text.EnglishWordTokenizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Everything measured about one document in one pass: every signal family that applies to its language,
 * the PII findings (and the redacted text when there were any) and the classifier score computed
 * upstream. Documents too long to measure get {@code measure_error} and null signals.
 */
public final class SignalPass implements Serializable {
  public static final String MEASURE_ERROR = "measure_error";
  public static final String REDACTED_TEXT = "redacted_text";
  public static final String CLASSIFIER_SCORE = "classifier_score";
  public static final String CJK = "cjk";

  private final List<SignalFamily> families;
  private final PiiRedactor pii;
  private final long maxChars;

  /** CJK documents ({@link LanguageScripts#isCjk}) get the CJK signals, the others Gopher, C4 and FineWeb. */
  public SignalPass(List<SignalFamily> families, PiiRedactor pii, long maxChars) {
    this.families = List.copyOf(families);
    this.pii = pii;
    this.maxChars = maxChars;
  }

  /** The pass {@code quality.*} configures; {@code files} reads the block lists it names. */
  public static SignalPass fromConfig(RefineryConfig config, Function<String, List<String>> files) {
    List<SignalFamily> families = new ArrayList<>(List.of(
        new GopherQuality(),
        new GopherRepetition(),
        new C4Lines(config.getInt("quality.c4.min-words-per-line"), config.getInt("quality.c4.max-word-length")),
        new C4Paragraphs(),
        new FineWebQuality(config.getInt("quality.fineweb.short-line-length")),
        new CjkText()));
    families.add(BlockLists.fromConfig(config, files));
    Set<PiiType> types = EnumSet.noneOf(PiiType.class);
    if (config.getBoolean("quality.pii.enabled")) {
      for (String t : config.getStringList("quality.pii.types")) {
        types.addAll(PiiType.fromConfigName(t));
      }
    }
    List<NationalIdPattern> ids = config.getStringList("quality.pii.national-ids").stream()
        .map(NationalIdPattern::parse).toList();
    return new SignalPass(families, new PiiRedactor(types, ids), config.getLong("quality.max-chars"));
  }

  /** Columns of {@code quality_signals} before the decision columns ({@code kept}, {@code drop_rule}). */
  public StructType schema() {
    List<StructField> f = new ArrayList<>(List.of(
        createStructField("doc_id", StringType, false),
        createStructField("lang", StringType, true),
        createStructField(CJK, BooleanType, false),
        createStructField("chars", IntegerType, false),
        createStructField(MEASURE_ERROR, StringType, true)));
    families.forEach(fam -> f.addAll(fam.columns()));
    for (PiiType t : PiiType.values()) {
      f.add(createStructField(t.column(), IntegerType, true));
    }
    f.add(createStructField(REDACTED_TEXT, StringType, true));
    f.add(createStructField(CLASSIFIER_SCORE, DoubleType, true));
    return new StructType(f.toArray(new StructField[0]));
  }

  /** A reusable measurer for one partition (holds the tokenizer). */
  public Measurer measurer() {
    return new Measurer();
  }

  /** Measures documents one after the other; not thread-safe, one per partition. */
  public final class Measurer {
    private final EnglishWordTokenizer tokenizer = new EnglishWordTokenizer();
    private final int width = schema().size();
    private final int[] widths = families.stream().mapToInt(f -> f.columns().size()).toArray();

    /** One output row for a document; without text or with too much of it, only measure_error is set. */
    public Row measure(String docId, String url, String lang, String text, Double classifierScore) {
      Object[] v = new Object[width];
      String body = text == null ? "" : text;
      boolean cjk = LanguageScripts.isCjk(lang);
      v[0] = docId;
      v[1] = lang;
      v[2] = cjk;
      v[3] = body.codePointCount(0, body.length());
      int i = 5;
      if (text == null || body.length() > maxChars) {
        v[4] = text == null ? "no_text" : "too_long_to_measure";
        v[v.length - 1] = classifierScore;
        return RowFactory.create(v);
      }
      DocumentText doc = new DocumentText(body, url, lang, cjk, tokenizer);
      for (int k = 0; k < families.size(); k++) {
        SignalFamily fam = families.get(k);
        int n = widths[k];
        if (fam.appliesTo(doc)) {
          System.arraycopy(fam.values(doc), 0, v, i, n);
        }
        i += n;
      }
      PiiRedactor.Redaction r = pii.redact(body);
      for (PiiType t : PiiType.values()) {
        v[i++] = r.count(t);
      }
      v[i++] = r.changed() ? r.text() : null;
      v[i] = classifierScore;
      return RowFactory.create(v);
    }
  }
}
