package dev.refinery.mixing.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.refinery.core.Document;
import dev.refinery.core.RefineryException;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.mixing.spec.SourceSpec;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads every mixture source into one frame of (doc_id, source, source_table, url, lang, text,
 * fixed_domain): the configured filter applied, the text/url/lang expressions evaluated.
 */
public final class SourceReader {
  public static final String SOURCE_TABLE = "source_table";
  public static final String FIXED_DOMAIN = "fixed_domain";

  private final Warehouse warehouse;
  private final String runId;

  public SourceReader(Warehouse warehouse, String runId) {
    this.warehouse = warehouse;
    this.runId = runId;
  }

  public Dataset<Row> readAll(List<SourceSpec> sources) {
    Dataset<Row> all = null;
    for (SourceSpec s : sources) {
      Dataset<Row> one = read(s);
      all = all == null ? one : all.unionByName(one);
    }
    return all;
  }

  /** One source; analysis errors (unknown columns, bad SQL) become a RefineryException naming the source. */
  public Dataset<Row> read(SourceSpec s) {
    try {
      Dataset<Row> df = warehouse.read(s.table());
      List<String> columns = Arrays.asList(df.columns());
      if (!s.allRuns() && columns.contains(Warehouse.RUN_ID)) {
        df = df.where(col(Warehouse.RUN_ID).equalTo(runId));
      }
      if (!s.filter().isBlank()) {
        df = df.where(expr(s.filter()));
      }
      if (!columns.contains(Document.DOC_ID)) {
        throw new RefineryException("mixing source '" + s.name() + "': table " + s.table() + " has no "
            + Document.DOC_ID + " column");
      }
      Column lang = column(s.lang(), Document.LANG, columns);
      return df.select(
          col(Document.DOC_ID).cast(DataTypes.StringType).as(Document.DOC_ID),
          lit(s.name()).as(Document.SOURCE),
          lit(s.table()).as(SOURCE_TABLE),
          column(s.url(), Document.URL, columns).cast(DataTypes.StringType).as(Document.URL),
          org.apache.spark.sql.functions.coalesce(lang.cast(DataTypes.StringType), lit(Document.UNDETERMINED))
              .as(Document.LANG),
          expr(s.text()).cast(DataTypes.StringType).as(Document.TEXT),
          (s.hasFixedDomain() ? lit(s.domain()) : lit(null).cast(DataTypes.StringType)).as(FIXED_DOMAIN));
    } catch (RefineryException e) {
      throw e;
    } catch (Exception e) {
      throw new RefineryException("mixing source '" + s.name() + "' (table " + s.table() + "): "
          + firstLine(e.getMessage()) + "; check its filter/text/url/lang expressions");
    }
  }

  /** The configured expression; the default column name when the table lacks that column gives null. */
  private static Column column(String expression, String defaultColumn, List<String> columns) {
    if (expression.equals(defaultColumn) && !columns.contains(defaultColumn)) {
      return lit(null).cast(DataTypes.StringType);
    }
    return expr(expression);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
