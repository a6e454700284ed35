package dev.refinery.train.tokens;

import dev.refinery.core.RefineryException;
import dev.refinery.models.tokenizer.CharTokenizer;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.models.tokenizer.TokenizerConfig;
import dev.refinery.models.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tokenizer as a small serialisable value: its {@code tokenizer.json} text, shipped to executors and
 * opened there once per partition (a tokenizer object itself is not serialisable), with the
 * {@code tokenizer_config.json} beside it (null if none: it names a Hugging Face folder's end and padding
 * tokens). {@code name} says where it came from, for the manifest.
 */
public record TokenizerSpec(String name, String json, String config) implements Serializable {
  /** The setting that asks for a character vocabulary learned from the input itself. */
  public static final String CHAR = "char";

  /** Reads a {@code tokenizer.json} (or a folder holding one). */
  public static TokenizerSpec fromFile(String path) {
    Path p = Path.of(path);
    Path file = Files.isDirectory(p) ? p.resolve(Tokenizers.FILE_NAME) : p;
    try {
      Tokenizers.load(file); // fail here, on the driver, with the file's name, not later on executors
      Path config = file.toAbsolutePath().getParent().resolve(TokenizerConfig.FILE_NAME);
      return new TokenizerSpec(path, Files.readString(file, StandardCharsets.UTF_8),
          Files.isRegularFile(config) ? Files.readString(config, StandardCharsets.UTF_8) : null);
    } catch (IOException | RuntimeException e) {
      throw new RefineryException("train.shards.tokenizer: cannot load tokenizer " + path + " (" + e.getMessage()
          + "); give a tokenizer.json or \"char\"");
    }
  }

  /** A character tokenizer over exactly the given code points (as one-character strings). */
  public static TokenizerSpec characters(List<String> alphabet) {
    return of(CHAR, CharTokenizer.train(alphabet));
  }

  /** Any tokenizer, by its {@code tokenizer.json}. */
  public static TokenizerSpec of(String name, Tokenizer tokenizer) {
    try {
      Path tmp = Files.createTempFile("refinery-tokenizer", ".json");
      try {
        tokenizer.save(tmp);
        return new TokenizerSpec(name, Files.readString(tmp, StandardCharsets.UTF_8), null);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Tokenizer open() {
    try {
      Path tmp = Files.createTempDirectory("refinery-tokenizer");
      Path file = tmp.resolve(Tokenizers.FILE_NAME);
      Path configFile = tmp.resolve(TokenizerConfig.FILE_NAME);
      try {
        Files.writeString(file, json, StandardCharsets.UTF_8);
        if (config != null) {
          Files.writeString(configFile, config, StandardCharsets.UTF_8);
        }
        return Tokenizers.load(file);
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(configFile);
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open tokenizer " + name, e);
    }
  }
}
