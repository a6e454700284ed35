package dev.refinery.models.tokenizer;

import dev.refinery.core.RefineryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Hugging Face model folder says about its tokenizer beyond {@code tokenizer.json}: the chat template
 * ({@code chat_template.jinja} as transformers 5 saves it, else {@code tokenizer_config.json}'s
 * {@code chat_template}, a string or a list of named templates) and the special tokens the template and the
 * trainers use ({@code bos_token}, {@code eos_token}, {@code pad_token} ..., from {@code tokenizer_config.json},
 * then {@code special_tokens_map.json}). A folder without {@code tokenizer_config.json} is one of Refinery's own.
 */
public record TokenizerConfig(boolean huggingFace, Optional<String> chatTemplate, Map<String, Object> specialTokens) {
  public static final String FILE_NAME = "tokenizer_config.json";
  public static final String TEMPLATE_FILE = "chat_template.jinja";
  private static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
  private static final List<String> SPECIAL_KEYS = List.of("bos_token", "eos_token", "unk_token", "sep_token",
      "pad_token", "cls_token", "mask_token", "additional_special_tokens");

  public TokenizerConfig {
    specialTokens = Map.copyOf(specialTokens);
  }

  /** Reads the folder's files; a folder with none of them gives a config with no template and no tokens. */
  public static TokenizerConfig read(Path folder) throws IOException {
    Path config = folder.resolve(FILE_NAME);
    Map<String, Object> root = Files.isRegularFile(config) ? HfJson.read(config) : Map.of();
    Map<String, Object> specials = new LinkedHashMap<>();
    addSpecials(root, specials, config);
    Path map = folder.resolve(SPECIAL_TOKENS_MAP);
    if (Files.isRegularFile(map)) {
      addSpecials(HfJson.read(map), specials, map);
    }
    Optional<String> template;
    Path jinja = folder.resolve(TEMPLATE_FILE);
    if (Files.isRegularFile(jinja)) {
      template = Optional.of(Files.readString(jinja, StandardCharsets.UTF_8));
    } else {
      template = Optional.ofNullable(template(root.get("chat_template"), config));
    }
    return new TokenizerConfig(Files.isRegularFile(config), template, specials);
  }

  public Optional<String> eosToken() {
    return Optional.ofNullable((String) specialTokens.get("eos_token"));
  }

  public Optional<String> padToken() {
    return Optional.ofNullable((String) specialTokens.get("pad_token"));
  }

  private static void addSpecials(Map<String, Object> root, Map<String, Object> into, Path file) {
    for (String key : SPECIAL_KEYS) {
      Object v = root.get(key);
      if (v == null || into.containsKey(key)) {
        continue;
      }
      if (v instanceof List<?> list) {
        into.put(key, list.stream().map(o -> content(o, key, file)).toList());
      } else {
        into.put(key, content(v, key, file));
      }
    }
  }

  /** A special token is written as its text or as an AddedToken object with a {@code content} field. */
  private static String content(Object v, String key, Path file) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Map<?, ?> m && m.get("content") instanceof String s) {
      return s;
    }
    throw new RefineryException(file + ": " + key + " is neither a string nor an object with \"content\"");
  }

  private static String template(Object v, Path file) {
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof List<?> named) {
      for (Object o : named) {
        if (o instanceof Map<?, ?> m && "default".equals(m.get("name")) && m.get("template") instanceof String s) {
          return s;
        }
      }
    }
    throw new RefineryException(file + ": chat_template is neither a string nor a list holding a template named"
        + " \"default\"");
  }
}
