package dev.refinery.synth.generators;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.ProjectPaths;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.synth.Instruction;
import dev.refinery.synth.Reject;
import dev.refinery.synth.SeedTasks;
import dev.refinery.synth.Seeds;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.text.NumberedList;
import dev.refinery.synth.text.RougeL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Self-Instruct (Wang et al. 2023): each prompt shows a few human seed tasks and a few machine-made ones
 * and asks the model to continue the numbered list; new items must pass format checks and be novel (ROUGE-L
 * below the threshold, 0.7 in the paper, against every instruction already in the pool) to join the pool.
 * Rounds run one after the other, since each round samples from the pool the previous ones grew.
 */
public final class SelfInstruct implements SynthGenerator {
  public static final String NAME = "self-instruct";
  private static final Pattern BLACKLIST_EN = Pattern.compile(
      "\\b(image|images|graph|graphs|picture|pictures|file|files|map|maps|draw|plot|go to|video|audio|music|"
          + "flowchart|diagram)\\b");
  private static final Pattern BLACKLIST_ZH = Pattern.compile("图片|图像|画图|绘制|视频|音频|音乐|流程图|文件");

  private static final Pattern STARTS_NUMBERED = Pattern.compile("\\d{1,3}\\s*[.)、]");

  private final int rounds;
  private final int promptsPerRound;
  private final int humanExamples;
  private final int machineExamples;
  private final double maxRougeL;
  private final RefineryConfig seedTasks;

  public SelfInstruct(RefineryConfig synth) {
    RefineryConfig s = synth.section(NAME);
    this.rounds = s.getInt("rounds");
    this.promptsPerRound = s.getInt("prompts-per-round");
    this.humanExamples = s.getInt("human-examples");
    this.machineExamples = s.getInt("machine-examples");
    this.maxRougeL = s.getDouble("max-rouge-l");
    this.seedTasks = s;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Phase phase() {
    return Phase.INSTRUCTIONS;
  }

  @Override
  public void validate(RefineryConfig config) {
    for (String lang : config.getStringList("synth.languages")) {
      String key = "synth." + NAME + ".seed-tasks." + lang;
      if (!config.has(key) || !Files.isRegularFile(ProjectPaths.resolve(config.getString(key)))) {
        throw new RefineryException(key + " is not set to a readable file (self-instruct needs seed tasks for "
            + "each of synth.languages)");
      }
    }
  }

  @Override
  public List<Instruction> instructions(GeneratorContext ctx, List<Instruction> pool) {
    Map<String, List<String>> seeds = new TreeMap<>();
    for (String lang : ctx.languages()) {
      seeds.put(lang, SeedTasks.load(ProjectPaths.resolve(seedTasks.getString("seed-tasks." + lang))));
    }
    return generate(ctx.g(), seeds);
  }

  /**
   * New instructions per language, grown from that language's human seed tasks. All languages share each
   * round's bulk call (one cache lookup and one round trip through Spark per round).
   */
  List<Instruction> generate(Generation g, Map<String, List<String>> seedTasksByLang) {
    Map<String, List<List<String>>> poolTokens = new TreeMap<>();
    Map<String, List<Instruction>> machine = new TreeMap<>();
    seedTasksByLang.forEach((lang, seeds) -> {
      poolTokens.put(lang, new ArrayList<>(seeds.stream().map(RougeL::tokens).toList()));
      machine.put(lang, new ArrayList<>());
    });
    for (int round = 0; round < rounds; round++) {
      List<LlmRequest> requests = new ArrayList<>();
      List<String> langs = new ArrayList<>();
      List<Integer> nextNumbers = new ArrayList<>();
      for (String lang : machine.keySet()) {
        for (int p = 0; p < promptsPerRound; p++) {
          Random rnd = new Random(Seeds.of(g.seed(), NAME, lang, round, p));
          List<String> shown = sample(seedTasksByLang.get(lang), humanExamples, rnd);
          shown.addAll(sample(machine.get(lang).stream().map(Instruction::instruction).toList(), machineExamples,
              rnd));
          StringBuilder examples = new StringBuilder();
          for (int i = 0; i < shown.size(); i++) {
            examples.append(i + 1).append(". ").append(shown.get(i).replace('\n', ' ')).append('\n');
          }
          String prompt = g.templates().render(NAME, lang,
              Map.of("examples", examples.toString().strip(), "next", String.valueOf(shown.size() + 1)));
          langs.add(lang);
          nextNumbers.add(shown.size() + 1);
          requests.add(g.ask(prompt, g.sampling(), Seeds.of(g.seed(), NAME, lang, round, p, "request")));
        }
      }
      Map<String, LlmResponse> answers = g.calls().complete(requests);
      for (int p = 0; p < requests.size(); p++) {
        LlmRequest req = requests.get(p);
        String lang = langs.get(p);
        LlmResponse r = answers.get(req.key());
        Instruction prompt = Instruction.of(NAME, lang, req.messages().get(0).content(), "", null);
        if (!g.usable(prompt, r, NAME)) {
          continue;
        }
        // The prompt ends with "N." so the answer continues item N unnumbered, unless the model restarts it.
        String text = r.text().strip();
        String listed = STARTS_NUMBERED.matcher(text).lookingAt() ? text : nextNumbers.get(p) + ". " + text;
        List<String> items = NumberedList.items(listed, r.truncated());
        if (items.isEmpty()) {
          g.rejects().add(Reject.of(prompt, NAME + ":no-list-items", text));
        }
        for (String item : items) {
          Instruction candidate = Instruction.of(NAME, lang, item, "", null);
          String bad = formatProblem(item, lang);
          if (bad != null) {
            g.rejects().add(Reject.of(candidate, NAME + ":" + bad, item));
            continue;
          }
          List<String> tokens = RougeL.tokens(item);
          double closest = 0;
          for (List<String> other : poolTokens.get(lang)) {
            closest = Math.max(closest, RougeL.score(tokens, other));
            if (closest >= maxRougeL) {
              break;
            }
          }
          if (closest >= maxRougeL) {
            g.rejects().add(Reject.of(candidate, NAME + ":not-novel", item));
            continue;
          }
          poolTokens.get(lang).add(tokens);
          machine.get(lang).add(candidate);
        }
      }
    }
    List<Instruction> out = new ArrayList<>();
    machine.values().forEach(out::addAll);
    return out;
  }

  /** The paper's format checks: length in words, no multimodal asks, no leading punctuation or "Write a program". */
  static String formatProblem(String item, String lang) {
    String lower = item.toLowerCase(Locale.ROOT);
    int words = RougeL.tokens(item).size();
    if (words <= 3) {
      return "format:too-short";
    }
    if (words > 150) {
      return "format:too-long";
    }
    if ((lang.equals("zh") ? BLACKLIST_ZH : BLACKLIST_EN).matcher(lower).find()) {
      return "format:not-text-only";
    }
    if (lower.startsWith("write a program")) {
      return "format:program";
    }
    int first = item.codePointAt(0);
    if (!Character.isLetterOrDigit(first)) {
      return "format:starts-with-punctuation";
    }
    return null;
  }

  private static List<String> sample(List<String> from, int k, Random rnd) {
    List<String> copy = new ArrayList<>(from);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < k && !copy.isEmpty(); i++) {
      out.add(copy.remove(rnd.nextInt(copy.size())));
    }
    return out;
  }
}
