package dev.refinery.models.generation;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.refinery.core.RefineryException;
import dev.refinery.models.tokenizer.SpecialTokens;
import dev.refinery.models.tokenizer.TokenizerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat template: the Jinja program that turns a list of chat messages into the prompt text a model was
 * trained on, rendered as transformers' {@code apply_chat_template} renders it (Jinja with trim_blocks and
 * lstrip_blocks, loop controls, {@code raise_exception}, {@code strftime_now}, Python's {@code tojson}, and the
 * folder's special tokens as variables). Refinery's own models use {@link #CHATML}; a Hugging Face folder
 * brings its own ({@link #of}). Generation stops at {@link #stop()}.
 */
public final class ChatTemplate {
  /** One chat turn. */
  public record Turn(String role, String content) {
    public Turn {
      if (role == null || role.isBlank()) {
        throw new IllegalArgumentException("a chat turn needs a role");
      }
      content = content == null ? "" : content;
    }
  }

  /** End of a ChatML turn: the stop string of Refinery's own chat models. */
  public static final String STOP = SpecialTokens.IM_END;

  /** Refinery's layout, {@code <|im_start|>role\ncontent<|im_end|>\n} per turn, written as Jinja. */
  private static final String CHATML_SOURCE = "{% for message in messages %}{{ '" + SpecialTokens.IM_START
      + "' + message['role'] + '\\n' + message['content'] + '" + SpecialTokens.IM_END + "' + '\\n' }}{% endfor %}"
      + "{% if add_generation_prompt %}{{ '" + SpecialTokens.IM_START + "assistant\\n' }}{% endif %}";

  public static final ChatTemplate CHATML =
      new ChatTemplate(CHATML_SOURCE, Map.of("eos_token", STOP, "pad_token", SpecialTokens.PAD), STOP);

  private static final Jinjava JINJA = engine();

  private final String source;
  private final String program;
  private final Map<String, Object> specialTokens;
  private final String stop;

  private ChatTemplate(String source, Map<String, Object> specialTokens, String stop) {
    this.source = source;
    this.program = JinjaPython.testsBindTighterThanNot(source);
    this.specialTokens = Map.copyOf(specialTokens);
    this.stop = stop;
  }

  /**
   * The template of a model folder: its own when it has one, {@link #CHATML} for a Refinery folder (no
   * {@code tokenizer_config.json}); a Hugging Face folder without a template stops here with one line.
   */
  public static ChatTemplate of(Path folder) throws IOException {
    TokenizerConfig config = TokenizerConfig.read(folder);
    if (config.chatTemplate().isEmpty()) {
      if (!config.huggingFace()) {
        return CHATML;
      }
      throw new RefineryException(folder + " has no chat template (no chat_template in " + TokenizerConfig.FILE_NAME
          + ", no " + TokenizerConfig.TEMPLATE_FILE + "): chats need one; use an instruct model's folder or add"
          + " the template");
    }
    String eos = config.eosToken().orElseThrow(() -> new RefineryException(folder + "/" + TokenizerConfig.FILE_NAME
        + " has no eos_token: generation would not know where an answer ends"));
    return new ChatTemplate(config.chatTemplate().get(), config.specialTokens(), eos);
  }

  /** The Jinja program, as a tokenizer_config.json's chat_template holds it. */
  public String source() {
    return source;
  }

  /** The string generation stops at: the end-of-turn token the template writes after an answer. */
  public String stop() {
    return stop;
  }

  public Map<String, Object> specialTokens() {
    return specialTokens;
  }

  /** {@link #CHATML}'s prompt: the turns, then an open assistant turn. */
  public static String prompt(List<Turn> turns) {
    return CHATML.render(turns, true);
  }

  public String render(List<Turn> turns, boolean addGenerationPrompt) {
    List<Map<String, Object>> messages = new ArrayList<>(turns.size());
    for (Turn t : turns) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("role", t.role());
      m.put("content", t.content());
      messages.add(m);
    }
    return render(messages, addGenerationPrompt, Map.of());
  }

  /**
   * Renders messages (maps as in the OpenAI API: role, content, tool_calls ...) with the template; {@code extra}
   * are further variables ({@code tools}, {@code date_string} ...), absent unless given, as in transformers.
   */
  public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt, Map<String, Object> extra) {
    Map<String, Object> vars = new HashMap<>(specialTokens);
    vars.putAll(extra);
    vars.put("messages", messages);
    vars.put("add_generation_prompt", addGenerationPrompt);
    // Templates test "strftime_now is defined" before calling it; Jinjava's functions are not variables.
    vars.put("strftime_now", "function");
    vars.put("raise_exception", "function");
    RenderResult r = JINJA.renderForResult(program, vars);
    for (TemplateError e : r.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        throw new RefineryException("chat template: " + JinjaPython.reason(e));
      }
    }
    return r.getOutput();
  }

  private static Jinjava engine() {
    JinjavaConfig config = JinjavaConfig.newBuilder()
        .withNestedInterpretationEnabled(false)
        .withTrimBlocks(true)
        .withLstripBlocks(true)
        .withLegacyOverrides(LegacyOverrides.newBuilder()
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withUsePyishObjectMapper(true)
            .withHandleBackslashInQuotesOnly(true)
            .withKeepNullableLoopValues(true)
            .withEvaluateMapKeys(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .build())
        .build();
    Jinjava j = new Jinjava(config);
    j.getGlobalContext().registerFunction(
        new ELFunctionDefinition("", "raise_exception", JinjaPython.class, "raiseException", String.class));
    j.getGlobalContext().registerFunction(
        new ELFunctionDefinition("", "strftime_now", JinjaPython.class, "strftimeNow", String.class));
    j.getGlobalContext().registerFilter(new JinjaPython.ToJson());
    j.getGlobalContext().registerExpTest(new JinjaPython.PythonContainerTest("iterable"));
    j.getGlobalContext().registerExpTest(new JinjaPython.PythonContainerTest("sequence"));
    return j;
  }
}
