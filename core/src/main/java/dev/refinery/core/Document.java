package dev.refinery.core;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The contract of the {@code documents} table, which every later table keys on through {@code doc_id}.
 * Tables written through {@link dev.refinery.core.warehouse.Warehouse} also carry {@code run_id}.
 */
public final class Document {
  public static final String TABLE = "documents";

  public static final String DOC_ID = "doc_id";
  public static final String SOURCE = "source";
  public static final String URL = "url";
  public static final String FETCHED_AT = "fetched_at";
  public static final String CONTENT_TYPE = "content_type";
  public static final String LANG = "lang";
  public static final String LANG_SCORE = "lang_score";
  public static final String TEXT = "text";
  public static final String META = "meta";

  /** Language code for text that is mixed, too short or unrecognised. */
  public static final String UNDETERMINED = "und";

  public static final StructType SCHEMA = new StructType()
      .add(DOC_ID, DataTypes.StringType, false)
      .add(SOURCE, DataTypes.StringType, false)
      .add(URL, DataTypes.StringType, true)
      .add(FETCHED_AT, DataTypes.TimestampType, true)
      .add(CONTENT_TYPE, DataTypes.StringType, true)
      .add(LANG, DataTypes.StringType, true)
      .add(LANG_SCORE, DataTypes.DoubleType, true)
      .add(TEXT, DataTypes.StringType, true)
      .add(META, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true);

  private Document() {}
}
