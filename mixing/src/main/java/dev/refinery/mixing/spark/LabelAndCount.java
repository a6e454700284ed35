package dev.refinery.mixing.spark;

import dev.refinery.core.Document;
import dev.refinery.mixing.labels.DomainLabel;
import dev.refinery.mixing.labels.DomainRules;
import dev.refinery.mixing.tokens.TokenCounter;
import dev.refinery.mixing.tokens.TokenCounting;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The executor pass: per partition one token counter (a tokenizer is expensive to open), then per document
 * its URL-rule domain and its token count. A document that cannot be counted gets a {@code reject_reason}
 * instead of failing the job.
 */
public final class LabelAndCount implements MapPartitionsFunction<Row, Row> {
  public static final String DOMAIN = "domain";
  public static final String DOMAIN_SOURCE = "domain_source";
  public static final String DOMAIN_SCORE = "domain_score";
  public static final String TOKENS = "tokens";
  public static final String REJECT_REASON = "reject_reason";

  /** Input columns (from {@link SourceReader}) followed by the label, the count and the reject reason. */
  public static final StructType SCHEMA = new StructType()
      .add(Document.DOC_ID, DataTypes.StringType, true)
      .add(Document.SOURCE, DataTypes.StringType, false)
      .add(SourceReader.SOURCE_TABLE, DataTypes.StringType, false)
      .add(Document.URL, DataTypes.StringType, true)
      .add(Document.LANG, DataTypes.StringType, false)
      .add(Document.TEXT, DataTypes.StringType, true)
      .add(DOMAIN, DataTypes.StringType, false)
      .add(DOMAIN_SOURCE, DataTypes.StringType, false)
      .add(DOMAIN_SCORE, DataTypes.DoubleType, true)
      .add(TOKENS, DataTypes.LongType, false)
      .add(REJECT_REASON, DataTypes.StringType, true);

  private final DomainRules rules;
  private final TokenCounting counting;

  public LabelAndCount(DomainRules rules, TokenCounting counting) {
    this.rules = rules;
    this.counting = counting;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    TokenCounter counter = counting.open();
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) ctx -> counter.close());
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        return labelAndCount(rows.next(), counter);
      }
    };
  }

  Row labelAndCount(Row in, TokenCounter counter) {
    String docId = in.getString(0);
    String url = in.getString(3);
    String text = in.getString(5);
    String fixed = in.getString(6);
    DomainLabel label = fixed != null ? new DomainLabel(fixed, "source:" + in.getString(1)) : rules.label(url);
    long tokens = 0;
    String reject = null;
    if (docId == null || docId.isBlank()) {
      reject = "missing_doc_id";
    } else if (text == null || text.isBlank()) {
      reject = "empty_text";
    } else {
      try {
        tokens = counter.count(text);
        if (tokens == 0) {
          reject = "no_tokens";
        }
      } catch (RuntimeException e) {
        reject = "tokenizer_error";
      }
    }
    return RowFactory.create(docId, in.getString(1), in.getString(2), url, in.getString(4), text,
        label.domain(), label.origin(), null, tokens, reject);
  }
}
