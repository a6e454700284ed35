package dev.refinery.models.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.refinery.core.RefineryException;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face checkpoint folders of the Llama family: {@code config.json} (see {@link HfConfig}) and
 * {@code model.safetensors} or shards listed in {@code model.safetensors.index.json}, with transformers' tensor
 * names ({@code model.layers.0.self_attn.q_proj.weight}). Loading checks every shard, name and shape against
 * config.json before reading any weight; saving writes a folder {@code AutoModelForCausalLM.from_pretrained}
 * loads unchanged.
 */
public final class HfCheckpoint {
  public static final String INDEX = "model.safetensors.index.json";
  public static final String GENERATION_CONFIG = "generation_config.json";
  /** Tokenizer files copied as they are when a model is exported beside its source folder. */
  public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "chat_template.jinja", "added_tokens.json", "vocab.json", "merges.txt",
      "tokenizer.model");
  /** transformers' default {@code max_shard_size}. */
  public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;

  private static final Pattern LAYER = Pattern.compile("layers\\.(\\d+)\\.(.+)");
  private static final Map<String, String> LAYER_NAMES = Map.of(
      "norm1", "input_layernorm", "norm2", "post_attention_layernorm",
      "attn.q", "self_attn.q_proj", "attn.k", "self_attn.k_proj", "attn.v", "self_attn.v_proj",
      "attn.o", "self_attn.o_proj", "mlp.gate", "mlp.gate_proj", "mlp.up", "mlp.up_proj", "mlp.down", "mlp.down_proj");

  private HfCheckpoint() {}

  /** transformers' name of one of our parameters or linear layers ({@code layers.0.attn.q} → {@code model.layers.0.self_attn.q_proj}). */
  public static String hfName(String ours) {
    if (ours.startsWith("lm_head")) {
      return ours;
    }
    if (ours.startsWith("embed.")) {
      return "model.embed_tokens." + ours.substring("embed.".length());
    }
    Matcher m = LAYER.matcher(ours);
    if (m.matches()) {
      String rest = m.group(2);
      for (Map.Entry<String, String> e : LAYER_NAMES.entrySet()) {
        if (rest.equals(e.getKey()) || rest.startsWith(e.getKey() + ".")) {
          return "model.layers." + m.group(1) + "." + e.getValue() + rest.substring(e.getKey().length());
        }
      }
    }
    if (ours.startsWith("norm.")) {
      return "model." + ours;
    }
    throw new IllegalArgumentException("no Hugging Face name for parameter " + ours);
  }

  /** Whether a folder holds a Hugging Face config.json (rather than Refinery's own). */
  public static boolean isHuggingFace(Path dir) throws IOException {
    Path config = dir.resolve(Checkpoints.CONFIG);
    return Files.isRegularFile(config) && HfConfig.isHuggingFace(readJson(config));
  }

  /** The model config of a folder's config.json. */
  public static ModelConfig config(Path dir) throws IOException {
    Path file = dir.resolve(Checkpoints.CONFIG);
    return HfConfig.read(readJson(file), file.toString());
  }

  /** Loads a Hugging Face folder; tensors stream from the files into the model, widened to float32. */
  public static DecoderModel load(Path dir, Device device) throws IOException {
    ModelConfig config = config(dir);
    Map<String, Path> files = weightFiles(dir);
    Map<String, SafeTensors> open = new LinkedHashMap<>();
    try {
      for (Path f : new java.util.LinkedHashSet<>(files.values())) {
        open.put(f.getFileName().toString(), SafeTensors.open(f));
      }
      // Every name and shape is checked before the first weight is read.
      Map<String, Shape> shapes = DecoderModel.parameterShapes(config);
      for (Map.Entry<String, Shape> e : shapes.entrySet()) {
        String name = hfName(e.getKey());
        Path file = files.get(name);
        SafeTensors.Entry entry = file == null ? null : open.get(file.getFileName().toString()).entries().get(name);
        if (entry == null) {
          throw new RefineryException(dir + ": tensor " + name + " is missing from the weights");
        }
        if (!Arrays.equals(entry.shape(), e.getValue().getShape())) {
          throw new RefineryException(dir + ": tensor " + name + " has shape " + Arrays.toString(entry.shape())
              + " but config.json implies " + Arrays.toString(e.getValue().getShape()));
        }
      }
      return DecoderModel.load(config, device,
          (name, shape, manager) -> open.get(files.get(hfName(name)).getFileName().toString())
              .read(hfName(name), manager));
    } finally {
      for (SafeTensors t : open.values()) {
        t.close();
      }
    }
  }

  /** Tensor name → the file holding it: one model.safetensors, or the shards of the index. */
  private static Map<String, Path> weightFiles(Path dir) throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    Path index = dir.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      JsonObject map = readJson(index).getAsJsonObject("weight_map");
      if (map == null) {
        throw new RefineryException(index + " has no weight_map");
      }
      for (Map.Entry<String, JsonElement> e : map.entrySet()) {
        Path shard = dir.resolve(e.getValue().getAsString());
        if (!Files.isRegularFile(shard)) {
          throw new RefineryException(dir + ": shard " + e.getValue().getAsString() + " named in " + INDEX
              + " is missing");
        }
        out.put(e.getKey(), shard);
      }
      return out;
    }
    Path single = dir.resolve(Checkpoints.WEIGHTS);
    if (!Files.isRegularFile(single)) {
      throw new RefineryException(dir + ": neither " + Checkpoints.WEIGHTS + " nor " + INDEX + " found "
          + "(pytorch_model.bin checkpoints are not supported: save with safetensors)");
    }
    try (SafeTensors t = SafeTensors.open(single)) {
      for (String name : t.entries().keySet()) {
        out.put(name, single);
      }
    }
    return out;
  }

  /**
   * Writes {@code model} as a Hugging Face folder: config.json, model.safetensors (or shards of at most
   * {@code maxShardBytes} and their index), generation_config.json, and the tokenizer files of
   * {@code tokenizerSource} (a folder, may be null). A Hugging Face source's bos/eos/pad ids carry over.
   */
  public static void save(DecoderModel model, Path dir, Path tokenizerSource, long maxShardBytes) throws IOException {
    JsonObject sourceConfig = null;
    if (tokenizerSource != null && Files.isRegularFile(tokenizerSource.resolve(Checkpoints.CONFIG))) {
      sourceConfig = readJson(tokenizerSource.resolve(Checkpoints.CONFIG));
    }
    JsonObject config = HfConfig.write(model.config(), sourceConfig);
    Files.createDirectories(dir);
    List<Map<String, NDArray>> shards = new ArrayList<>();
    long size = 0;
    long total = 0;
    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
      if (!DecoderModel.parameterShapes(model.config()).containsKey(e.getKey())) {
        continue; // adapters and other additions are not part of the base model
      }
      long bytes = e.getValue().getShape().size() * 4;
      if (shards.isEmpty() || (size > 0 && size + bytes > maxShardBytes)) {
        shards.add(new LinkedHashMap<>());
        size = 0;
      }
      shards.get(shards.size() - 1).put(hfName(e.getKey()), e.getValue());
      size += bytes;
      total += bytes;
    }
    Map<String, String> meta = Map.of("format", "pt");
    Files.deleteIfExists(dir.resolve(INDEX));
    if (shards.size() == 1) {
      SafeTensors.write(shards.get(0), meta, dir.resolve(Checkpoints.WEIGHTS));
    } else {
      Files.deleteIfExists(dir.resolve(Checkpoints.WEIGHTS));
      JsonObject weightMap = new JsonObject();
      for (int i = 0; i < shards.size(); i++) {
        String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
        SafeTensors.write(shards.get(i), meta, dir.resolve(name));
        shards.get(i).keySet().forEach(t -> weightMap.addProperty(t, name));
      }
      JsonObject index = new JsonObject();
      JsonObject m = new JsonObject();
      m.addProperty("total_size", total);
      index.add("metadata", m);
      index.add("weight_map", weightMap);
      writeJson(index, dir.resolve(INDEX));
    }
    if (tokenizerSource != null && !tokenizerSource.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
      for (String f : TOKENIZER_FILES) {
        if (Files.isRegularFile(tokenizerSource.resolve(f))) {
          Files.copy(tokenizerSource.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      if (Files.isRegularFile(tokenizerSource.resolve(GENERATION_CONFIG))) {
        Files.copy(tokenizerSource.resolve(GENERATION_CONFIG), dir.resolve(GENERATION_CONFIG),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (Files.isRegularFile(dir.resolve("tokenizer.json")) && !Files.isRegularFile(dir.resolve("tokenizer_config.json"))) {
      // Refinery's own tokenizer.json is complete; transformers only needs to know which class reads it, and
      // chats (here and in transformers) the ChatML template and tokens Refinery's models were tuned with.
      JsonObject t = new JsonObject();
      t.addProperty("tokenizer_class", "PreTrainedTokenizerFast");
      ChatTemplate.CHATML.specialTokens().forEach((k, v) -> t.addProperty(k, (String) v));
      t.addProperty("chat_template", ChatTemplate.CHATML.source());
      writeJson(t, dir.resolve("tokenizer_config.json"));
    }
    if (!Files.isRegularFile(dir.resolve(GENERATION_CONFIG))) {
      JsonObject g = new JsonObject();
      for (String k : List.of("bos_token_id", "eos_token_id", "pad_token_id")) {
        if (config.has(k)) {
          g.add(k, config.get(k));
        }
      }
      writeJson(g, dir.resolve(GENERATION_CONFIG));
    }
    writeJson(config, dir.resolve(Checkpoints.CONFIG));
  }

  static JsonObject readJson(Path file) throws IOException {
    try {
      return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new RefineryException(file + " is not a JSON object: " + e.getMessage());
    }
  }

  private static void writeJson(JsonObject json, Path file) throws IOException {
    Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n",
        StandardCharsets.UTF_8);
  }
}
