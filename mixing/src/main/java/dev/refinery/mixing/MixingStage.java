package dev.refinery.mixing;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.Document;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.mixing.labels.DomainRules;
import dev.refinery.mixing.labels.TopicClassifier;
import dev.refinery.mixing.plan.MixturePlan;
import dev.refinery.mixing.plan.MixturePlanner;
import dev.refinery.mixing.spark.CellHistogram;
import dev.refinery.mixing.spark.LabelAndCount;
import dev.refinery.mixing.spark.MixtureReport;
import dev.refinery.mixing.spark.MixtureSampler;
import dev.refinery.mixing.spark.SourceReader;
import dev.refinery.mixing.spec.MixtureSpec;
import dev.refinery.mixing.spec.SourceSpec;
import dev.refinery.mixing.tokens.TokenCounting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The mixing stage: label every document of the mixture sources with a domain, count its tokens, plan the
 * per-cell targets, sample deterministically and write {@code mixture} and {@code mixture_report}.
 */
public final class MixingStage implements Stage {
  public static final String NAME = "mixing";
  public static final String MIXTURE = "mixture";
  public static final String NOT_SAMPLED = "not_in_mixture";


  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "domain labels, token counts and a target mixture sampled deterministically -> mixture, mixture_report";
  }

  /** The tables of {@code mixing.sources}. */
  @Override
  public Set<String> inputs(RefineryConfig config) {
    return MixtureSpec.from(config).sources().stream().map(SourceSpec::table).collect(Collectors.toSet());
  }

  @Override
  public Set<String> outputs(RefineryConfig config) {
    return Set.of(MIXTURE, MixtureReport.TABLE);
  }

  @Override
  public void validate(StageContext ctx) {
    MixtureSpec spec = MixtureSpec.from(ctx.config());
    DomainRules.from(ctx.config());
    TokenCounting.from(ctx.config());
    TopicClassifier.validate(ctx.config());
    SourceReader reader = new SourceReader(ctx.warehouse(), ctx.runId());
    for (SourceSpec s : spec.sources()) {
      if (ctx.warehouse().exists(s.table())) { // else an earlier stage of this run writes it
        reader.read(s); // resolves the filter and column expressions against the table's schema
      }
    }
  }

  @Override
  public StageResult run(StageContext ctx) {
    MixtureSpec spec = MixtureSpec.from(ctx.config());
    Dataset<Row> input = new SourceReader(ctx.warehouse(), ctx.runId()).readAll(spec.sources());
    LabelAndCount labelAndCount = new LabelAndCount(DomainRules.from(ctx.config()), TokenCounting.from(ctx.config()));
    dev.refinery.core.config.RefineryConfig config = ctx.config();
    Dataset<Row> counted = input.mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) rows -> {
      dev.refinery.core.stage.Failpoints.at(config, "mixing.task"); // reliability tests: fail one task attempt
      return labelAndCount.call(rows);
    }, Encoders.row(LabelAndCount.SCHEMA));
    if (TopicClassifier.configured(ctx.config())) {
      counted = TopicClassifier.train(ctx.spark(), ctx.config()).relabel(counted, LabelAndCount.DOMAIN,
          LabelAndCount.DOMAIN_SOURCE, LabelAndCount.DOMAIN_SCORE);
    }
    Dataset<Row> labelled = MixtureSampler.withBuckets(counted, spec.seed()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return sampleAndWrite(ctx, spec, labelled);
    } finally {
      labelled.unpersist();
    }
  }

  private StageResult sampleAndWrite(StageContext ctx, MixtureSpec spec, Dataset<Row> labelled) {
    Dataset<Row> rejected = labelled.where(col(LabelAndCount.REJECT_REASON).isNotNull());
    Rejects.write(ctx.warehouse(), ctx.runId(), NAME, rejected.select(col(Document.DOC_ID), col(Document.SOURCE),
        col(LabelAndCount.REJECT_REASON).as("reason"), excerpt(col(Document.TEXT)).as("excerpt")));
    Dataset<Row> usable = labelled.where(col(LabelAndCount.REJECT_REASON).isNull());

    CellHistogram histogram = CellHistogram.of(usable, spec.groupBy());
    MixturePlan plan = new MixturePlanner(spec).plan(histogram.cells());
    ctx.warehouse().write(MixtureSampler.sample(usable, plan, spec.groupBy()), MIXTURE, ctx.runId());

    Dataset<Row> mixture = ctx.warehouse().readRun(MIXTURE, ctx.runId());
    List<Row> report = MixtureReport.build(mixture, plan, histogram, spec.groupBy());
    ctx.warehouse().write(ctx.spark().createDataFrame(report, MixtureReport.SCHEMA), MixtureReport.TABLE,
        ctx.runId());

    Map<String, Long> drops = new LinkedHashMap<>();
    long rowsIn = 0;
    for (Row r : labelled.groupBy(LabelAndCount.REJECT_REASON).count().collectAsList()) {
      rowsIn += r.getLong(1);
      if (!r.isNullAt(0)) {
        drops.put(r.getString(0), r.getLong(1));
      }
    }
    Row total = report.get(report.size() - 1);
    long usableDocs = total.getLong(MixtureReport.SCHEMA.fieldIndex("available_docs"));
    long sampledDocs = total.getLong(MixtureReport.SCHEMA.fieldIndex("achieved_docs"));
    drops.put(NOT_SAMPLED, usableDocs - sampledDocs);
    return new StageResult(rowsIn, total.getLong(MixtureReport.SCHEMA.fieldIndex("achieved_rows")), drops);
  }

  private static org.apache.spark.sql.Column excerpt(org.apache.spark.sql.Column text) {
    return org.apache.spark.sql.functions.substring(text, 1, Rejects.EXCERPT_CHARS);
  }
}
