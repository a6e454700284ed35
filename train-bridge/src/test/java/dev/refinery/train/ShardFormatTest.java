package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.refinery.train.shards.DocumentSpans;
import dev.refinery.train.shards.SequencePacker;
import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.shards.ShardFiles;
import dev.refinery.train.shards.ShardHeader;
import dev.refinery.train.stream.ShardBatches;
import dev.refinery.train.stream.ShardSchedule;
import dev.refinery.train.stream.StreamPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardFormatTest {
  @TempDir java.nio.file.Path tmp;

  @Test
  void packerPutsEosBetweenDocumentsAndDropsOnlyThePartialTail() throws IOException {
    List<int[]> shards = new ArrayList<>();
    List<Long> docs = new ArrayList<>();
    List<List<DocumentSpans.Span>> spans = new ArrayList<>();
    SequencePacker p = new SequencePacker(4, 2, (t, n, d, s) -> {
      shards.add(java.util.Arrays.copyOf(t, n));
      docs.add(d);
      spans.add(s);
    });
    p.addDocument(new int[] {1, 2, 3}, 9, new SequencePacker.Label("a", "web", "en"));
    p.addDocument(new int[] {4, 5}, 9, new SequencePacker.Label("b", "wiki", "de"));
    p.addDocument(new int[] {6, 7, 8, 10, 11}, 9, new SequencePacker.Label("c", "web", "fr"));
    p.addDocument(new int[] {12}, 9, new SequencePacker.Label("d", "web", "en"));
    p.finish();
    assertArrayEquals(new int[] {1, 2, 3, 9, 4, 5, 9, 6}, shards.get(0));
    assertArrayEquals(new int[] {7, 8, 10, 11}, shards.get(1));
    assertEquals(List.of(3L, 1L), docs);
    assertEquals(3, p.droppedTokens()); // c's eos and all of d
    assertEquals(List.of(new DocumentSpans.Span(0, "a", "web", "en", false),
        new DocumentSpans.Span(4, "b", "wiki", "de", false), new DocumentSpans.Span(7, "c", "web", "fr", false)),
        spans.get(0));
    assertEquals(List.of(new DocumentSpans.Span(0, "c", "web", "fr", true)), spans.get(1), "c goes on, d is dropped");
    // sequence 1 of the first shard holds the end of b and the start of c
    assertEquals(List.of(new DocumentSpans.Piece(0, 3, spans.get(0).get(1)), new DocumentSpans.Piece(3, 4,
        spans.get(0).get(2))), DocumentSpans.pieces(spans.get(0), 1, 4));
    assertEquals(List.of(new DocumentSpans.Piece(0, 4, spans.get(0).get(0))), DocumentSpans.pieces(spans.get(0), 0, 4));

    FileSystem fs = FileSystem.getLocal(new Configuration());
    Path file = new Path(DocumentSpans.pathOf(new Path(tmp.toString(), "shard-00000-00000.bin").toString()));
    assertTrue(file.getName().equals("shard-00000-00000.spans.jsonl"), file.toString());
    DocumentSpans.write(fs, file, "a0", spans.get(0));
    assertEquals(spans.get(0), DocumentSpans.read(fs, file));
  }

  @Test
  void shardRoundTripsInBothWidthsAndRejectsForeignFiles() throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    for (int vocab : new int[] {257, 100_000}) {
      int[] tokens = {0, 65535, 3, vocab - 1, 7, 8};
      Path path = new Path(tmp.toString(), "s" + vocab + ".bin");
      ShardHeader h = new ShardHeader(ShardHeader.VERSION, ShardHeader.tokenBytesFor(vocab), 3, tokens.length);
      String crc = ShardFiles.write(fs, path, "a0", h, tokens, tokens.length);
      assertEquals(crc, ShardFiles.checksum(fs, path));
      assertEquals(ShardHeader.SIZE + tokens.length * (vocab > 65536 ? 4 : 2), Files.size(tmp.resolve(path.getName())));
      ShardSchedule one = new ShardSchedule(List.of(new ShardEntry(path.toString(), 2, 3, 6, crc, null)), 0, 1, 1, 1);
      List<int[]> read = new ArrayList<>();
      try (ShardBatches b = new ShardBatches(one, 0, StreamPosition.START, new Configuration(), true)) {
        read.add(b.next()[0]);
        read.add(b.next()[0]);
      }
      read.sort(java.util.Comparator.comparingInt(a -> a[0]));
      assertArrayEquals(new int[] {0, 65535, 3}, read.get(0));
      assertArrayEquals(new int[] {vocab - 1, 7, 8}, read.get(1));
    }
    Files.writeString(tmp.resolve("junk.bin"), "not a shard at all, definitely not");
    ShardSchedule junk = new ShardSchedule(List.of(new ShardEntry(tmp.resolve("junk.bin").toString(), 1, 3, 3, "0", null)), 0, 1, 1, 1);
    try (ShardBatches b = new ShardBatches(junk, 0, StreamPosition.START, new Configuration(), false)) {
      assertThrows(IOException.class, b::next);
    }
  }
}
