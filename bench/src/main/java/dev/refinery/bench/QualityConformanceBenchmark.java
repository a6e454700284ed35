package dev.refinery.bench;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.quality.SignalPass;
import dev.refinery.quality.rules.QualityRules;
import dev.refinery.quality.rules.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Agreement of our keep/drop decisions with datatrove's GopherQuality, GopherRepetition, C4Quality and
 * FineWebQuality filters (defaults, English) on the same 2,000+ real documents. Ours: the signal pass, then
 * the default rules of each filter as SQL (the same path the quality stage takes). Lists every kind of
 * disagreement (our rule vs their reason) with its count.
 */
public final class QualityConformanceBenchmark implements Benchmark {
  @Override
  public String name() {
    return "quality-conformance";
  }

  @Override
  public String description() {
    return "keep/drop agreement with datatrove's Gopher quality/repetition, C4 and FineWeb filters on 2,000+ docs";
  }

  @Override
  public List<String> smoke() {
    return List.of("--docs", "100");
  }

  @Override
  public List<String> resultKeys(List<String> args) {
    List<String> keys = new ArrayList<>(List.of("documents", "min_agreement"));
    QualityPeer.FILTERS.forEach(f -> keys.add("agreement_" + f));
    return keys;
  }

  @Override
  public BenchResult run(List<String> args) throws Exception {
    QualityPeer peer = new QualityPeer();
    List<QualityPeer.Doc> docs = peer.documents(args.contains("--docs")
        ? Integer.parseInt(args.get(args.indexOf("--docs") + 1)) : Integer.MAX_VALUE);
    QualityPeer.Verdicts theirs = peer.datatrove();
    RefineryConfig config = RefineryConfig.defaultsOnly();
    SignalPass pass = SignalPass.fromConfig(config, path -> List.of());
    SignalPass.Measurer m = pass.measurer();
    List<Row> rows = new ArrayList<>();
    for (QualityPeer.Doc d : docs) {
      rows.add(m.measure(d.id(), null, "en", d.text(), null)); // datatrove runs them all as English
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("quality-conformance")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    Dataset<Row> signals = spark.createDataFrame(rows, pass.schema());
    QualityRules all = QualityRules.fromConfig(config);
    Map<String, QualityRules> byFilter = new LinkedHashMap<>();
    byFilter.put("gopher_quality", new QualityRules(all.preset("gopher").rules().stream()
        .filter(r -> !r.name().startsWith("gopher_rep_")).toList()));
    byFilter.put("gopher_repetition", new QualityRules(all.preset("gopher").rules().stream()
        .filter((Rule r) -> r.name().startsWith("gopher_rep_")).toList()));
    byFilter.put("c4", all.preset("c4"));
    byFilter.put("fineweb", all.preset("fineweb"));
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    cols.add(functions.col("doc_id"));
    byFilter.forEach((f, r) -> cols.add(r.dropRule().as(f)));
    Map<String, Map<String, String>> ours = new LinkedHashMap<>();
    for (Row r : signals.select(cols.toArray(new org.apache.spark.sql.Column[0])).collectAsList()) {
      Map<String, String> v = new LinkedHashMap<>();
      for (int i = 0; i < QualityPeer.FILTERS.size(); i++) {
        v.put(QualityPeer.FILTERS.get(i), r.getString(i + 1));
      }
      ours.put(r.getString(0), v);
    }
    spark.stop();

    List<String> table = new ArrayList<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("documents", docs.size());
    double min = 1.0;
    Map<String, Double> agreement = new LinkedHashMap<>();
    for (String f : QualityPeer.FILTERS) {
      int agree = 0;
      int theyDrop = 0;
      Map<String, Integer> kinds = new TreeMap<>();
      for (QualityPeer.Doc d : docs) {
        String o = ours.get(d.id()).get(f);
        String t = theirs.byDoc().get(d.id()).get(f);
        theyDrop += t == null ? 0 : 1;
        if ((o == null) == (t == null)) {
          agree++;
        } else {
          kinds.merge("ours=" + (o == null ? "keep" : o) + " datatrove=" + (t == null ? "keep" : t), 1, Integer::sum);
        }
      }
      double a = (double) agree / docs.size();
      agreement.put(f, a);
      min = Math.min(min, a);
      table.add(String.format("%-18s agreement %.4f (%d/%d; datatrove drops %d)", f, a, agree, docs.size(), theyDrop));
      kinds.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue())
          .forEach(k -> table.add(String.format("    %4d  %s", k.getValue(), k.getKey())));
    }
    figures.put("min_agreement", min);
    agreement.forEach((f, a) -> figures.put("agreement_" + f, a));
    return new BenchResult(table, figures);
  }
}
