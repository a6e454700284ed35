package dev.refinery.dedup.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.text.Hashing;
import dev.refinery.core.text.TextNormalizer;
import dev.refinery.dedup.DedupSettings;
import dev.refinery.dedup.minhash.MinHashSigner;
import dev.refinery.dedup.minhash.Shingler;
import dev.refinery.dedup.minhash.ThetaSketches;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The duplicate-finding engine, independent of the warehouse (the stage and the benchmarks both drive it):
 * fingerprints (normalised-text hash, URL key, MinHash signature, optional Theta sketch) computed in
 * {@code mapPartitions}; star edges from exact-text groups, URL groups and LSH buckets (band, band hash) in
 * one shuffle ({@link GroupEdges}); optional Jaccard verification of LSH edges; connected components; one
 * representative per component.
 */
public final class DuplicateFinder {
  /** Fingerprint rows: {@code text_hash} is null for a text without letters or digits. */
  public static final StructType FINGERPRINT_SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("text_hash", DataTypes.LongType, true)
      .add("url_key", DataTypes.StringType, true)
      .add("signature", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("sketch", DataTypes.BinaryType, true);

  /** Output rows, one per fresh document. */
  public static final StructType CLUSTER_SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("cluster_id", DataTypes.StringType, false)
      .add("representative_id", DataTypes.StringType, true)
      .add("is_duplicate", DataTypes.BooleanType, false)
      .add("method", DataTypes.StringType, false);

  /** Ids of candidate nodes up to which they are broadcast to filter wide rows (8 bytes each). */
  private static final long BROADCAST_NODES = 2_000_000;
  private static final UserDefinedFunction NODE_ID =
      udf((UDF1<String, Long>) DuplicateFinder::nodeId, DataTypes.LongType);

  private final DedupSettings settings;

  public DuplicateFinder(DedupSettings settings) {
    this.settings = settings;
  }

  /** {@code docs} has doc_id, text, lang, url (lang and url may be null): one fingerprint row each. */
  public Dataset<Row> fingerprints(Dataset<Row> docs) {
    MinHashSigner signer = settings.signer();
    boolean theta = "theta".equals(settings.verify());
    int thetaEntries = settings.thetaEntries();
    MapPartitionsFunction<Row, Row> sign = rows ->
        new Fingerprinter(rows, signer, theta ? new ThetaSketches(thetaEntries) : null); // one per task
    return docs.select("doc_id", "text", "lang", "url").mapPartitions(sign, Encoders.row(FINGERPRINT_SCHEMA));
  }

  /** Lazily maps doc_id, text, lang, url rows to fingerprint rows: a partition is never held at once. */
  private static final class Fingerprinter implements java.util.Iterator<Row> {
    private final java.util.Iterator<Row> rows;
    private final MinHashSigner signer;
    private final ThetaSketches sketcher;

    Fingerprinter(java.util.Iterator<Row> rows, MinHashSigner signer, ThetaSketches sketcher) {
      this.rows = rows;
      this.signer = signer;
      this.sketcher = sketcher;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Row next() {
      Row r = rows.next();
      String key = TextNormalizer.dedupKey(r.getString(1));
      long[] shingles = signer.shingler().hashesOfKey(key, r.getString(2));
      return RowFactory.create(r.getString(0),
          key.isEmpty() ? null : Hashing.xxh64(key.getBytes(StandardCharsets.UTF_8), 0L),
          urlKey(r.getString(3)), boxed(signer.sign(shingles)),
          sketcher != null && shingles.length > 0 ? sketcher.sketch(shingles) : null);
    }
  }

  /**
   * Clusters the fresh documents, also against prior ones (representatives of earlier runs, whose
   * fingerprints are stored).
   *
   * <p>All heavy steps work on 64-bit node ids ({@link #nodeId}) instead of doc_id strings: one shuffle of
   * (group key, node) rows finds the groups, only their star edges go on to verification and connected
   * components, and only documents on an edge are grouped to choose a representative.
   *
   * @param fresh fingerprints plus {@code rank} (orderable; smallest wins representative)
   * @param prior fingerprints plus {@code cluster_id}, or null; a prior document always stays representative
   * @param texts doc_id, text, lang of fresh and prior documents (used only by exact verification), or null
   * @return rows of {@link #CLUSTER_SCHEMA} for the fresh documents
   */
  public Dataset<Row> clusters(Dataset<Row> fresh, Dataset<Row> prior, Dataset<Row> texts) {
    boolean theta = "theta".equals(settings.verify());
    Column sketch = theta ? col("sketch") : lit(null).cast(DataTypes.BinaryType).as("sketch");
    Dataset<Row> nodes = fresh.select(col("doc_id"), col("text_hash"), col("url_key"), col("signature"),
            sketch, col("rank"))
        .withColumn("fresh", lit(true))
        .withColumn("prior_cluster", lit(null).cast(DataTypes.StringType));
    if (prior != null) {
      nodes = nodes.unionByName(prior.select(col("doc_id"), col("text_hash"), col("url_key"), col("signature"),
              sketch, col("cluster_id").as("prior_cluster"))
          .withColumn("fresh", lit(false))
          .withColumn("rank", lit(null).cast(fresh.schema().apply("rank").dataType())));
    }
    nodes = nodes.withColumn("node", NODE_ID.apply(col("doc_id"))).persist();

    Dataset<Row> stars = GroupEdges.of(nodes, settings).persist();
    Dataset<Row> edges = stars.where(not(col("lsh"))).select("src", "dst");
    if (settings.minhash()) {
      edges = edges.unionByName(verified(stars.where(col("lsh")).select("src", "dst").distinct(), nodes, texts));
    }
    Dataset<Row> components = ConnectedComponents.of(edges, settings.maxIterations());

    // Documents on no edge are their own cluster; only the others are grouped to choose a representative.
    Dataset<Row> placed = nodes.select("node", "doc_id", "fresh", "rank", "text_hash", "url_key", "prior_cluster")
        .join(components, "node", "left").persist();
    Dataset<Row> members = placed.where(col("component").isNotNull());
    // Prior documents first (already published), then the configured rank, then the id.
    Dataset<Row> reps = members.groupBy("component").agg(
            min(struct(when(col("fresh"), 1).otherwise(0).as("f"), col("rank"), col("doc_id"), col("text_hash"),
                col("url_key"))).as("best"),
            min("prior_cluster").as("prior_cluster"), min("doc_id").as("first_id"))
        .select(col("component").as("c_component"), col("best.doc_id").as("representative_id"),
            col("best.text_hash").as("r_text_hash"), col("best.url_key").as("r_url_key"),
            coalesce(col("prior_cluster"), col("first_id")).as("cluster_id"));
    Dataset<Row> grouped = members.where(col("fresh"))
        .join(reps, col("component").equalTo(col("c_component")))
        .withColumn("is_duplicate", col("doc_id").notEqual(col("representative_id")))
        .withColumn("method", when(not(col("is_duplicate")), "unique")
            .when(col("text_hash").equalTo(col("r_text_hash")), "exact_text")
            .when(col("url_key").equalTo(col("r_url_key")), "exact_url") // null URLs never match
            .otherwise("minhash"))
        .select("doc_id", "cluster_id", "representative_id", "is_duplicate", "method");
    Dataset<Row> alone = placed.where(col("component").isNull().and(col("fresh")))
        .select(col("doc_id"), col("doc_id").as("cluster_id"), col("doc_id").as("representative_id"),
            lit(false).as("is_duplicate"), lit("unique").as("method"));
    return grouped.unionByName(alone);
  }

  /** LSH candidate edges kept only when their similarity (Jaccard or containment) reaches the verify threshold. */
  private Dataset<Row> verified(Dataset<Row> edges, Dataset<Row> nodes, Dataset<Row> texts) {
    double threshold = settings.verifyThreshold();
    boolean containment = "containment".equals(settings.verifyMeasure());
    switch (settings.verify()) {
      case "theta" -> {
        var sim = udf((UDF2<byte[], byte[], Double>) (a, b) -> a == null || b == null ? 0.0
            : containment ? ThetaSketches.containment(a, b) : ThetaSketches.jaccard(a, b), DataTypes.DoubleType);
        Dataset<Row> sketches = onEdges(nodes.select(col("node"), col("sketch")), edges);
        return bothEnds(edges, sketches).where(sim.apply(col("a.sketch"), col("b.sketch")).geq(threshold))
            .select("src", "dst");
      }
      case "exact" -> {
        // Each end is shingled once (not once per edge) and its set travels packed, 8 bytes a shingle.
        Shingler shingler = settings.signer().shingler();
        var shingles = udf((UDF2<String, String, byte[]>) (t, l) -> Shingler.pack(shingler.shingles(t, l)),
            DataTypes.BinaryType);
        var sim = udf((UDF2<byte[], byte[], Double>) (a, b) -> containment
            ? Shingler.containment(Shingler.unpack(a), Shingler.unpack(b))
            : Shingler.jaccard(Shingler.unpack(a), Shingler.unpack(b)), DataTypes.DoubleType);
        Dataset<Row> sides = onEdges(texts.select(NODE_ID.apply(col("doc_id")).as("node"), col("text"),
            col("lang")), edges).select(col("node"), shingles.apply(col("text"), col("lang")).as("shingles"))
            .persist();
        return bothEnds(edges, sides).where(sim.apply(col("a.shingles"), col("b.shingles")).geq(threshold))
            .select("src", "dst");
      }
      default -> {
        return edges;
      }
    }
  }

  /**
   * The rows of {@code byNode} whose node is on an edge. Candidate nodes are few next to the corpus, so
   * their ids are broadcast and the wide rows (sketches, texts) are filtered where they lie instead of all
   * being shuffled; past {@link #BROADCAST_NODES} ids a shuffled semi-join takes over.
   */
  private static Dataset<Row> onEdges(Dataset<Row> byNode, Dataset<Row> edges) {
    Dataset<Row> ends = edges.select(col("src").as("node")).union(edges.select(col("dst").as("node"))).distinct()
        .persist();
    Dataset<Row> on = ends.count() <= BROADCAST_NODES ? broadcast(ends) : ends;
    return byNode.join(on, "node", "left_semi");
  }

  /** Edges with the columns of both ends, as {@code a.*} (src) and {@code b.*} (dst). */
  private static Dataset<Row> bothEnds(Dataset<Row> edges, Dataset<Row> sides) {
    return edges.join(sides.alias("a"), col("src").equalTo(col("a.node")))
        .join(sides.alias("b"), col("dst").equalTo(col("b.node")));
  }

  /**
   * The 64-bit node id of a doc_id. Ids in {@link dev.refinery.core.text.DocIds} form (32 hex digits, a
   * 128-bit hash) keep their first 64 bits, ordered as the strings are, so "smallest node" is "smallest
   * doc_id" as before; other ids are hashed (xxh64). Two ids on one node would be treated as one document:
   * the same 2^-64 per-pair risk that exact dedup already takes with its 64-bit text hash.
   */
  static long nodeId(String docId) {
    if (docId.length() == 32) {
      long high = 0;
      boolean hex = true;
      for (int i = 0; i < 32 && hex; i++) {
        char c = docId.charAt(i);
        hex = c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
        if (i < 16) {
          high = high << 4 | Character.digit(c, 16);
        }
      }
      if (hex) {
        return high ^ Long.MIN_VALUE; // unsigned order of the digits as signed order
      }
    }
    return Hashing.xxh64(docId.getBytes(StandardCharsets.UTF_8), 0L);
  }

  /** Host and path, lower-cased, without scheme, "www.", fragment or trailing slash; null when absent. */
  public static String urlKey(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    String u = url.trim().toLowerCase(Locale.ROOT);
    int hash = u.indexOf('#');
    if (hash >= 0) {
      u = u.substring(0, hash);
    }
    int scheme = u.indexOf("://");
    if (scheme >= 0) {
      u = u.substring(scheme + 3);
    }
    if (u.startsWith("www.")) {
      u = u.substring(4);
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u.isEmpty() ? null : u;
  }

  /** The Row encoder takes Scala sequences for array columns; this wraps without copying. */
  private static scala.collection.immutable.ArraySeq<Object> boxed(long[] values) {
    return scala.collection.immutable.ArraySeq.unsafeWrapArray(values);
  }
}
