package dev.refinery.models.serve;

import ai.djl.Device;
import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.models.checkpoint.Checkpoints;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.generation.Generator;
import dev.refinery.models.lora.LoraAdapter;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.DecoderModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code refinery serve --model DIR}: serves a checkpoint folder (config.json, model.safetensors or a Hugging
 * Face shard index, tokenizer.json; Refinery's own or a Hugging Face Llama/Qwen2/Mistral folder) over the OpenAI API until the process is stopped; {@code --random-tiny} serves a random
 * tiny model instead, for plumbing tests without a trained checkpoint.
 */
public final class ServeCommand implements Command {
  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "serve a model checkpoint over an OpenAI-compatible HTTP API (completions, chat/completions)";
  }

  @Override
  public String usage() {
    return "refinery serve (--model DIR [--adapter PEFT_DIR] | --random-tiny) [--port 8000] [--host 127.0.0.1] [--name MODEL_NAME] "
        + "[--conf FILE] [--set models.serve.KEY=VALUE]";
  }

  @Override
  public int run(CommandLine cli) throws Exception {
    String model = null;
    String adapter = null;
    String name = null;
    String host = "127.0.0.1";
    int port = 8000;
    boolean randomTiny = false;
    List<String> args = cli.args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      boolean hasValue = i + 1 < args.size();
      switch (a) {
        case "--model" -> model = value(a, hasValue, args, ++i);
        case "--adapter" -> adapter = value(a, hasValue, args, ++i);
        case "--name" -> name = value(a, hasValue, args, ++i);
        case "--host" -> host = value(a, hasValue, args, ++i);
        case "--port" -> port = parsePort(value(a, hasValue, args, ++i));
        case "--random-tiny" -> randomTiny = true;
        default -> throw new RefineryException("serve: unknown argument '" + a + "'; " + usage());
      }
    }
    if ((model == null) == !randomTiny) {
      throw new RefineryException("serve: give exactly one of --model DIR and --random-tiny; " + usage());
    }
    if (adapter != null && model == null) {
      throw new RefineryException("serve: --adapter needs the --model it was trained on");
    }
    RefineryConfig c = cli.config().section("models.serve");
    Generator generator;
    ChatTemplate template = ChatTemplate.CHATML;
    if (randomTiny) {
      generator = TinyRandomModel.create(TinyRandomModel.ASCII, c.getInt("random-tiny-context"), 0);
      name = name == null ? "random-tiny" : name;
    } else {
      Path dir = Path.of(model);
      // Checkpoints.load names whatever else is missing or wrong (weights, shards, shapes) in one line.
      for (String f : List.of(Checkpoints.CONFIG, Tokenizers.FILE_NAME)) {
        if (!Files.isRegularFile(dir.resolve(f))) {
          throw new RefineryException("serve: " + dir.resolve(f) + " not found; --model names a checkpoint folder "
              + "(Refinery's own or a Hugging Face Llama/Qwen2/Mistral one) with " + Checkpoints.CONFIG + ", "
              + "the weights and " + Tokenizers.FILE_NAME);
        }
      }
      try {
        template = ChatTemplate.of(dir);
      } catch (RefineryException noTemplate) {
        System.err.println("refinery: serve: " + noTemplate.getMessage() + "; /v1/chat/completions answers 400");
        template = null;
      }
      DecoderModel net = Checkpoints.load(dir, Device.cpu());
      if (adapter != null) {
        // Merged once: serving then costs what the base alone does.
        LoraAdapter.load(net, Path.of(adapter)).merge();
      }
      generator = new Generator(net, Tokenizers.load(dir));
      name = name == null ? dir.getFileName().toString() : name;
    }
    if (c.getInt("generators") < 1) {
      throw new RefineryException("models.serve.generators must be at least 1, got " + c.getInt("generators"));
    }
    OpenAiEndpoints endpoints = new OpenAiEndpoints(GeneratorPool.of(generator, c.getInt("generators")), name,
        c.getInt("max-tokens-cap"), template);
    OpenAiServer server = OpenAiServer.start(endpoints, host, port, c.getInt("threads"), c.getInt("queue"),
        (int) Math.min(Integer.MAX_VALUE, c.getBytes("max-request-size")));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      generator.model().close();
      stopped.countDown();
    }));
    System.err.println("refinery: serve: model '" + name + "' (" + generator.model().parameterCount()
        + " parameters) at " + server.baseUrl() + "; stop with Ctrl-C");
    stopped.await();
    return 0;
  }

  private static String value(String flag, boolean hasValue, List<String> args, int i) {
    if (!hasValue) {
      throw new RefineryException("serve: " + flag + " needs a value");
    }
    return args.get(i);
  }

  private static int parsePort(String s) {
    try {
      int p = Integer.parseInt(s);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new RefineryException("serve: --port must be a number from 0 to 65535, got '" + s + "'");
    }
  }
}
