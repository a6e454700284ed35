package dev.refinery.dedup;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Warehouse;
import dev.refinery.core.decont.EvaluationSets;
import java.util.Set;

/** The {@code dedup} stage: exact, URL and MinHash-LSH dedup, line dedup and decontamination. */
public final class DedupStage implements Stage {
  @Override
  public String name() {
    return "dedup";
  }

  @Override
  public String description() {
    return "exact + MinHash-LSH dedup, line dedup, decontamination -> dedup_clusters, view documents_unique";
  }

  @Override
  public Set<String> inputs(RefineryConfig config) {
    return Set.of(DedupSettings.from(config).input());
  }

  @Override
  public Set<String> outputs(RefineryConfig config) {
    return Set.of(DedupJob.CLUSTERS, DedupJob.SIGNATURES, DedupJob.LINE_EDITS, DedupJob.UNIQUE_VIEW);
  }

  @Override
  public void validate(StageContext ctx) {
    DedupSettings s = DedupSettings.from(ctx.config());
    EvaluationSets.load(ctx.config());
    Warehouse wh = ctx.warehouse();
    if (s.incremental() && wh.exists(DedupJob.SIGNATURES)) {
      long other = wh.read(DedupJob.SIGNATURES).where(col("params").notEqual(s.signatureParams())
          .and(col(Warehouse.RUN_ID).notEqual(ctx.runId()))).limit(1).count();
      if (other > 0) {
        throw new RefineryException("minhash_signatures holds signatures made with other shingle/permutation "
            + "settings than dedup.minhash now has (" + s.signatureParams() + "); restore them, or set "
            + "dedup.incremental = false to dedup this run on its own (signatures without the 'oph' prefix "
            + "come from the k-permutation MinHash of earlier versions and cannot be restored: dedup the "
            + "earlier runs' documents again, or dedup this run on its own)");
      }
    }
  }

  @Override
  public StageResult run(StageContext ctx) {
    DedupSettings s = DedupSettings.from(ctx.config());
    return new DedupJob(ctx, s, EvaluationSets.load(ctx.config())).run();
  }
}
