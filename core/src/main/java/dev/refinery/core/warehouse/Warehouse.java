package dev.refinery.core.warehouse;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * All tables of a deployment live as Delta tables under one root (a local folder or any Hadoop path).
 * Writes are idempotent: a stage replaces exactly the rows of its run (Delta {@code replaceWhere} on
 * {@code run_id}, plus any further key columns) in one atomic commit, so re-running a run, or running it
 * again after a crash, leaves the same table and never a half-written one.
 *
 * <p>Views (such as {@code documents_kept}) are stored as SQL text under {@code _views/} and resolved on
 * read, so notebooks, later stages and other processes all see the same definition.
 */
public final class Warehouse {
  public static final String RUN_ID = "run_id";
  private static final String VIEWS = "_views";

  private final SparkSession spark;
  private final String root;
  private final java.util.function.Consumer<String> beforeWrite;

  public Warehouse(SparkSession spark, String root) {
    this(spark, root, table -> { });
  }

  private Warehouse(SparkSession spark, String root, java.util.function.Consumer<String> beforeWrite) {
    this.spark = spark;
    this.root = stripSlash(root);
    this.beforeWrite = beforeWrite;
  }

  /** The same warehouse, calling {@code hook} with the table name before every table write (failpoints). */
  public Warehouse withWriteHook(java.util.function.Consumer<String> hook) {
    return new Warehouse(spark, root, hook);
  }

  public static Warehouse open(SparkSession spark, RefineryConfig config) {
    return new Warehouse(spark, config.getString("warehouse.root"));
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  public boolean exists(String table) {
    return isDeltaTable(table) || viewSql(table) != null;
  }

  private boolean isDeltaTable(String table) {
    try {
      return fs().exists(new Path(path(table), "_delta_log")) && DeltaTable.isDeltaTable(spark, path(table));
    } catch (IOException e) {
      throw new RefineryException("cannot read warehouse at " + root + ": " + e.getMessage());
    }
  }

  /** A table or a view, all runs. */
  public Dataset<Row> read(String table) {
    if (isDeltaTable(table)) {
      return spark.read().format("delta").load(path(table));
    }
    String sql = viewSql(table);
    if (sql == null) {
      throw new RefineryException("table '" + table + "' does not exist in warehouse " + root
          + "; run the stage that writes it first");
    }
    registerReferences(sql, byLowerCase(tables()), byLowerCase(views()), new HashSet<>());
    return spark.sql(sql);
  }

  /**
   * Registers as temp views the tables and views whose names occur in {@code sql} as words (in any case, as
   * Spark resolves them), views' own references first: each Delta table registered costs a log replay, so a
   * view reads only the tables it names. {@code tables}, {@code views}: lower-cased name to name.
   */
  private void registerReferences(String sql, Map<String, String> tables, Map<String, String> views,
      Set<String> done) {
    for (String word : sql.split("[^A-Za-z0-9_]+")) {
      String key = word.toLowerCase(Locale.ROOT);
      if (!done.add(key)) {
        continue;
      }
      if (tables.containsKey(key)) {
        String t = tables.get(key);
        spark.read().format("delta").load(path(t)).createOrReplaceTempView(t);
      } else if (views.containsKey(key)) {
        String v = views.get(key);
        String viewSql = viewSql(v);
        registerReferences(viewSql, tables, views, done);
        spark.sql(viewSql).createOrReplaceTempView(v);
      }
    }
  }

  private static Map<String, String> byLowerCase(List<String> names) {
    Map<String, String> out = new HashMap<>();
    for (String n : names) {
      out.put(n.toLowerCase(Locale.ROOT), n);
    }
    return out;
  }

  /** A table or view restricted to one run. */
  public Dataset<Row> readRun(String table, String runId) {
    return read(table).where(functions.col(RUN_ID).equalTo(runId));
  }

  /** Replaces the rows of {@code runId} in {@code table} with {@code rows} (adds the run_id column). */
  public void write(Dataset<Row> rows, String table, String runId) {
    writeKeyed(rows, table, Map.of(RUN_ID, runId));
  }

  /**
   * Replaces the rows whose key columns equal {@code keys} with {@code rows}, atomically. Key columns are
   * added to {@code rows} as literals. A table is created on first write partitioned by its key columns, so a
   * replace is a change of metadata: the files of those partitions are dropped and the new ones added in one
   * commit, without reading a file. A table created unpartitioned (warehouses from before) keeps its layout:
   * there, where the table holds no row of {@code keys} (a look-up that Delta's file statistics mostly answer
   * without reading a file) the rows are appended, and otherwise Delta finds and rewrites the files that hold
   * them.
   */
  public void writeKeyed(Dataset<Row> rows, String table, Map<String, String> keys) {
    List<String> conditions = new ArrayList<>();
    for (Map.Entry<String, String> k : new java.util.TreeMap<>(keys).entrySet()) {
      conditions.add(k.getKey() + " = '" + k.getValue().replace("'", "''") + "'");
    }
    String where = String.join(" AND ", conditions);
    boolean exists = isDeltaTable(table);
    if (exists && (partitionColumns(table).containsAll(keys.keySet())
        || !spark.read().format("delta").load(path(table)).where(where).isEmpty())) {
      keyedWriter(rows, table, keys, false).mode("overwrite").option("replaceWhere", where).save(path(table));
    } else {
      keyedWriter(rows, table, keys, !exists).mode("append").save(path(table));
    }
  }

  /**
   * Adds {@code rows} under {@code keys} (added as literal columns) where the caller knows the table holds no
   * rows of those keys yet: one plain append, without {@link #writeKeyed}'s look-up. A table is created on
   * first write, partitioned by the key columns.
   */
  public void appendKeyed(Dataset<Row> rows, String table, Map<String, String> keys) {
    keyedWriter(rows, table, keys, !isDeltaTable(table)).mode("append").save(path(table));
  }

  /** The columns {@code table} (a Delta table) is partitioned by, from its log. */
  private List<String> partitionColumns(String table) {
    return DeltaTable.forPath(spark, path(table)).detail().select("partitionColumns").head().getList(0);
  }

  private org.apache.spark.sql.DataFrameWriter<Row> keyedWriter(Dataset<Row> rows, String table,
      Map<String, String> keys, boolean create) {
    Dataset<Row> out = rows;
    List<String> keyColumns = new ArrayList<>(new java.util.TreeMap<>(keys).keySet());
    for (String k : keyColumns) {
      out = out.withColumn(k, functions.lit(keys.get(k)));
    }
    beforeWrite.accept(table);
    org.apache.spark.sql.DataFrameWriter<Row> w = out.write().format("delta").option("mergeSchema", "true");
    // an existing table keeps the partitioning it was created with (Delta refuses another one)
    return create ? w.partitionBy(keyColumns.toArray(new String[0])) : w;
  }

  /** Stores a view: SQL over other warehouse tables, referring to them by their names. */
  public void defineView(String name, String sql) {
    try (OutputStream o = fs().create(viewFile(name), true)) {
      o.write(sql.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RefineryException("cannot write view " + name + " to " + root + ": " + e.getMessage());
    }
  }

  private String viewSql(String name) {
    Path p = viewFile(name);
    try {
      if (!fs().exists(p)) {
        return null;
      }
      try (InputStream in = fs().open(p)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new RefineryException("cannot read view " + name + ": " + e.getMessage());
    }
  }

  private Path viewFile(String name) {
    return new Path(root + "/" + VIEWS + "/" + name + ".sql");
  }

  /** Names of the Delta tables under the root, sorted. */
  public List<String> tables() {
    TreeSet<String> names = new TreeSet<>();
    try {
      Path r = new Path(root);
      if (!fs().exists(r)) {
        return List.of();
      }
      for (FileStatus st : fs().listStatus(r)) {
        if (st.isDirectory() && fs().exists(new Path(st.getPath(), "_delta_log"))) {
          names.add(st.getPath().getName());
        }
      }
    } catch (IOException e) {
      throw new RefineryException("cannot list warehouse " + root + ": " + e.getMessage());
    }
    return new ArrayList<>(names);
  }

  /** Names of the stored views, sorted. */
  public List<String> views() {
    TreeSet<String> names = new TreeSet<>();
    try {
      Path v = new Path(root + "/" + VIEWS);
      if (fs().exists(v)) {
        for (FileStatus st : fs().listStatus(v)) {
          String n = st.getPath().getName();
          if (n.endsWith(".sql")) {
            names.add(n.substring(0, n.length() - 4));
          }
        }
      }
    } catch (IOException e) {
      throw new RefineryException("cannot list views of " + root + ": " + e.getMessage());
    }
    return new ArrayList<>(names);
  }

  /** Registers every table and view as a Spark temp view of the same name (for SQL and notebooks). */
  public void registerTempViews() {
    for (String t : tables()) {
      spark.read().format("delta").load(path(t)).createOrReplaceTempView(t);
    }
    // Views may build on views: define them until no more succeed.
    List<String> pending = new ArrayList<>(views());
    boolean progress = true;
    while (!pending.isEmpty() && progress) {
      progress = false;
      for (var it = pending.iterator(); it.hasNext(); ) {
        String v = it.next();
        try {
          spark.sql(viewSql(v)).createOrReplaceTempView(v);
          it.remove();
          progress = true;
        } catch (Exception notYet) {
          // depends on a view not registered yet, or on a table not written yet
        }
      }
    }
  }

  /**
   * Fails, before anything is written, when the root cannot be created or written: creates it, writes a
   * probe file and deletes it. The probe's name is unique: runs starting at once on one warehouse must not
   * delete each other's probe (a shared name made one of two concurrent runs fail as "not writable").
   */
  public void checkWritable() {
    Path probe = new Path(root + "/.refinery-write-probe-" + java.util.UUID.randomUUID());
    try {
      FileSystem fs = fs();
      fs.mkdirs(new Path(root));
      try (OutputStream o = fs.create(probe, true)) {
        o.write(1);
      }
      fs.delete(probe, false);
    } catch (IOException | RuntimeException e) {
      throw new RefineryException("warehouse " + root + " is not writable (" + e.getMessage()
          + "); set warehouse.root to a folder you can write");
    }
  }

  /** Row count of one run of a table. */
  public long count(String table, String runId) {
    return readRun(table, runId).count();
  }

  /** A column expression comparing run_id, for callers building their own filters. */
  public static Column isRun(String runId) {
    return functions.col(RUN_ID).equalTo(runId);
  }

  private FileSystem fs() {
    try {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      return new Path(root).getFileSystem(conf);
    } catch (IOException e) {
      throw new RefineryException("cannot open warehouse file system for " + root + ": " + e.getMessage());
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }
}
