package dev.refinery.models.tokenizer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE (GPT-2 style): GPT-2 pre-tokenizer split, UTF-8 bytes as base symbols, merges
 * applied lowest rank first. Encodes exactly like Hugging Face {@code tokenizers} with the
 * {@code tokenizer.json} that {@link #save} writes, and decodes any Unicode text back exactly.
 */
public final class ByteLevelBpe implements Tokenizer {
  private static final int CACHE_LIMIT = 100_000;

  private final String[] tokens;
  private final Map<String, Integer> ids;
  private final List<int[]> merges;
  /** (left id, right id) to merge rank and merged id. */
  private final Map<Long, int[]> mergeTable = new HashMap<>();
  private final Map<String, Integer> specials;
  private final SpecialTokenSplitter splitter;
  private final Map<String, int[]> cache = new ConcurrentHashMap<>();

  /**
   * @param tokens id to token string (byte characters for learned tokens, plain text for specials)
   * @param merges pairs of ids, in rank order
   * @param specials special token text to id
   */
  public ByteLevelBpe(List<String> tokens, List<int[]> merges, Map<String, Integer> specials) {
    this.tokens = tokens.toArray(new String[0]);
    this.ids = new HashMap<>();
    for (int i = 0; i < this.tokens.length; i++) {
      ids.put(this.tokens[i], i);
    }
    this.merges = List.copyOf(merges);
    for (int rank = 0; rank < merges.size(); rank++) {
      int[] m = merges.get(rank);
      Integer merged = ids.get(this.tokens[m[0]] + this.tokens[m[1]]);
      if (merged == null) {
        throw new IllegalArgumentException("merge " + rank + " makes a token missing from the vocabulary");
      }
      mergeTable.putIfAbsent(pairKey(m[0], m[1]), new int[] {rank, merged});
    }
    for (int b = 0; b < 256; b++) {
      if (!ids.containsKey(String.valueOf(ByteChars.charOf(b)))) {
        throw new IllegalArgumentException("vocabulary lacks byte " + b);
      }
    }
    this.specials = new LinkedHashMap<>(specials);
    this.splitter = new SpecialTokenSplitter(specials);
    for (String required : List.of(SpecialTokens.EOS, SpecialTokens.PAD)) {
      if (!specials.containsKey(required)) {
        throw new IllegalArgumentException("tokenizer needs the special token " + required);
      }
    }
  }

  static long pairKey(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  @Override
  public int[] encode(String text) {
    IntList out = new IntList(text.length() / 3 + 4);
    for (SpecialTokenSplitter.Piece p : splitter.split(text)) {
      if (p.specialId() >= 0) {
        out.add(p.specialId());
      } else {
        encodeText(p.text(), out);
      }
    }
    return out.toArray();
  }

  @Override
  public int[] encodeOrdinary(String text) {
    IntList out = new IntList(text.length() / 3 + 4);
    encodeText(text, out);
    return out.toArray();
  }

  private void encodeText(String text, IntList out) {
    for (String word : PreTokenizer.split(text)) {
      int[] cached = cache.get(word);
      if (cached == null) {
        cached = encodeWord(ByteChars.toByteString(word));
        if (cache.size() >= CACHE_LIMIT) {
          cache.clear();
        }
        cache.put(word, cached);
      }
      out.addAll(cached);
    }
  }

  /** Applies merges to one pre-token: repeatedly the lowest-ranked adjacent pair, leftmost first. */
  private int[] encodeWord(String byteChars) {
    int n = byteChars.length();
    int[] sym = new int[n];
    for (int i = 0; i < n; i++) {
      sym[i] = ids.get(String.valueOf(byteChars.charAt(i)));
    }
    while (n > 1) {
      int bestRank = Integer.MAX_VALUE;
      int bestPos = -1;
      int bestId = -1;
      for (int i = 0; i + 1 < n; i++) {
        int[] m = mergeTable.get(pairKey(sym[i], sym[i + 1]));
        if (m != null && m[0] < bestRank) {
          bestRank = m[0];
          bestPos = i;
          bestId = m[1];
        }
      }
      if (bestPos < 0) {
        break;
      }
      sym[bestPos] = bestId;
      System.arraycopy(sym, bestPos + 2, sym, bestPos + 1, n - bestPos - 2);
      n--;
    }
    return java.util.Arrays.copyOf(sym, n);
  }

  @Override
  public String decode(int[] tokenIds) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(tokenIds.length * 4);
    for (int id : tokenIds) {
      if (id < 0 || id >= tokens.length) {
        throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + tokens.length);
      }
      String t = tokens[id];
      if (specials.containsKey(t)) {
        bytes.writeBytes(t.getBytes(StandardCharsets.UTF_8));
        continue;
      }
      for (int i = 0; i < t.length(); i++) {
        bytes.write(ByteChars.byteOf(t.charAt(i)));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public int vocabSize() {
    return tokens.length;
  }

  @Override
  public int eosId() {
    return specials.get(SpecialTokens.EOS);
  }

  @Override
  public int padId() {
    return specials.get(SpecialTokens.PAD);
  }

  @Override
  public OptionalInt specialTokenId(String token) {
    Integer id = specials.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The token string of an id (byte characters, e.g. "Ġthe"). */
  public String token(int id) {
    return tokens[id];
  }

  @Override
  public void save(Path tokenizerJson) throws IOException {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("type", "BPE");
    model.put("dropout", null);
    model.put("unk_token", null);
    model.put("continuing_subword_prefix", null);
    model.put("end_of_word_suffix", null);
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int i = 0; i < tokens.length; i++) {
      if (!specials.containsKey(tokens[i])) {
        vocab.put(tokens[i], i);
      }
    }
    model.put("vocab", vocab);
    List<String> mergeStrings = new ArrayList<>();
    for (int[] m : merges) {
      mergeStrings.add(tokens[m[0]] + " " + tokens[m[1]]);
    }
    model.put("merges", mergeStrings);
    Map<String, Object> byteLevel = new LinkedHashMap<>();
    byteLevel.put("type", "ByteLevel");
    byteLevel.put("add_prefix_space", false);
    byteLevel.put("trim_offsets", false);
    byteLevel.put("use_regex", true);
    Map<String, Object> root = HfJson.header(specials);
    root.put("normalizer", null);
    root.put("pre_tokenizer", byteLevel);
    root.put("post_processor", null);
    root.put("decoder", byteLevel);
    root.put("model", model);
    HfJson.write(root, tokenizerJson);
  }

  /** Reads a byte-level BPE {@code tokenizer.json} (ours, or GPT-2 style ones without normalizer). */
  static ByteLevelBpe fromJson(Map<String, Object> root) {
    @SuppressWarnings("unchecked")
    Map<String, Object> model = (Map<String, Object>) root.get("model");
    @SuppressWarnings("unchecked")
    Map<String, Number> vocab = (Map<String, Number>) model.get("vocab");
    Map<String, Integer> specials = HfJson.addedTokens(root);
    int size = vocab.values().stream().mapToInt(Number::intValue).max().orElse(-1) + 1;
    for (int id : specials.values()) {
      size = Math.max(size, id + 1);
    }
    String[] tokens = new String[size];
    vocab.forEach((t, id) -> tokens[id.intValue()] = t);
    specials.forEach((t, id) -> tokens[id] = t);
    Map<String, Integer> byToken = new HashMap<>();
    for (int i = 0; i < size; i++) {
      if (tokens[i] == null) {
        throw new IllegalArgumentException("tokenizer.json has no token with id " + i);
      }
      byToken.put(tokens[i], i);
    }
    List<int[]> merges = new ArrayList<>();
    for (Object m : (List<?>) model.get("merges")) {
      String left;
      String right;
      if (m instanceof List<?> pair) {
        left = (String) pair.get(0);
        right = (String) pair.get(1);
      } else {
        String s = (String) m;
        int space = s.indexOf(' ');
        left = s.substring(0, space);
        right = s.substring(space + 1);
      }
      merges.add(new int[] {byToken.get(left), byToken.get(right)});
    }
    return new ByteLevelBpe(List.of(tokens), merges, specials);
  }

  static Gson gson() {
    return new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
  }
}
