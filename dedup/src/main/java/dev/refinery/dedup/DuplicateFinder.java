package dev.refinery.dedup;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.text.Hashing;
import dev.refinery.core.text.TextNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The duplicate-finding engine, independent of the warehouse (the stage and the benchmarks both drive it):
 * fingerprints (normalised-text hash, URL key, MinHash signature, optional Theta sketch) computed in
 * {@code mapPartitions}; star edges from exact-text groups, URL groups and LSH buckets (band, band hash);
 * optional Jaccard verification of LSH edges; connected components; one representative per component.
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

  private static final StructType BAND_SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("fresh", DataTypes.BooleanType, false)
      .add("band", DataTypes.IntegerType, false)
      .add("band_hash", DataTypes.LongType, false);

  private final DedupSettings settings;

  public DuplicateFinder(DedupSettings settings) {
    this.settings = settings;
  }

  /** {@code docs} has doc_id, text, lang, url (lang and url may be null): one fingerprint row each. */
  public Dataset<Row> fingerprints(Dataset<Row> docs) {
    MinHashSigner signer = settings.signer();
    boolean theta = "theta".equals(settings.verify());
    int thetaEntries = settings.thetaEntries();
    MapPartitionsFunction<Row, Row> sign = rows -> {
      List<Row> out = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        String text = r.getAs("text");
        String key = TextNormalizer.dedupKey(text);
        long[] shingles = signer.shingler().shingles(text, r.getAs("lang"));
        long[] sig = signer.sign(shingles);
        out.add(RowFactory.create(r.getAs("doc_id"),
            key.isEmpty() ? null : Hashing.xxh64(key.getBytes(StandardCharsets.UTF_8), 0L),
            urlKey(r.getAs("url")), boxed(sig),
            theta && shingles.length > 0 ? ThetaSketches.sketch(shingles, thetaEntries) : null));
      }
      return out.iterator();
    };
    return docs.select("doc_id", "text", "lang", "url").mapPartitions(sign, Encoders.row(FINGERPRINT_SCHEMA));
  }

  /**
   * Clusters the fresh documents, also against prior ones (representatives of earlier runs, whose
   * fingerprints are stored).
   *
   * @param fresh fingerprints plus {@code rank} (orderable; smallest wins representative)
   * @param prior fingerprints plus {@code cluster_id}, or null; a prior document always stays representative
   * @param texts doc_id, text, lang of fresh and prior documents (used only by exact verification), or null
   * @return rows of {@link #CLUSTER_SCHEMA} for the fresh documents
   */
  public Dataset<Row> clusters(Dataset<Row> fresh, Dataset<Row> prior, Dataset<Row> texts) {
    Dataset<Row> nodes = fresh.select(col("doc_id"), col("text_hash"), col("url_key"), col("signature"),
            col("sketch"), col("rank"))
        .withColumn("fresh", lit(true))
        .withColumn("prior_cluster", lit(null).cast(DataTypes.StringType));
    if (prior != null) {
      nodes = nodes.unionByName(prior.select(col("doc_id"), col("text_hash"), col("url_key"), col("signature"),
              col("sketch"), col("cluster_id").as("prior_cluster"))
          .withColumn("fresh", lit(false))
          .withColumn("rank", lit(null).cast(fresh.schema().apply("rank").dataType())));
    }
    nodes = nodes.persist();

    List<Dataset<Row>> edgeSets = new ArrayList<>();
    if (settings.exactText()) {
      edgeSets.add(starEdges(nodes.where(col("text_hash").isNotNull()), col("text_hash")));
    }
    if (settings.exactUrl()) {
      edgeSets.add(starEdges(nodes.where(col("url_key").isNotNull()), col("url_key")));
    }
    if (settings.minhash()) {
      edgeSets.add(verified(starEdges(bands(nodes), struct(col("band"), col("band_hash"))), nodes, texts));
    }
    Dataset<Row> components;
    if (edgeSets.isEmpty()) {
      components = nodes.select(col("doc_id").as("node"), col("doc_id").as("component")).limit(0);
    } else {
      Dataset<Row> edges = edgeSets.get(0);
      for (int i = 1; i < edgeSets.size(); i++) {
        edges = edges.unionByName(edgeSets.get(i));
      }
      components = ConnectedComponents.of(edges, settings.maxIterations());
    }

    Dataset<Row> placed = nodes.join(components, nodes.col("doc_id").equalTo(components.col("node")), "left")
        .withColumn("component", coalesce(col("component"), col("doc_id")));
    // Prior documents first (already published), then the configured rank, then the id.
    Dataset<Row> chosen = placed.groupBy("component").agg(
        min(struct(when(col("fresh"), 1).otherwise(0).as("f"), col("rank"), col("doc_id"))).as("best"),
        min("prior_cluster").as("prior_cluster"));
    Dataset<Row> reps = chosen.select(col("component").as("c_component"),
        col("best.doc_id").as("representative_id"),
        coalesce(col("prior_cluster"), col("component")).as("cluster_id"));
    Dataset<Row> repKeys = nodes.select(col("doc_id").as("r_id"), col("text_hash").as("r_text_hash"),
        col("url_key").as("r_url_key"));
    Dataset<Row> out = placed.where(col("fresh"))
        .join(reps, col("component").equalTo(col("c_component")))
        .join(repKeys, col("representative_id").equalTo(col("r_id")))
        .withColumn("is_duplicate", col("doc_id").notEqual(col("representative_id")))
        .withColumn("method", when(not(col("is_duplicate")), "unique")
            .when(col("text_hash").equalTo(col("r_text_hash")), "exact_text")
            .when(col("url_key").equalTo(col("r_url_key")), "exact_url") // null URLs never match
            .otherwise("minhash"));
    return out.select("doc_id", "cluster_id", "representative_id", "is_duplicate", "method");
  }

  /**
   * Edges from each member of a group to the group's smallest id (a star: n-1 edges, not n^2 pairs); groups
   * of prior documents only are skipped, they were settled before.
   */
  private static Dataset<Row> starEdges(Dataset<Row> members, Column key) {
    WindowSpec group = Window.partitionBy(key);
    return members.withColumn("root", min(struct(col("doc_id"), col("fresh"))).over(group))
        .where(col("doc_id").notEqual(col("root.doc_id")).and(col("fresh").or(col("root.fresh"))))
        .select(col("root.doc_id").as("src"), col("doc_id").as("dst"));
  }

  /** One row per (document, band) with the band's hash. */
  private Dataset<Row> bands(Dataset<Row> nodes) {
    LshBanding banding = settings.banding();
    FlatMapFunction<Row, Row> explode = r -> {
      long[] hashes = banding.bandHashes(unboxed(r.getList(1)));
      List<Row> out = new ArrayList<>(hashes.length);
      for (int b = 0; b < hashes.length; b++) {
        out.add(RowFactory.create(r.getString(0), r.getBoolean(2), b, hashes[b]));
      }
      return out.iterator();
    };
    return nodes.where(size(col("signature")).gt(0)).select("doc_id", "signature", "fresh")
        .flatMap(explode, Encoders.row(BAND_SCHEMA));
  }

  /** LSH candidate edges kept only when their Jaccard similarity reaches the verify threshold. */
  private Dataset<Row> verified(Dataset<Row> edges, Dataset<Row> nodes, Dataset<Row> texts) {
    double threshold = settings.verifyThreshold();
    switch (settings.verify()) {
      case "theta" -> {
        var sim = udf((UDF2<byte[], byte[], Double>) (a, b) ->
            a == null || b == null ? 0.0 : ThetaSketches.jaccard(a, b), DataTypes.DoubleType);
        Dataset<Row> sa = nodes.select(col("doc_id").as("a_id"), col("sketch").as("a_sketch"));
        Dataset<Row> sb = nodes.select(col("doc_id").as("b_id"), col("sketch").as("b_sketch"));
        return edges.join(sa, col("src").equalTo(col("a_id"))).join(sb, col("dst").equalTo(col("b_id")))
            .where(sim.apply(col("a_sketch"), col("b_sketch")).geq(threshold)).select("src", "dst");
      }
      case "exact" -> {
        Shingler shingler = settings.signer().shingler();
        var sim = udf((UDF4<String, String, String, String, Double>) (ta, la, tb, lb) ->
            Shingler.jaccard(shingler.shingles(ta, la), shingler.shingles(tb, lb)), DataTypes.DoubleType);
        Dataset<Row> ta = texts.select(col("doc_id").as("a_id"), col("text").as("a_text"), col("lang").as("a_lang"));
        Dataset<Row> tb = texts.select(col("doc_id").as("b_id"), col("text").as("b_text"), col("lang").as("b_lang"));
        return edges.join(ta, col("src").equalTo(col("a_id"))).join(tb, col("dst").equalTo(col("b_id")))
            .where(sim.apply(col("a_text"), col("a_lang"), col("b_text"), col("b_lang")).geq(threshold))
            .select("src", "dst");
      }
      default -> {
        return edges;
      }
    }
  }

  /** Host and path, lower-cased, without scheme, "www.", fragment or trailing slash; null when absent. */
  static String urlKey(String url) {
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

  /** Signature column value as a primitive array. */
  static long[] unboxed(List<Long> values) {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
