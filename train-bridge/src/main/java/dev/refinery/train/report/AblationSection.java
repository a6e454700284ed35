package dev.refinery.train.report;

import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.report.CardSection;
import dev.refinery.report.Chart;
import dev.refinery.report.DataCard;
import dev.refinery.train.ablate.AblationResults;
import dev.refinery.train.ablate.AblationResults.Result;
import java.util.List;
import java.util.TreeSet;

/**
 * The card's "Data ablation" section for an ablation's run id: the results table (variant, tokens trained,
 * losses, held-out metrics) and a bar chart of the evaluation's losses and bits per byte per variant (lower is
 * better; perplexities, on another scale, stay in the table; train and val loss are each variant's own data,
 * so they do not compare and stay in the table too).
 */
public final class AblationSection implements CardSection {
  @Override
  public String table() {
    return AblationResults.TABLE;
  }

  @Override
  public DataCard.Section build(Warehouse warehouse, String runId) {
    List<Result> results = AblationResults.read(warehouse, runId);
    if (results.isEmpty()) {
      return new DataCard.Section("Data ablation", "<p class=\"note\">No ablation results for this run.</p>", List.of());
    }
    String html = DataCard.table(AblationResults.header(results), AblationResults.cells(results));
    List<String> variants = results.stream().map(Result::variant).toList();
    Chart chart = Chart.bar("Held-out loss by variant (lower is better)", variants);
    TreeSet<String> lossLike = new TreeSet<>();
    results.forEach(r -> r.metrics().keySet().stream().filter(AblationSection::lowerIsBetter).forEach(lossLike::add));
    for (String m : lossLike) {
      chart.series(m, results.stream().map(r -> r.metrics().get(m)).toList());
    }
    return new DataCard.Section("Data ablation", html, List.of(chart));
  }

  private static boolean lowerIsBetter(String metric) {
    return metric.endsWith("loss") || metric.endsWith("bits_per_byte");
  }
}
