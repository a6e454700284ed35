package dev.refinery.models.checkpoint;

import ai.djl.Device;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.models.lora.LoraAdapter;
import dev.refinery.models.transformer.DecoderModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code refinery export --model DIR [--adapter PEFT_DIR] --out DIR}: writes a model folder (Refinery's own, e.g.
 * what pretraining exported, or a Hugging Face one), with a LoRA adapter merged into it if one is given, as a
 * Hugging Face folder that transformers and vLLM load, with the tokenizer files (and bos/eos ids) of
 * {@code --tokenizer DIR}: by default the model folder, else e.g. the Hugging Face base a fine-tuned model started
 * from, whose chat template and special tokens a trainer's own folder does not keep.
 */
public final class ExportCommand implements Command {
  @Override
  public String name() {
    return "export";
  }

  @Override
  public String summary() {
    return "write a model folder as a Hugging Face folder (LlamaForCausalLM / Qwen2ForCausalLM, safetensors)";
  }

  @Override
  public String usage() {
    return "refinery export --model DIR [--adapter PEFT_DIR] --out DIR [--tokenizer DIR] [--max-shard-size 5GB]";
  }

  @Override
  public int run(CommandLine cli) throws Exception {
    String model = null;
    String adapter = null;
    String out = null;
    String tokenizer = null;
    long shard = HfCheckpoint.DEFAULT_SHARD_BYTES;
    List<String> args = cli.args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (i + 1 >= args.size()) {
        throw new RefineryException("export: " + a + " needs a value; " + usage());
      }
      String v = args.get(++i);
      switch (a) {
        case "--model" -> model = v;
        case "--adapter" -> adapter = v;
        case "--out" -> out = v;
        case "--tokenizer" -> tokenizer = v;
        case "--max-shard-size" -> shard = size(v);
        default -> throw new RefineryException("export: unknown argument '" + a + "'; " + usage());
      }
    }
    if (model == null || out == null) {
      throw new RefineryException("export: give --model DIR and --out DIR; " + usage());
    }
    Path src = Path.of(model);
    Path dst = Path.of(out);
    if (Files.exists(dst) && !Files.isDirectory(dst)) {
      throw new RefineryException("export: --out " + dst + " is a file, not a folder");
    }
    try (DecoderModel m = Checkpoints.load(src, Device.cpu())) {
      if (adapter != null) {
        // The merged model: W + (alpha / r)·BA in every adapted layer, saved without the adapter's tensors.
        LoraAdapter.load(m, Path.of(adapter)).merge();
      }
      HfCheckpoint.save(m, dst, tokenizer == null ? src : Path.of(tokenizer), shard);
      System.err.println("refinery: export: " + src + " -> " + dst + " (" + m.parameterCount() + " parameters)");
    }
    return 0;
  }

  private static long size(String v) {
    try {
      long bytes = ConfigFactory.parseString("s = \"" + v.replace("\"", "") + "\"").getBytes("s");
      if (bytes <= 0) {
        throw new RefineryException("export: --max-shard-size must be positive, got " + v);
      }
      return bytes;
    } catch (ConfigException e) {
      throw new RefineryException("export: --max-shard-size takes a size such as 5GB or 500MB, got '" + v + "'");
    }
  }
}
