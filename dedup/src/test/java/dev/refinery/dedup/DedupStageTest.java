package dev.refinery.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.Document;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.dedup.spark.ConnectedComponents;
import dev.refinery.dedup.spark.DuplicateFinder;
import dev.refinery.dedup.spark.GroupEdges;
import dev.refinery.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupStageTest {
  private static final String BRIDGE = "The old stone bridge over the river was closed on Monday after engineers found "
      + "deep cracks in two of its arches, and the council said repairs would take at least six months while "
      + "traffic is sent through the northern bypass and a temporary ferry carries cyclists and walkers across.";
  private static final String BAKERY = "A small bakery on the corner of Elm Street has won the regional bread prize "
      + "for the third year running, thanks to a sourdough starter the owner says her grandmother brought from "
      + "the mountains decades ago and has fed every single morning since then without fail.";
  private static final String CHESS = "The chess club meets every Thursday evening in the library basement, where "
      + "beginners learn openings from volunteers and stronger players analyse famous games from the last "
      + "century, and newcomers of every age are always welcome to sit down and play a first game.";
  private static final String ZH = "城市图书馆今年扩建了儿童阅览区，新增了两千多册绘本和科普读物，周末还会邀请志愿者为孩子们讲故事，"
      + "受到了附近居民的普遍欢迎，馆长表示明年还将延长开放时间。";
  private static final String BOILERPLATE = "Subscribe to our newsletter for weekly updates from the valley";

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void findsExactUrlAndNearDuplicatesAlsoAgainstEarlierRuns(@TempDir Path dir) throws Exception {
    String instruction = new ObjectMapper().readTree(Files.readAllLines(TestSpark.sharedData(
        "instruction-preference/self-instruct/user_oriented_instructions.jsonl").toPath()).get(0))
        .get("instruction").asText();
    var config = TestSpark.config(dir, "dedup.input=documents", "dedup.lines.max-occurrences=2",
        "decontamination.eval-sets=[\"" + TestSpark.sharedData(
            "instruction-preference/self-instruct/user_oriented_instructions.jsonl").getAbsolutePath() + "\"]");
    Warehouse wh = new Warehouse(spark, config.getString("warehouse.root"));
    writeDocuments(wh, "r1", List.of(
        doc("bridge", "https://news.example/bridge", BRIDGE, "en", 1),
        doc("bridge-near", "https://other.example/b", BRIDGE.replace("across.", "over."), "en", 2),
        doc("bridge-copy", "https://mirror.example/x", BRIDGE.toUpperCase().replace(",", " ;"), "en", 3),
        doc("bakery", "https://news.example/bakery", BAKERY + "\n" + BOILERPLATE, "en", 4),
        doc("bakery-url", "http://www.news.example/bakery/", "This story has moved.\n" + BOILERPLATE, "en", 5),
        doc("chess", "https://club.example/chess", CHESS + "\n" + BOILERPLATE, "en", 6),
        doc("chess-near", "https://club.example/chess-2", CHESS.replace("game.", "match."), "en", 6),
        doc("zh", null, ZH, "zh", 7),
        doc("zh-near", null, ZH.replace("两千多册", "三千多册"), null, 8),
        doc("empty", "https://e.example/", "  ... \n ", "en", 9),
        doc("leak", "https://blog.example/leak", "My favourite prompt is this one: " + instruction, "en", 10)));

    StageContext ctx = new StageContext(spark, config, wh, "r1");
    DedupStage stage = new DedupStage();
    stage.validate(ctx);
    StageResult result = stage.run(ctx);
    Map<String, Row> c = clusters(wh, "r1");
    assertEquals(11, c.size(), "a row for every input document");

    String bridge = id("bridge");
    // Representative by length: the upper-cased copy with " ;" is the longest of the three.
    String rep = c.get(id("bridge")).getAs("representative_id");
    assertEquals(id("bridge-copy"), rep);
    assertEquals(Set.of(id("bridge"), id("bridge-near"), id("bridge-copy")),
        members(c, c.get(bridge).getAs("cluster_id")));
    assertEquals("exact_text", c.get(bridge).getAs("method"));
    assertEquals("minhash", c.get(id("bridge-near")).getAs("method"));
    assertEquals("exact_url", c.get(id("bakery-url")).getAs("method"), "same URL, other text");
    assertFalse(dup(c, "bakery"));
    assertEquals("minhash", c.get(id("chess")).getAs("method"), "equal once the repeated line is gone");
    assertFalse(dup(c, "zh"), "equal length: the earliest is kept");
    assertEquals("minhash", c.get(id("zh-near")).getAs("method"), "Chinese by characters, lang from script");
    assertEquals("empty_text", c.get(id("empty")).getAs("method"));
    assertEquals("decontamination", c.get(id("leak")).getAs("method"));
    assertEquals(4, result.rowsOut());
    assertEquals(c.size(), result.rowsIn(), "every input document has a dedup_clusters row");
    assertEquals(wh.count("documents", "r1"), result.rowsIn());
    assertEquals(Map.of("exact_text", 1L, "minhash", 3L, "exact_url", 1L, "empty_text", 1L,
        "decontamination", 1L), result.drops());

    List<Row> unique = wh.readRun(DedupJob.UNIQUE_VIEW, "r1").collectAsList();
    assertEquals(4, unique.size());
    for (Row r : unique) {
      assertFalse(r.<String>getAs("text").contains("newsletter"), "line in 3 texts > max-occurrences 2");
    }
    assertEquals(1, wh.readRun("rejects", "r1").where("stage = 'dedup' AND reason = 'empty_text'").count());

    // A new batch against the warehouse: old signatures are reused, not recomputed.
    long oldSignatures = wh.readRun(DedupJob.SIGNATURES, "r1").count();
    writeDocuments(wh, "r2", List.of(
        doc("bridge-later", "https://late.example/b", BRIDGE.replace("across.", "across the river."), "en", 20),
        doc("new", "https://new.example/", BAKERY.replace("bakery", "butcher").replace("bread", "sausage")
            .replace("sourdough starter", "smoking recipe").replace("fed", "used"), "en", 21)));
    StageContext ctx2 = new StageContext(spark, config, wh, "r2");
    stage.validate(ctx2);
    StageResult r2 = stage.run(ctx2);
    Map<String, Row> c2 = clusters(wh, "r2");
    assertEquals(2, c2.size());
    assertEquals(id("bridge-copy"), c2.get(id("bridge-later")).getAs("representative_id"));
    assertEquals(c.get(bridge).<String>getAs("cluster_id"), c2.get(id("bridge-later")).getAs("cluster_id"),
        "joins the earlier cluster");
    assertFalse(dup(c2, "new"));
    assertEquals(1, r2.rowsOut());
    assertEquals(2, r2.rowsIn());
    assertEquals(oldSignatures, wh.readRun(DedupJob.SIGNATURES, "r1").count());
    assertEquals(2, wh.readRun(DedupJob.SIGNATURES, "r2").count());
  }

  @Test
  void clustersDoNotDependOnPartitioningOrOrder() {
    DedupSettings s = DedupSettings.from(TestSpark.config(Path.of("unused")));
    DuplicateFinder finder = new DuplicateFinder(s);
    List<Row> rows = new ArrayList<>();
    String[] texts = {BRIDGE, BAKERY, CHESS, ZH};
    for (int i = 0; i < 40; i++) {
      String t = texts[i % 4] + " variant " + (i / 4);
      rows.add(RowFactory.create("d" + (1000 + i * 7919 % 40), t, null, "u" + i, i % 3));
    }
    StructType schema = new StructType().add("doc_id", DataTypes.StringType).add("text", DataTypes.StringType)
        .add("lang", DataTypes.StringType).add("url", DataTypes.StringType).add("len", DataTypes.IntegerType);
    Dataset<Row> docs = spark.createDataFrame(rows, schema);
    List<Row> reversed = new ArrayList<>(rows);
    java.util.Collections.reverse(reversed);
    Dataset<Row> shuffled = spark.createDataFrame(reversed, schema).repartition(3);
    assertEquals(run(finder, docs), run(finder, shuffled));
    Set<String> clusterIds = new TreeSet<>();
    run(finder, docs).values().forEach(r -> clusterIds.add(r.getString(1)));
    assertEquals(4, clusterIds.size(), "four texts, ten variants each");
  }

  @Test
  void smallLshBucketsOfferEveryPairForVerification() {
    // Nodes 1, 2, 3 share every band; 4 and 5 (prior documents) share theirs with 6 (fresh).
    long[] a = new long[112];
    long[] b = new long[112];
    java.util.Arrays.fill(b, 7L);
    List<Row> rows = List.of(node(3, a, true), node(1, a, true), node(2, a, true), node(4, b, false),
        node(5, b, false), node(6, b, true));
    StructType schema = new StructType().add("node", DataTypes.LongType).add("text_hash", DataTypes.LongType)
        .add("url_key", DataTypes.StringType)
        .add("signature", DataTypes.createArrayType(DataTypes.LongType)).add("fresh", DataTypes.BooleanType);
    Dataset<Row> nodes = spark.createDataFrame(rows, schema).repartition(2);
    assertEquals(Set.of("1-2", "1-3", "2-3", "4-6", "5-6"), edges(nodes, "dedup.minhash.verify=exact"),
        "verified: every pair of a small bucket, none between two prior documents");
    assertEquals(Set.of("1-2", "1-3", "4-6"), edges(nodes, "dedup.minhash.verify=none"),
        "unverified: a star around the smallest node links them all the same");
    assertEquals(Set.of("1-2", "1-3", "4-6"), edges(nodes, "dedup.minhash.verify=exact",
        "dedup.minhash.pairwise-bucket-max=2"), "past the bound: a star");
  }

  private static Row node(long node, long[] signature, boolean fresh) {
    return RowFactory.create(node, null, null, java.util.Arrays.stream(signature).boxed().toList(), fresh);
  }

  private static Set<String> edges(Dataset<Row> nodes, String... settings) {
    DedupSettings s = DedupSettings.from(TestSpark.config(Path.of("unused"), settings));
    Set<String> out = new TreeSet<>();
    for (Row r : GroupEdges.of(nodes, s).collectAsList()) {
      assertTrue(r.getBoolean(2), "only LSH groups here");
      out.add(r.getLong(0) + "-" + r.getLong(1));
    }
    return out;
  }

  @Test
  void connectedComponentsJoinChainsOnTheDriverAndDistributed() {
    StructType schema = new StructType().add("src", DataTypes.StringType).add("dst", DataTypes.StringType);
    List<Row> edges = new ArrayList<>(List.of(RowFactory.create("a", "b"), RowFactory.create("c", "b"),
        RowFactory.create("x", "y"), RowFactory.create("z", "z")));  // a self-loop is no component
    for (int i = 0; i < 30; i++) { // a long path 0..30 in scrambled order
      edges.add(RowFactory.create("p" + (100 + (i * 17) % 31), "p" + (100 + (i * 17 + 1) % 31)));
    }
    for (int localEdges : new int[] {0, ConnectedComponents.LOCAL_EDGES}) { // large-star/small-star, union-find
      Map<String, String> comp = new TreeMap<>();
      for (Row r : ConnectedComponents.of(spark.createDataFrame(edges, schema).repartition(4), 40, localEdges)
          .collectAsList()) {
        comp.put(r.getString(0), r.getString(1));
      }
      assertComponents(comp);
    }
  }

  @Test
  void lineDedupEditsTheSameWithBroadcastOrJoinedKeys() {
    StructType schema = new StructType().add("doc_id", DataTypes.StringType).add("text", DataTypes.StringType)
        .add("source", DataTypes.StringType);
    List<Row> docs = List.of(RowFactory.create("a", BRIDGE + "\n" + BOILERPLATE, "s"),
        RowFactory.create("b", BAKERY + "\n" + BOILERPLATE + "\nMenu", "s"),
        RowFactory.create("c", "Menu\n" + BOILERPLATE, "s"), RowFactory.create("d", CHESS + "\nMenu", "s"),
        RowFactory.create("e", null, "s"));
    Map<String, String> expected = Map.of("a", BRIDGE + "|1", "b", BAKERY + "|2", "c", "|2", "d", CHESS + "|1",
        "e", "null|0");
    for (int broadcastKeys : new int[] {0, 1, dev.refinery.dedup.spark.LineDedup.BROADCAST_KEYS}) { // join, broadcast
      Map<String, String> edited = new TreeMap<>();
      dev.refinery.dedup.spark.LineDedup.Result result =
          dev.refinery.dedup.spark.LineDedup.apply(spark.createDataFrame(docs, schema).repartition(3), 2, broadcastKeys);
      for (Row r : result.docs().collectAsList()) {
        assertEquals("s", r.getString(2));
        edited.put(r.getString(0), r.getString(1) + "|" + r.getInt(3));
      }
      assertEquals(expected, edited, "broadcast up to " + broadcastKeys + " keys");
      // the probe's keys stay cached for the joins past the bound (two frequent lines here), and only then
      assertEquals(broadcastKeys == 1, result.cached() != null && result.cached().storageLevel().useMemory(),
          "cached frequent keys with a bound of " + broadcastKeys);
      result.release();
    }
  }

  private static void assertComponents(Map<String, String> comp) {
    assertEquals("a", comp.get("a"));
    assertEquals("a", comp.get("b"));
    assertEquals("a", comp.get("c"), "a~b~c: one component although a and c share no edge");
    assertEquals("x", comp.get("y"));
    for (int i = 0; i < 31; i++) {
      assertEquals("p100", comp.get("p" + (100 + i)));
    }
    assertEquals(3 + 2 + 31, comp.size());
  }

  private static Map<String, Row> run(DuplicateFinder finder, Dataset<Row> docs) {
    Dataset<Row> fresh = finder.fingerprints(docs).join(docs.select(docs.col("doc_id"),
        org.apache.spark.sql.functions.struct(docs.col("len")).as("rank")), "doc_id");
    Map<String, Row> out = new TreeMap<>();
    finder.clusters(fresh, null, null).collectAsList().forEach(r -> out.put(r.getString(0), r));
    return out;
  }

  private static Row doc(String name, String url, String text, String lang, int minute) {
    return RowFactory.create(id(name), "test", url, new Timestamp(1_700_000_000_000L + minute * 60_000L),
        "text/plain", lang, 1.0, text, new HashMap<String, String>());
  }

  private static String id(String name) {
    return dev.refinery.core.text.DocIds.of("test", name, name);
  }

  private static void writeDocuments(Warehouse wh, String run, List<Row> rows) {
    wh.write(spark.createDataFrame(rows, Document.SCHEMA), "documents", run);
  }

  private static Map<String, Row> clusters(Warehouse wh, String run) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : wh.readRun(DedupJob.CLUSTERS, run).select("doc_id", "cluster_id", "representative_id",
        "is_duplicate", "method").collectAsList()) {
      out.put(r.getString(0), r);
    }
    return out;
  }

  private static boolean dup(Map<String, Row> c, String name) {
    return c.get(id(name)).getAs("is_duplicate");
  }

  private static Set<String> members(Map<String, Row> c, String clusterId) {
    Set<String> out = new TreeSet<>();
    c.values().stream().filter(r -> clusterId.equals(r.getAs("cluster_id"))).forEach(r -> out.add(r.getString(0)));
    return out;
  }
}
