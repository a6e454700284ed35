package dev.refinery.cli;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.warehouse.Warehouse;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code refinery sql "SELECT ..."} or {@code refinery sql --file queries.sql}: SQL over every warehouse
 * table and view (registered under their own names). With {@code --require-rows}, a query that returns no
 * rows is an error, unless a {@code -- allow-empty} line precedes it in the file (how notebooks are checked).
 * {@code --format}, {@code --limit} and {@code --out} get a result out as CSV, JSON Lines or Parquet.
 */
final class SqlCommand implements Command {
  private static final String ALLOW_EMPTY = "-- allow-empty";

  @Override
  public String name() {
    return "sql";
  }

  @Override
  public String summary() {
    return "run SQL over the warehouse tables and views (a quick look without a notebook)";
  }

  @Override
  public String usage() {
    return "refinery sql [--conf FILE] [--set k=v] [--require-rows] [--format table|csv|json|parquet] [--limit N]\n"
        + "    [--out PATH] (\"QUERY\"... | --file FILE.sql)\n"
        + "  table (default) shows 20 rows, cells cut at 60 characters; csv, json (JSON Lines) and parquet give every\n"
        + "  row unless --limit; --out writes one query's result to a file (parquet: a folder, --out required)";
  }

  /** One statement and whether an empty result is acceptable. */
  record Query(String sql, boolean allowEmpty) {}

  @Override
  public int run(CommandLine cli) throws Exception {
    List<Query> queries = new ArrayList<>();
    boolean requireRows = false;
    ResultFormat format = ResultFormat.TABLE;
    Integer limit = null;
    String outPath = null;
    List<String> args = cli.args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      boolean hasValue = i + 1 < args.size();
      if (a.equals("--require-rows")) {
        requireRows = true;
      } else if (a.equals("--file") && hasValue) {
        queries.addAll(parse(Files.readString(Path.of(args.get(++i)), StandardCharsets.UTF_8)));
      } else if (a.equals("--format") && hasValue) {
        format = ResultFormat.parse(args.get(++i));
      } else if (a.equals("--limit") && hasValue) {
        limit = parseLimit(args.get(++i));
      } else if (a.equals("--out") && hasValue) {
        outPath = args.get(++i);
      } else if (a.startsWith("--")) {
        throw new RefineryException("sql: unknown option " + a + "; " + usage());
      } else {
        queries.add(new Query(a, false));
      }
    }
    if (queries.isEmpty()) {
      throw new RefineryException("sql: no query given; " + usage());
    }
    if (outPath != null && queries.size() > 1) {
      throw new RefineryException("sql --out writes one query's result, but " + queries.size() + " were given");
    }
    if (format == ResultFormat.PARQUET && outPath == null) {
      throw new RefineryException("sql --format parquet needs --out FOLDER");
    }
    Integer rowLimit = limit != null ? limit : format.defaultLimit();
    // data formats keep stdout for the data; the query echo and counts go to stderr
    PrintStream log = format == ResultFormat.TABLE && outPath == null ? System.out : System.err;
    RefineryConfig config = cli.config();
    SparkSession spark = SparkSessions.create(config, "refinery sql");
    int failures = 0;
    try {
      Warehouse warehouse = Warehouse.open(spark, config);
      warehouse.registerTempViews();
      for (Query q : queries) {
        log.println("-- " + q.sql().replace('\n', ' '));
        try {
          Dataset<Row> result = spark.sql(q.sql());
          long n = result.count();
          Dataset<Row> shown = rowLimit == null ? result : result.limit(rowLimit);
          if (outPath == null || format == ResultFormat.PARQUET) {
            format.write(shown, System.out, outPath);
          } else {
            try (PrintStream file = new PrintStream(new FileOutputStream(outPath), false, StandardCharsets.UTF_8)) {
              format.write(shown, file, outPath);
            }
          }
          log.println("-- " + n + " rows" + (outPath == null ? "" : ", written to " + outPath));
          if (n == 0 && requireRows && !q.allowEmpty()) {
            log.println("-- ERROR: no rows");
            failures++;
          }
        } catch (IOException e) {
          throw new RefineryException("sql --out " + outPath + ": " + e.getMessage());
        } catch (Exception e) {
          log.println("-- ERROR: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
          failures++;
        }
      }
    } finally {
      spark.stop();
    }
    log.println("-- " + (queries.size() - failures) + " of " + queries.size() + " queries passed");
    return failures == 0 ? 0 : 3;
  }

  private static int parseLimit(String s) {
    try {
      int n = Integer.parseInt(s);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the message
    }
    throw new RefineryException("sql --limit " + s + ": expected a whole number of rows, 0 or more");
  }

  /** Statements separated by a line ending in ';'; a '-- allow-empty' line marks the next statement. */
  static List<Query> parse(String text) {
    List<Query> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean allowEmpty = false;
    for (String line : text.split("\n", -1)) {
      if (line.strip().equals(ALLOW_EMPTY)) {
        allowEmpty = true;
        continue;
      }
      cur.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        String sql = cur.toString().strip();
        out.add(new Query(sql.substring(0, sql.length() - 1), allowEmpty));
        cur.setLength(0);
        allowEmpty = false;
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(new Query(cur.toString().strip(), allowEmpty));
    }
    return out;
  }
}
