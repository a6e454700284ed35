package dev.refinery.models.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * One token per Unicode code point seen in training (nanoGPT's char model), plus the special tokens;
 * unseen characters become {@link SpecialTokens#UNK}. Saved as a Hugging Face BPE without merges.
 */
public final class CharTokenizer implements Tokenizer {
  private final String[] tokens;
  private final Map<Integer, Integer> idOfCodePoint = new HashMap<>();
  private final Map<String, Integer> specials = new LinkedHashMap<>();
  private final SpecialTokenSplitter splitter;
  private final int unkId;

  /** @param alphabet the characters, in id order; specials follow them */
  public CharTokenizer(List<String> alphabet) {
    List<String> all = new ArrayList<>(alphabet);
    for (String s : alphabet) {
      if (s.codePointCount(0, s.length()) != 1) {
        throw new IllegalArgumentException("not a single character: " + s);
      }
      idOfCodePoint.put(s.codePointAt(0), idOfCodePoint.size());
    }
    for (String s : SpecialTokens.CHAT) {
      specials.put(s, all.size());
      all.add(s);
    }
    specials.put(SpecialTokens.UNK, all.size());
    all.add(SpecialTokens.UNK);
    this.unkId = specials.get(SpecialTokens.UNK);
    this.tokens = all.toArray(new String[0]);
    this.splitter = new SpecialTokenSplitter(specials);
  }

  /** The sorted set of code points occurring in the texts. */
  public static CharTokenizer train(Iterable<String> texts) {
    TreeSet<Integer> cps = new TreeSet<>();
    for (String t : texts) {
      t.codePoints().forEach(cps::add);
    }
    List<String> alphabet = new ArrayList<>();
    cps.forEach(cp -> alphabet.add(new String(Character.toChars(cp))));
    return new CharTokenizer(alphabet);
  }

  @Override
  public int[] encode(String text) {
    IntList out = new IntList(text.length());
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
    IntList out = new IntList(text.length());
    encodeText(text, out);
    return out.toArray();
  }

  private void encodeText(String text, IntList out) {
    text.codePoints().forEach(cp -> out.add(idOfCodePoint.getOrDefault(cp, unkId)));
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder(ids.length);
    for (int id : ids) {
      if (id < 0 || id >= tokens.length) {
        throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + tokens.length);
      }
      sb.append(tokens[id]);
    }
    return sb.toString();
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

  @Override
  public void save(Path tokenizerJson) throws IOException {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("type", "BPE");
    model.put("dropout", null);
    model.put("unk_token", SpecialTokens.UNK);
    model.put("continuing_subword_prefix", null);
    model.put("end_of_word_suffix", null);
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int i = 0; i < tokens.length; i++) {
      vocab.put(tokens[i], i);
    }
    model.put("vocab", vocab);
    model.put("merges", List.of());
    Map<String, Object> root = HfJson.header(specials);
    root.put("normalizer", null);
    root.put("pre_tokenizer", null);
    root.put("post_processor", null);
    root.put("decoder", Map.of("type", "Fuse"));
    root.put("model", model);
    HfJson.write(root, tokenizerJson);
  }

  static CharTokenizer fromJson(Map<String, Object> root) {
    @SuppressWarnings("unchecked")
    Map<String, Number> vocab = (Map<String, Number>) ((Map<String, Object>) root.get("model")).get("vocab");
    Map<String, Integer> specials = HfJson.addedTokens(root);
    String[] byId = new String[vocab.size()];
    vocab.forEach((t, id) -> byId[id.intValue()] = t);
    List<String> alphabet = new ArrayList<>();
    for (String t : byId) {
      if (t != null && !specials.containsKey(t)) {
        alphabet.add(t);
      }
    }
    CharTokenizer tok = new CharTokenizer(alphabet);
    if (!tok.specials.equals(specials)) {
      throw new IllegalArgumentException("char tokenizer.json has special tokens " + specials + ", expected " + tok.specials);
    }
    return tok;
  }
}
