package dev.refinery.cli;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.warehouse.Warehouse;
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
    return "refinery sql [--conf FILE] [--set k=v] [--require-rows] (\"QUERY\"... | --file FILE.sql)";
  }

  /** One statement and whether an empty result is acceptable. */
  record Query(String sql, boolean allowEmpty) {}

  @Override
  public int run(CommandLine cli) throws Exception {
    List<Query> queries = new ArrayList<>();
    boolean requireRows = false;
    List<String> args = cli.args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--require-rows")) {
        requireRows = true;
      } else if (a.equals("--file") && i + 1 < args.size()) {
        queries.addAll(parse(Files.readString(Path.of(args.get(++i)), StandardCharsets.UTF_8)));
      } else {
        queries.add(new Query(a, false));
      }
    }
    if (queries.isEmpty()) {
      throw new RefineryException("sql: no query given; " + usage());
    }
    RefineryConfig config = cli.config();
    SparkSession spark = SparkSessions.create(config, "refinery sql");
    int failures = 0;
    try {
      Warehouse warehouse = Warehouse.open(spark, config);
      warehouse.registerTempViews();
      for (Query q : queries) {
        System.out.println("-- " + q.sql().replace('\n', ' '));
        try {
          Dataset<Row> result = spark.sql(q.sql());
          long n = result.count();
          System.out.println(String.join(" | ", result.columns()));
          for (Row r : result.limit(20).collectAsList()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
              String v = String.valueOf(r.get(i)).replace('\n', ' ');
              cells.add(v.length() > 60 ? v.substring(0, 57) + "..." : v);
            }
            System.out.println(String.join(" | ", cells));
          }
          System.out.println("-- " + n + " rows");
          if (n == 0 && requireRows && !q.allowEmpty()) {
            System.out.println("-- ERROR: no rows");
            failures++;
          }
        } catch (Exception e) {
          System.out.println("-- ERROR: " + e.getMessage().lines().findFirst().orElse(""));
          failures++;
        }
      }
    } finally {
      spark.stop();
    }
    System.out.println("-- " + (queries.size() - failures) + " of " + queries.size() + " queries passed");
    return failures == 0 ? 0 : 3;
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
