package dev.refinery.models.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Loads a {@code tokenizer.json} (a file, or a folder holding one) as a {@link Tokenizer}. */
public final class Tokenizers {
  public static final String FILE_NAME = "tokenizer.json";

  private Tokenizers() {}

  /**
   * Our own byte-level BPE and char tokenizers load into the pure-Java implementations (fast, no
   * native code); anything else goes through DJL's Hugging Face binding, with the end and padding tokens
   * that a {@code tokenizer_config.json} beside the file names.
   */
  public static Tokenizer load(Path path) throws IOException {
    Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
    if (!Files.isRegularFile(file)) {
      throw new IOException("no tokenizer.json at " + path);
    }
    Map<String, Object> root = HfJson.read(file);
    Map<?, ?> model = (Map<?, ?>) root.get("model");
    String modelType = model == null ? null : (String) model.get("type");
    Map<?, ?> pre = (Map<?, ?>) root.get("pre_tokenizer");
    Map<?, ?> decoder = (Map<?, ?>) root.get("decoder");
    boolean noNormalizer = root.get("normalizer") == null;
    Map<String, Integer> specials = HfJson.addedTokens(root);
    boolean refinerySpecials = specials.containsKey(SpecialTokens.EOS) && specials.containsKey(SpecialTokens.PAD);
    if ("BPE".equals(modelType) && noNormalizer && pre != null && "ByteLevel".equals(pre.get("type"))
        && Boolean.FALSE.equals(pre.get("add_prefix_space")) && !Boolean.FALSE.equals(pre.get("use_regex"))
        && refinerySpecials) {
      return ByteLevelBpe.fromJson(root);
    }
    if ("BPE".equals(modelType) && noNormalizer && pre == null && decoder != null
        && "Fuse".equals(decoder.get("type")) && ((List<?>) model.get("merges")).isEmpty()) {
      return CharTokenizer.fromJson(root);
    }
    int size = specials.values().stream().mapToInt(i -> i + 1).max().orElse(0);
    if (model != null && model.get("vocab") instanceof Map<?, ?> vocab) {
      size = Math.max(size, vocab.size());
    }
    // A Hugging Face folder names its end and padding tokens in tokenizer_config.json.
    TokenizerConfig config = TokenizerConfig.read(file.toAbsolutePath().getParent());
    return new HuggingFaceTokenizerAdapter(file, specials, size, config.eosToken(), config.padToken());
  }
}
