package dev.refinery.ingest;

import dev.refinery.core.Document;
import dev.refinery.core.text.DocIds;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.ingest.langid.LanguageGuess;
import dev.refinery.ingest.langid.LanguageIdentifier;
import dev.refinery.ingest.readers.FileReaders;
import dev.refinery.ingest.readers.IngestItem;
import dev.refinery.ingest.readers.IngestLimits;
import dev.refinery.ingest.readers.InputFile;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The Spark side of ingest: one partition reads its input files with one set of readers (one Tika parser,
 * one language identifier) and emits rows that are either documents ({@code reason} null) or rejects.
 */
final class IngestPartition implements FlatMapFunction<Iterator<InputFile>, Row> {
  static final String REASON = "reason";
  static final String EXCERPT = "excerpt";
  /** Document columns plus the reject reason and excerpt. */
  static final StructType SCHEMA = Document.SCHEMA
      .add(REASON, DataTypes.StringType, true)
      .add(EXCERPT, DataTypes.StringType, true);

  private final IngestLimits limits;
  private final Map<String, String> hadoopSettings;

  IngestPartition(IngestLimits limits, Map<String, String> hadoopSettings) {
    this.limits = limits;
    this.hadoopSettings = new HashMap<>(hadoopSettings);
  }

  @Override
  public Iterator<Row> call(Iterator<InputFile> files) {
    Configuration hadoop = new Configuration();
    hadoopSettings.forEach(hadoop::set);
    FileReaders readers = new FileReaders(limits, hadoop);
    LanguageIdentifier langid = new LanguageIdentifier(limits.langidMinLetters(), limits.langidMinScore(),
        limits.langidSampleChars());
    return new Iterator<>() {
      private Iterator<IngestItem> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          if (!files.hasNext()) {
            readers.close();
            return false;
          }
          current = readers.read(files.next());
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return toRow(current.next(), langid);
      }
    };
  }

  private static Row toRow(IngestItem item, LanguageIdentifier langid) {
    if (item.isReject()) {
      return RowFactory.create(DocIds.of(item.source(), item.locator(), ""), item.source(), item.url(), null, null,
          null, null, null, null, item.reason(), Rejects.excerpt(item.excerpt()));
    }
    LanguageGuess lang = langid.identify(item.text());
    return RowFactory.create(DocIds.of(item.source(), item.locator(), item.text()), item.source(), item.url(),
        item.fetchedAt(), item.contentType(), lang.code(), lang.score(), item.text(),
        CollectionConverters.asScala(item.meta()), null, null);
  }
}
