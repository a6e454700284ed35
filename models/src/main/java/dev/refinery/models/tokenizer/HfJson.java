package dev.refinery.models.tokenizer;

import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared parts of Hugging Face's {@code tokenizer.json}: header, added tokens, reading, writing. */
final class HfJson {
  private HfJson() {}

  static Map<String, Object> header(Map<String, Integer> specials) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", "1.0");
    root.put("truncation", null);
    root.put("padding", null);
    List<Map<String, Object>> added = new ArrayList<>();
    specials.forEach(
        (content, id) -> {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("id", id);
          t.put("content", content);
          t.put("single_word", false);
          t.put("lstrip", false);
          t.put("rstrip", false);
          t.put("normalized", false);
          t.put("special", true);
          added.add(t);
        });
    root.put("added_tokens", added);
    return root;
  }

  static Map<String, Integer> addedTokens(Map<String, Object> root) {
    Map<String, Integer> out = new LinkedHashMap<>();
    Object added = root.get("added_tokens");
    if (added instanceof List<?> list) {
      for (Object o : list) {
        Map<?, ?> t = (Map<?, ?>) o;
        out.put((String) t.get("content"), ((Number) t.get("id")).intValue());
      }
    }
    return out;
  }

  static void write(Map<String, Object> root, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, ByteLevelBpe.gson().toJson(root), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Path file) throws IOException {
    return new GsonBuilder()
        .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
        .create()
        .fromJson(Files.readString(file, StandardCharsets.UTF_8), LinkedHashMap.class);
  }
}
