package dev.refinery.dedup;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.text.Hashing;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Star edges of the groups documents fall into: equal normalised text, equal URL, equal LSH band. Every
 * document becomes one (key, node) row per group key, all 64-bit; one shuffle by key and a sort bring each
 * group together, and a scan links every member to the group's smallest node. Most groups are a single
 * document and yield nothing, so what leaves this step is small next to the corpus.
 */
final class GroupEdges {
  static final StructType EDGE_SCHEMA = new StructType()
      .add("src", DataTypes.LongType, false)
      .add("dst", DataTypes.LongType, false)
      .add("lsh", DataTypes.BooleanType, false);

  private static final StructType KEY_SCHEMA = new StructType()
      .add("key", DataTypes.LongType, false)
      .add("lsh", DataTypes.BooleanType, false)
      .add("node", DataTypes.LongType, false)
      .add("fresh", DataTypes.BooleanType, false);
  // Seeds that keep the key spaces of text hashes, URLs and bands apart.
  private static final long TEXT_KEY = 0x7E47_0000_0000_0001L;
  private static final long URL_KEY = 0x0A11_0000_0000_0002L;

  private GroupEdges() {}

  /**
   * @param nodes rows with node (long), text_hash, url_key, signature, fresh
   * @return {@link #EDGE_SCHEMA} rows: src is the group's smallest node, lsh tells a band group from an exact
   *     one; groups of prior documents only are skipped (they were settled before)
   */
  static Dataset<Row> of(Dataset<Row> nodes, DedupSettings settings) {
    boolean text = settings.exactText();
    boolean url = settings.exactUrl();
    LshBanding banding = settings.minhash() ? settings.banding() : null;
    FlatMapFunction<Row, Row> keys = r -> {
      long node = r.getLong(0);
      boolean fresh = r.getBoolean(4);
      java.util.List<Row> out = new java.util.ArrayList<>(banding == null ? 2 : banding.bands() + 2);
      if (text && !r.isNullAt(1)) {
        out.add(RowFactory.create(Hashing.fmix64(r.getLong(1) ^ TEXT_KEY), false, node, fresh));
      }
      if (url && !r.isNullAt(2)) {
        out.add(RowFactory.create(dev.refinery.core.text.Hashing.xxh64(r.getString(2), URL_KEY), false, node,
            fresh));
      }
      java.util.List<Long> signature = r.getList(3);
      if (banding != null && !signature.isEmpty()) {
        for (long h : banding.bandHashes(DuplicateFinder.unboxed(signature))) {
          out.add(RowFactory.create(h, true, node, fresh));
        }
      }
      return out.iterator();
    };
    MapPartitionsFunction<Row, Row> stars = StarScan::new;
    return nodes.select("node", "text_hash", "url_key", "signature", "fresh")
        .flatMap(keys, Encoders.row(KEY_SCHEMA))
        .repartition(col("key"))
        .sortWithinPartitions("key", "lsh", "node")
        .mapPartitions(stars, Encoders.row(EDGE_SCHEMA));
  }

  /** Walks (key, lsh, node)-sorted rows; emits root -> member for each further member of a run. */
  private static final class StarScan implements Iterator<Row> {
    private final Iterator<Row> rows;
    private Row pending; // next row of the input not yet consumed
    private Row root;
    private Row next;

    StarScan(Iterator<Row> rows) {
      this.rows = rows;
      this.pending = rows.hasNext() ? rows.next() : null;
    }

    @Override
    public boolean hasNext() {
      while (next == null && pending != null) {
        Row r = pending;
        pending = rows.hasNext() ? rows.next() : null;
        if (root == null || r.getLong(0) != root.getLong(0) || r.getBoolean(1) != root.getBoolean(1)) {
          root = r;
        } else if (r.getLong(2) != root.getLong(2) && (r.getBoolean(3) || root.getBoolean(3))) {
          next = RowFactory.create(root.getLong(2), r.getLong(2), r.getBoolean(1));
        }
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row out = next;
      next = null;
      return out;
    }
  }
}
