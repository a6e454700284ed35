package dev.refinery.dedup.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.refinery.dedup.DedupSettings;
import dev.refinery.dedup.minhash.LshBanding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Edges of the groups documents fall into: equal normalised text, equal URL, equal LSH band. Every document
 * becomes one (key, node) row per group key, all 64-bit; one shuffle by key and a sort bring each group
 * together, and a scan links every member to the group's smallest node (a star), or, for a small LSH group
 * whose edges will be verified, every member to every other. Most groups are a single document and yield
 * nothing, so what leaves this step is small next to the corpus.
 */
public final class GroupEdges {
  static final StructType EDGE_SCHEMA = new StructType()
      .add("src", DataTypes.LongType, false)
      .add("dst", DataTypes.LongType, false)
      .add("lsh", DataTypes.BooleanType, false);

  private static final StructType KEY_TYPE = new StructType()
      .add("key", DataTypes.LongType, false)
      .add("lsh", DataTypes.BooleanType, false);
  // Seeds that keep the key spaces of text hashes, URLs and bands apart.
  private static final long TEXT_KEY = 0x7E47_0000_0000_0001L;
  private static final long URL_KEY = 0x0A11_0000_0000_0002L;

  private GroupEdges() {}

  /**
   * @param nodes rows with node (long), text_hash, url_key, signature, fresh (key rows: one per group key,
   *     from Spark's xxhash64 of a key-space tag and the text hash, the URL key or a band's slice)
   * @return {@link #EDGE_SCHEMA} rows, src < dst; lsh tells a band group from an exact one; edges between
   *     prior documents only are skipped (they were settled before)
   */
  public static Dataset<Row> of(Dataset<Row> nodes, DedupSettings settings) {
    LshBanding banding = settings.minhash() ? settings.banding() : null;
    // Every key a document has, as Spark expressions (no Java object per key row): null where it has none.
    List<Column> keys = new ArrayList<>();
    if (settings.exactText()) {
      keys.add(key(col("text_hash").isNotNull(), xxhash64(lit(TEXT_KEY), col("text_hash")), false));
    }
    if (settings.exactUrl()) {
      keys.add(key(col("url_key").isNotNull(), xxhash64(lit(URL_KEY), col("url_key")), false));
    }
    if (banding != null) {
      for (int b = 0; b < banding.bands(); b++) {
        keys.add(key(size(col("signature")).gt(0), banding.bandKey(col("signature"), b), true));
      }
    }
    int pairwiseMax = banding != null && !"none".equals(settings.verify()) ? settings.pairwiseBucketMax() : 0;
    MapPartitionsFunction<Row, Row> scan = rows -> new GroupScan(rows, pairwiseMax);
    Column all = keys.isEmpty() ? array().cast(DataTypes.createArrayType(KEY_TYPE))
        : array(keys.toArray(Column[]::new));
    return nodes.select(col("node"), col("fresh"), explode(all).as("k"))
        .where(col("k").isNotNull())
        .select(col("k.key").as("key"), col("k.lsh").as("lsh"), col("node"), col("fresh"))
        .repartition(col("key"))
        .sortWithinPartitions("key", "lsh", "node")
        .mapPartitions(scan, Encoders.row(EDGE_SCHEMA));
  }

  /** A (key, lsh) struct where {@code present} holds, else null. */
  private static Column key(Column present, Column hash, boolean lsh) {
    return when(present, struct(hash.as("key"), lit(lsh).as("lsh")));
  }

  /**
   * Walks (key, lsh, node)-sorted rows group by group. An LSH group of up to {@code pairwiseMax} members
   * (buffered) yields all its pairs, so that verification can link two members however unlike the smallest
   * one they are; any other group yields root -> member edges, streamed. Edges between two prior documents
   * are left out.
   */
  private static final class GroupScan implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int pairwiseMax;
    private final ArrayDeque<Row> out = new ArrayDeque<>();
    private final List<Row> group = new ArrayList<>(); // members of the current group while it may be pairwise
    private Row root; // first (smallest) member of the current group
    private Row last;
    private boolean star; // the current group yields a star: its edges are emitted as its members come

    GroupScan(Iterator<Row> rows, int pairwiseMax) {
      this.rows = rows;
      this.pairwiseMax = pairwiseMax;
    }

    @Override
    public boolean hasNext() {
      while (out.isEmpty() && rows.hasNext()) {
        Row r = rows.next();
        if (root == null || r.getLong(0) != root.getLong(0) || r.getBoolean(1) != root.getBoolean(1)) {
          flush();
          root = r;
          star = !r.getBoolean(1) || pairwiseMax < 2;
          if (!star) {
            group.add(r);
          }
        } else if (r.getLong(2) == last.getLong(2)) {
          continue; // the same document twice in one group
        } else if (star) {
          link(root, r);
        } else if (group.add(r) && group.size() > pairwiseMax) {
          star = true;
          group.subList(1, group.size()).forEach(m -> link(root, m));
          group.clear();
        }
        last = r;
      }
      if (out.isEmpty()) {
        flush();
      }
      return !out.isEmpty();
    }

    /** Emits every pair of the buffered group (empty unless pairwise) and clears it. */
    private void flush() {
      for (int i = 0; i < group.size(); i++) {
        for (int j = i + 1; j < group.size(); j++) {
          link(group.get(i), group.get(j));
        }
      }
      group.clear();
    }

    private void link(Row a, Row b) {
      if (a.getBoolean(3) || b.getBoolean(3)) {
        out.add(RowFactory.create(a.getLong(2), b.getLong(2), a.getBoolean(1)));
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return out.poll();
    }
  }
}
