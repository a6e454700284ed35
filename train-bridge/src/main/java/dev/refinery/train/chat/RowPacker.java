package dev.refinery.train.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fills rows of a fixed length with encoded chats, in the given order: a chat goes into the current row if it
 * fits, else it starts the next one (a chat longer than a row is cut to the row). Without packing every chat
 * gets a row of its own. The rest of a row is padding, its own segment, never learned. Segment numbers keep
 * the samples of a row from attending to each other (see {@code DecoderModel.forwardPacked}).
 */
public final class RowPacker {
  private final int length;
  private final boolean packing;
  private final int padId;

  public RowPacker(int length, boolean packing, int padId) {
    this.length = length;
    this.packing = packing;
    this.padId = padId;
  }

  public List<PackedRow> pack(List<EncodedChat> chats) {
    List<PackedRow> rows = new ArrayList<>();
    Row row = new Row();
    for (EncodedChat c : chats) {
      int n = Math.min(c.tokens().length, length);
      if (row.used > 0 && (!packing || row.used + n > length)) {
        rows.add(row.finish());
        row = new Row();
      }
      row.add(c, n);
    }
    if (row.used > 0) {
      rows.add(row.finish());
    }
    return rows;
  }

  private final class Row {
    final int[] tokens = new int[length];
    final int[] segments = new int[length];
    final boolean[] trained = new boolean[length];
    int used;
    int samples;

    void add(EncodedChat c, int n) {
      System.arraycopy(c.tokens(), 0, tokens, used, n);
      System.arraycopy(c.trained(), 0, trained, used, n);
      Arrays.fill(segments, used, used + n, samples++);
      used += n;
    }

    PackedRow finish() {
      Arrays.fill(tokens, used, length, padId);
      Arrays.fill(segments, used, length, -1);
      return new PackedRow(tokens, segments, trained);
    }
  }
}
