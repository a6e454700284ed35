package dev.refinery.synth.prompts;

import dev.refinery.core.RefineryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prompt templates from {@code src/main/resources/synth/prompts/NAME.LANG.txt}, with {@code {{var}}}
 * placeholders. Every template exists in English and Chinese; another language falls back to English
 * (and the response-language check then asks for that language's script).
 */
public final class PromptTemplates {
  private final Map<String, String> loaded = new ConcurrentHashMap<>();

  public String render(String name, String lang, Map<String, String> vars) {
    String t = loaded.computeIfAbsent(name + "." + lang, k -> load(name, lang));
    for (Map.Entry<String, String> v : vars.entrySet()) {
      t = t.replace("{{" + v.getKey() + "}}", v.getValue());
    }
    return t;
  }

  private static String load(String name, String lang) {
    String text = read("/synth/prompts/" + name + "." + lang + ".txt");
    if (text == null) {
      text = read("/synth/prompts/" + name + ".en.txt");
    }
    if (text == null) {
      throw new RefineryException("no prompt template synth/prompts/" + name + ".en.txt on the classpath");
    }
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }

  private static String read(String resource) {
    try (InputStream in = PromptTemplates.class.getResourceAsStream(resource)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RefineryException("cannot read " + resource + ": " + e.getMessage());
    }
  }
}
