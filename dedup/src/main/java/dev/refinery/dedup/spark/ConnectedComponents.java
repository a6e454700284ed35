package dev.refinery.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import dev.refinery.core.RefineryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Connected components of an edge list, each named after its smallest node id, so the component id is
 * deterministic whatever the partitioning. An edge list of up to {@link #LOCAL_EDGES} edges (what dedup finds
 * in a run of a few hundred thousand documents) is collected in one job and joined with union-find on the
 * driver: the distributed rounds below cost a few Spark jobs each, seconds on a small run. A longer one is
 * solved by alternating large-star and small-star (Kiveris et al., "Connected Components in MapReduce and
 * Beyond", 2014): every step is a join or group-by over edges, nothing is collected on the driver or in one
 * task; at convergence each component is a star around its smallest node. Edges are checkpointed every
 * round to keep the plan short (reliable checkpoint when a checkpoint directory is set, else local).
 */
public final class ConnectedComponents {
  /** Edges up to which the driver joins them (a few tens of MB of rows). */
  public static final int LOCAL_EDGES = 200_000;

  private ConnectedComponents() {}

  /**
   * @param edges columns {@code src}, {@code dst} (node ids of one orderable type: long or string)
   * @return {@code node}, {@code component} for every node on an edge; component = smallest node id
   */
  public static Dataset<Row> of(Dataset<Row> edges, int maxIterations) {
    return of(edges, maxIterations, LOCAL_EDGES);
  }

  /** As {@link #of(Dataset, int)}, joined on the driver when there are at most {@code localEdges} edges. */
  public static Dataset<Row> of(Dataset<Row> edges, int maxIterations, int localEdges) {
    if (localEdges > 0) {
      List<Row> few = edges.select("src", "dst").limit(localEdges + 1).collectAsList();
      if (few.size() <= localEdges) {
        return onDriver(edges, few);
      }
    }
    Dataset<Row> e = checkpoint(edges.where(col("src").notEqual(col("dst")))
        .select(greatest("src", "dst").as("u"), least(col("src"), col("dst")).as("v")).distinct());
    // Edges from LSH buckets and exact groups are often stars already (one group per cluster): then no round.
    for (int round = 0; !converged(e); round++) {
      if (round == maxIterations) {
        throw new RefineryException("connected components did not converge in " + maxIterations
            + " rounds; raise dedup.components.max-iterations");
      }
      e = checkpoint(smallStar(largeStar(e)));
    }
    Dataset<Row> roots = e.select(col("v").as("node"), col("v").as("component")).distinct();
    return e.select(col("u").as("node"), col("v").as("component")).unionByName(roots);
  }

  /** Union-find over collected edges; every root is the smallest node of its component. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Dataset<Row> onDriver(Dataset<Row> edges, List<Row> rows) {
    Map<Object, Integer> index = new HashMap<>();
    List<Object> nodes = new ArrayList<>();
    int[] parent = new int[2 * rows.size()];
    for (Row r : rows) {
      if (r.get(0).equals(r.get(1))) {
        continue; // a self-loop links nothing (the distributed path drops them too)
      }
      int a = find(parent, indexOf(r.get(0), index, nodes, parent));
      int b = find(parent, indexOf(r.get(1), index, nodes, parent));
      if (a != b) {
        // the smaller node stays root, so a root is always its component's smallest node
        if (((Comparable) nodes.get(a)).compareTo(nodes.get(b)) < 0) {
          parent[b] = a;
        } else {
          parent[a] = b;
        }
      }
    }
    List<Row> out = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      out.add(RowFactory.create(nodes.get(i), nodes.get(find(parent, i))));
    }
    DataType type = edges.schema().apply("src").dataType();
    StructType schema = new StructType().add("node", type, false).add("component", type, false);
    return edges.sparkSession().createDataFrame(out, schema);
  }

  private static int indexOf(Object node, Map<Object, Integer> index, List<Object> nodes, int[] parent) {
    Integer i = index.get(node);
    if (i == null) {
      i = nodes.size();
      index.put(node, i);
      nodes.add(node);
      parent[i] = i;
    }
    return i;
  }

  /** The root of {@code i}, halving the path on the way. */
  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Links every larger neighbour of u to the smallest node of u's closed neighbourhood. */
  static Dataset<Row> largeStar(Dataset<Row> e) {
    Dataset<Row> both = e.unionByName(e.select(col("v").as("u"), col("u").as("v")));
    Dataset<Row> m = both.groupBy("u").agg(min("v").as("mv"))
        .select(col("u").as("mu_node"), least(col("u"), col("mv")).as("m"));
    return both.join(m, both.col("u").equalTo(m.col("mu_node")))
        .where(col("v").gt(col("u")))
        .select(col("v").as("u"), col("m").as("v"))
        .distinct();
  }

  /** Links u and its smaller neighbours to the smallest of them. */
  static Dataset<Row> smallStar(Dataset<Row> e) {
    Dataset<Row> m = e.groupBy("u").agg(min("v").as("m")).withColumnRenamed("u", "mu_node");
    Dataset<Row> joined = e.join(m, e.col("u").equalTo(m.col("mu_node")));
    Dataset<Row> smaller = joined.where(col("v").notEqual(col("m"))).select(col("v").as("u"), col("m").as("v"));
    Dataset<Row> self = joined.select(col("u"), col("m").as("v"));
    return smaller.unionByName(self).distinct();
  }

  /** Stars: no node has two parents, and no parent has a parent (one Spark job). */
  static boolean converged(Dataset<Row> e) {
    Dataset<Row> roles = e.select(col("u").as("node"), lit(1).as("as_child"), lit(0).as("as_parent"))
        .unionByName(e.select(col("v").as("node"), lit(0).as("as_child"), lit(1).as("as_parent")));
    return roles.groupBy("node").agg(sum("as_child").as("c"), max("as_parent").as("p"))
        .where(col("c").gt(1).or(col("c").geq(1).and(col("p").equalTo(1))))
        .isEmpty();
  }

  private static org.apache.spark.sql.Column greatest(String a, String b) {
    return org.apache.spark.sql.functions.greatest(col(a), col(b));
  }

  private static Dataset<Row> checkpoint(Dataset<Row> d) {
    boolean reliable = d.sparkSession().sparkContext().getCheckpointDir().isDefined();
    return reliable ? d.checkpoint(true) : d.localCheckpoint(true);
  }
}
