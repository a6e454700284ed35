package dev.refinery.quality.signals;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.StructField;

/**
 * One family of quality signals (Gopher quality, C4 lines, ...): the columns it adds to
 * {@code quality_signals} and how to measure them on one document. Families that do not apply to a
 * document's language leave their columns null, so that no rule over them fires.
 */
public interface SignalFamily extends Serializable {
  /** The columns, in the order {@link #values} fills them. */
  List<StructField> columns();

  /** Whether this family measures documents like this one; by default, those not written in CJK. */
  default boolean appliesTo(DocumentText doc) {
    return !doc.isCjk();
  }

  /** The values of {@link #columns} for one document. */
  Object[] values(DocumentText doc);
}
