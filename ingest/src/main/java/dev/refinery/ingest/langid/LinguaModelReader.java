package dev.refinery.ingest.langid;

import com.github.pemistahl.lingua.api.Language;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads lingua's own n-gram models out of its jar ({@code language-models/<iso>/<order>.json}, each
 * {@code {"language":"X","ngrams":{"num/den":"ngram ngram ...", ...}}}) into one {@link NgramTable} per
 * language, skipping lingua's boxed in-memory form. Orders a language lacks (lingua ships only unigrams
 * for some single-script languages) are skipped.
 */
final class LinguaModelReader {
  static final String[] ORDER_FILES = {"unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"};

  private long[] hashes = new long[1 << 16];
  private double[] probabilities = new double[1 << 16];
  private int count;

  private LinguaModelReader() {}

  /** One n-gram of a model file: its {@link NgramHash}, probability and first character. */
  interface NgramSink {
    void accept(long hash, double probability, char first);
  }

  /** All orders (1 to 5) of {@code language}'s model; {@code null} if lingua ships none. */
  static NgramTable read(Language language) {
    LinguaModelReader reader = new LinguaModelReader();
    boolean any = false;
    for (String order : ORDER_FILES) {
      any |= forEach(language, order, reader::add);
    }
    return any ? NgramTable.of(reader.hashes, reader.probabilities, reader.count) : null;
  }

  /**
   * Hands every n-gram of one order file ({@link #ORDER_FILES}) of {@code language}'s model to
   * {@code sink}; {@code false} if lingua ships no such file.
   */
  static boolean forEach(Language language, String orderFile, NgramSink sink) {
    String iso = language.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
    String resource = "/language-models/" + iso + "/" + orderFile + ".json";
    try (InputStream in = Language.class.getResourceAsStream(resource)) {
      if (in == null) {
        return false;
      }
      parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, sink);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    }
  }

  /** Hands every n-gram of one model file to the sink (its JSON holds only ASCII fractions and unescaped letters). */
  private static void parse(String json, String resource, NgramSink sink) {
    int at = json.indexOf("\"ngrams\"");
    if (at < 0 || json.indexOf('\\') >= 0) {
      throw new IllegalStateException("unexpected lingua model format in " + resource);
    }
    at = json.indexOf('{', at) + 1;
    while (true) {
      int fractionStart = json.indexOf('"', at);
      if (fractionStart < 0) {
        break;
      }
      int slash = json.indexOf('/', fractionStart);
      int fractionEnd = json.indexOf('"', fractionStart + 1);
      double probability = Double.parseDouble(json.substring(fractionStart + 1, slash))
          / Double.parseDouble(json.substring(slash + 1, fractionEnd));
      int listStart = json.indexOf('"', fractionEnd + 1) + 1;
      int listEnd = json.indexOf('"', listStart);
      long state = NgramHash.START;
      int start = listStart;
      for (int i = listStart; i <= listEnd; i++) {
        char c = json.charAt(i);
        if (c == ' ' || i == listEnd) {
          sink.accept(NgramHash.finish(state), probability, json.charAt(start));
          state = NgramHash.START;
          start = i + 1;
        } else {
          state = NgramHash.extend(state, c);
        }
      }
      at = listEnd + 1;
    }
  }

  private void add(long hash, double probability, char first) {
    if (count == hashes.length) {
      hashes = Arrays.copyOf(hashes, count * 2);
      probabilities = Arrays.copyOf(probabilities, count * 2);
    }
    hashes[count] = hash;
    probabilities[count] = probability;
    count++;
  }
}
