package dev.refinery.train.shards;

import dev.refinery.core.warehouse.Rejects;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.train.tokens.TokenizerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The executor side of the shard writer: one tokenizer per partition, documents (doc_id, text, domain, language,
 * sorted by the caller so a retried task writes the same bytes) packed into sequences, shards written straight
 * from the executor, each validation shard with its {@link DocumentSpans} beside it (what evaluation breaks
 * scores down by). Returns one row per shard written and one per document that could not be tokenised.
 */
public final class ShardPartitionWriter implements MapPartitionsFunction<Row, Row> {
  /** Shard rows have a shard_path; reject rows have a reject_reason. */
  public static final StructType SCHEMA = new StructType()
      .add("split", DataTypes.StringType, false)
      .add("shard_path", DataTypes.StringType, true)
      .add("tokens", DataTypes.LongType, false)
      .add("sequences", DataTypes.LongType, false)
      .add("documents", DataTypes.LongType, false)
      .add("dtype", DataTypes.StringType, true)
      .add("checksum", DataTypes.StringType, true)
      .add("spans", DataTypes.StringType, true)
      .add("dropped_tokens", DataTypes.LongType, false)
      .add("doc_id", DataTypes.StringType, true)
      .add("reject_reason", DataTypes.StringType, true)
      .add("excerpt", DataTypes.StringType, true);

  private final TokenizerSpec tokenizer;
  private final String dir;
  private final String split;
  private final int sequenceLength;
  private final int sequencesPerShard;
  private final SerializableConfiguration hadoop;

  public ShardPartitionWriter(TokenizerSpec tokenizer, String dir, String split, int sequenceLength,
      int sequencesPerShard, SerializableConfiguration hadoop) {
    this.tokenizer = tokenizer;
    this.dir = dir;
    this.split = split;
    this.sequenceLength = sequenceLength;
    this.sequencesPerShard = sequencesPerShard;
    this.hadoop = hadoop;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> docs) throws IOException {
    TaskContext task = TaskContext.get();
    int partition = task == null ? 0 : task.partitionId();
    String attempt = task == null ? "0" : Long.toString(task.taskAttemptId());
    Tokenizer tok = tokenizer.open();
    int width = ShardHeader.tokenBytesFor(tok.vocabSize());
    Path folder = new Path(dir, split);
    FileSystem fs = folder.getFileSystem(hadoop.value());
    List<Row> out = new ArrayList<>();
    boolean withSpans = split.equals(ShardManifest.VALIDATION);
    SequencePacker packer = new SequencePacker(sequenceLength, sequencesPerShard, (tokens, count, documents, spans) -> {
      Path path = new Path(folder, String.format("shard-%05d-%05d.bin", partition, out.size()));
      ShardHeader header = new ShardHeader(ShardHeader.VERSION, width, sequenceLength, count);
      String crc = ShardFiles.write(fs, path, attempt, header, tokens, count);
      String spansPath = null;
      if (withSpans) {
        spansPath = DocumentSpans.pathOf(path.toString());
        DocumentSpans.write(fs, new Path(spansPath), attempt, spans);
      }
      out.add(RowFactory.create(split, path.toString(), (long) count, header.sequences(), documents,
          header.dtype(), crc, spansPath, 0L, null, null, null));
    });
    List<Row> rejects = new ArrayList<>();
    while (docs.hasNext()) {
      Row doc = docs.next();
      String docId = doc.getString(0);
      String text = doc.getString(1);
      int[] ids;
      try {
        ids = tok.encodeOrdinary(text);
      } catch (RuntimeException e) {
        rejects.add(RowFactory.create(split, null, 0L, 0L, 0L, null, null, null, 0L, docId,
            "tokenize_failed: " + e.getClass().getSimpleName(), Rejects.excerpt(text)));
        continue;
      }
      try {
        packer.addDocument(ids, tok.eosId(), new SequencePacker.Label(docId, doc.getString(2), doc.getString(3)));
      } catch (IOException e) {
        throw new UncheckedIOException("writing shards under " + folder + " failed", e);
      }
    }
    packer.finish();
    out.addAll(rejects);
    if (packer.droppedTokens() > 0) {
      out.add(RowFactory.create(split, null, 0L, 0L, 0L, null, null, null, packer.droppedTokens(), null, null, null));
    }
    return out.iterator();
  }
}
