package dev.refinery.train.shards;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs documents into one token stream (each followed by end-of-text) and cuts it into fixed-length
 * sequences, {@code sequencesPerShard} of them per shard. The tail that does not fill a whole sequence at the
 * end of the stream is dropped and counted. Each shard comes with its {@link DocumentSpans}: where each
 * document's tokens start in it.
 */
public final class SequencePacker {
  /**
   * Receives each full shard: {@code count} tokens of {@code tokens}, how many documents start in it, and the
   * spans of its tokens (a document begun in the previous shard first, marked continued).
   */
  public interface ShardSink {
    void accept(int[] tokens, int count, long documents, List<DocumentSpans.Span> spans) throws IOException;
  }

  /** A document as the shard's spans record it. */
  public record Label(String docId, String domain, String language) {}

  private final int sequenceLength;
  private final int[] buffer;
  private final ShardSink sink;
  private final List<DocumentSpans.Span> spans = new ArrayList<>();
  private int filled;
  private long documentsInShard;
  private long droppedTokens;

  public SequencePacker(int sequenceLength, int sequencesPerShard, ShardSink sink) {
    if (sequenceLength < 2 || sequencesPerShard < 1) {
      throw new IllegalArgumentException("sequence length must be >= 2 and shards must hold >= 1 sequence");
    }
    this.sequenceLength = sequenceLength;
    this.buffer = new int[Math.multiplyExact(sequenceLength, sequencesPerShard)];
    this.sink = sink;
  }

  public void addDocument(int[] ids, int eosId, Label label) throws IOException {
    documentsInShard++;
    spans.add(new DocumentSpans.Span(filled, label.docId(), label.domain(), label.language(), false));
    for (int i = 0; i <= ids.length; i++) {
      if (filled == 0 && i > 0) { // the document goes on in a new shard
        spans.add(new DocumentSpans.Span(0, label.docId(), label.domain(), label.language(), true));
      }
      buffer[filled++] = i < ids.length ? ids[i] : eosId;
      if (filled == buffer.length) {
        flush(filled);
      }
    }
  }

  private void flush(int count) throws IOException {
    sink.accept(buffer, count, documentsInShard, List.copyOf(spans));
    filled = 0;
    documentsInShard = 0;
    spans.clear();
  }

  /** Writes the last shard (whole sequences only) and drops the partial sequence after it. */
  public void finish() throws IOException {
    int whole = filled - filled % sequenceLength;
    droppedTokens += filled - whole;
    spans.removeIf(s -> s.offset() >= whole);
    if (whole > 0) {
      flush(whole);
    }
    filled = 0;
    documentsInShard = 0;
    spans.clear();
  }

  public long droppedTokens() {
    return droppedTokens;
  }
}
