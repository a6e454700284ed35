package dev.refinery.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import dev.refinery.core.Document;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.Failpoints;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.ingest.crawl.CrawlSettings;
import dev.refinery.ingest.crawl.HostResolver;
import dev.refinery.ingest.readers.IngestLimits;
import dev.refinery.ingest.readers.InputFile;
import dev.refinery.ingest.readers.InputFiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads every file under {@code ingest.inputs} (WARC/WET/ARC, HTML, text, JSONL, PDF/DOCX/... through Tika),
 * one Spark task per file, into the {@code documents} table; everything unreadable goes to {@code rejects}.
 * Identical URLs (after normalisation) are kept once per run. With {@code ingest.crawl.enabled} it first
 * crawls and reads the WARC files of that crawl too.
 */
public final class IngestStage implements Stage {
  static final String DUPLICATE_URL = "duplicate URL in this run";
  static final String DUPLICATE_DOCUMENT = "duplicate document (same source, locator and text)";
  /** Tasks per core: enough to balance uneven files, few enough to reuse each task's parsers. */
  private static final int FILES_PER_CORE = 4;

  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public String description() {
    return "read WARC/WET/ARC, HTML, text, JSONL and PDF/DOCX/... into documents (main text, language)";
  }

  @Override
  public Set<String> inputs(RefineryConfig config) {
    return Set.of();
  }

  @Override
  public Set<String> outputs(RefineryConfig config) {
    return Set.of(Document.TABLE);
  }

  @Override
  public void validate(StageContext ctx) {
    IngestLimits.from(ctx.config());
    boolean crawl = CrawlBeforeIngest.enabled(ctx.config());
    if (crawl) {
      CrawlSettings.from(ctx.config());
    }
    List<String> inputs = ctx.config().getStringList(InputFiles.KEY);
    if (!crawl || !inputs.isEmpty()) { // a crawl alone is a valid input
      InputFiles.check(inputs, ctx.spark().sparkContext().hadoopConfiguration());
    }
  }

  @Override
  public StageResult run(StageContext ctx) {
    IngestLimits limits = IngestLimits.from(ctx.config());
    Configuration hadoop = ctx.spark().sparkContext().hadoopConfiguration();
    List<String> roots = new ArrayList<>(ctx.config().getStringList(InputFiles.KEY));
    List<Row> crawlRejects = List.of();
    if (CrawlBeforeIngest.enabled(ctx.config())) {
      CrawlBeforeIngest.Crawl crawl = CrawlBeforeIngest.run(ctx.config(), ctx.runId(), HostResolver.SYSTEM);
      roots.add(crawl.warcDir());
      crawlRejects = crawl.rejects();
    }
    List<InputFile> files = InputFiles.list(roots, hadoop);
    Map<String, String> hadoopSettings = new HashMap<>();
    hadoop.forEach(e -> hadoopSettings.put(e.getKey(), e.getValue()));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    // formats are streamed, so a task's memory does not grow with its files; a few files per task lets a
    // task reuse its Tika parser, and the largest files are spread over the tasks first
    int tasks = Math.max(1, Math.min(files.size(), FILES_PER_CORE * jsc.defaultParallelism()));
    IngestPartition partition = new IngestPartition(limits, hadoopSettings);
    dev.refinery.core.config.RefineryConfig config = ctx.config();
    JavaRDD<Row> rows = jsc.parallelize(balanced(files, tasks), tasks).mapPartitions(part -> {
      Failpoints.at(config, "ingest.task"); // reliability tests: a task that fails once must be retried
      return partition.call(part);
    });
    Dataset<Row> items = ctx.spark().createDataFrame(rows, IngestPartition.SCHEMA)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Column isDoc = col(IngestPartition.REASON).isNull();
      Dataset<Row> ranked = items.where(isDoc)
          .withColumn("_url_rank", row_number().over(Window.partitionBy(col(Document.URL))
              .orderBy(col(Document.FETCHED_AT), col(Document.DOC_ID))))
          .withColumn("_id_rank", row_number().over(Window.partitionBy(col(Document.DOC_ID))
              .orderBy(col(Document.FETCHED_AT))))
          .persist(StorageLevel.MEMORY_AND_DISK());
      Column urlDuplicate = col(Document.URL).isNotNull().and(col("_url_rank").gt(1));
      // null for the documents kept
      Column duplicateReason = org.apache.spark.sql.functions.when(urlDuplicate, lit(DUPLICATE_URL))
          .when(col("_id_rank").gt(1), lit(DUPLICATE_DOCUMENT));
      Dataset<Row> documents = ranked.where(duplicateReason.isNull()).select(documentColumns());
      Dataset<Row> duplicates = ranked.where(duplicateReason.isNotNull())
          .select(col(Document.DOC_ID), col(Document.SOURCE), duplicateReason.as("reason"),
              org.apache.spark.sql.functions.concat_ws(" from ", col(Document.URL),
                  org.apache.spark.sql.functions.coalesce(col(Document.META).getItem("path"),
                      col(Document.META).getItem("warc_file"))).as("excerpt"));
      Dataset<Row> crawled = ctx.spark().createDataFrame(crawlRejects, Rejects.SCHEMA);
      Dataset<Row> failed = items.where(isDoc.unary_$bang())
          .select(col(Document.DOC_ID), col(Document.SOURCE), col(IngestPartition.REASON).as("reason"),
              col(IngestPartition.EXCERPT).as("excerpt"))
          .unionByName(crawled);
      ctx.warehouse().write(documents, Document.TABLE, ctx.runId());
      Rejects.write(ctx.warehouse(), ctx.runId(), name(), failed.unionByName(duplicates));
      // one job over the cached rows just written (not a read of the tables): the documents count under a
      // null reason, every reject under its own
      Dataset<Row> outcomes = ranked.select(duplicateReason.as("reason")).unionByName(failed.select("reason"));
      long out = 0;
      Map<String, Long> drops = new LinkedHashMap<>();
      for (Row r : outcomes.groupBy("reason").count().orderBy("reason").collectAsList()) {
        if (r.isNullAt(0)) {
          out = r.getLong(1);
        } else {
          drops.put(r.getString(0), r.getLong(1));
        }
      }
      long dropped = drops.values().stream().mapToLong(Long::longValue).sum();
      ranked.unpersist();
      return new StageResult(out + dropped, out, drops);
    } finally {
      items.unpersist();
    }
  }

  /**
   * Files ordered so that Spark's contiguous slicing into {@code tasks} slices deals them out round-robin
   * by size: every task gets a similar share of the bytes.
   */
  static List<InputFile> balanced(List<InputFile> files, int tasks) {
    List<InputFile> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong(InputFile::size).reversed().thenComparing(InputFile::path));
    List<List<InputFile>> slices = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      slices.add(new ArrayList<>());
    }
    for (int i = 0; i < bySize.size(); i++) {
      slices.get(i % tasks).add(bySize.get(i));
    }
    List<InputFile> out = new ArrayList<>(files.size());
    slices.forEach(out::addAll);
    return out;
  }

  private static Column[] documentColumns() {
    return java.util.Arrays.stream(Document.SCHEMA.fieldNames()).map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new);
  }
}
