package dev.refinery.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.synth.filters.Candidate;
import dev.refinery.synth.filters.ContaminationFilter;
import dev.refinery.synth.filters.LanguageMatchFilter;
import dev.refinery.synth.filters.NearDuplicates;
import dev.refinery.synth.filters.RefusalFilter;
import dev.refinery.synth.text.JudgeVerdict;
import dev.refinery.synth.text.NumberedList;
import dev.refinery.synth.text.RougeL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain-Java rooms of synth: parsers, similarity, filters. */
class TextChecksTest {
  @Test
  void rougeLIsTheLcsFMeasureAndWorksOnChinese() {
    assertEquals(1.0, RougeL.score("Write a poem about the sea", "write a poem about the sea"), 1e-9);
    // LCS "a poem about" = 3 of 5 and 6 words: F = 2 * (3/6) * (3/5) / (3/6 + 3/5)
    assertEquals(2 * 0.5 * 0.6 / 1.1, RougeL.score("compose a poem about rivers", "write a poem about the sea"),
        1e-9);
    assertTrue(RougeL.score("请写一首关于夏天的诗", "请写一首关于冬天的诗") > 0.8);
    assertEquals(0.0, RougeL.score("", "anything"));
  }

  @Test
  void judgeScoresAreReadRobustly() {
    assertEquals(7, JudgeVerdict.parse("Rationale: fine.\nScore: 7").orElseThrow().score());
    assertEquals("fine.", JudgeVerdict.parse("Rationale: fine.\nScore: 7").orElseThrow().rationale());
    assertEquals(8, JudgeVerdict.parse("The answer is good. Rating: 8/10").orElseThrow().score());
    assertEquals(6, JudgeVerdict.parse("Verdict [[6]]").orElseThrow().score());
    assertEquals(9, JudgeVerdict.parse("理由：很好\n评分：9").orElseThrow().score());
    assertEquals(8, JudgeVerdict.parse("**Score**: 7.5").orElseThrow().score());
    assertEquals(3, JudgeVerdict.parse("Score: 9 at first glance, but on reflection Score: 3").orElseThrow().score());
    assertTrue(JudgeVerdict.parse("I liked it a lot").isEmpty());
    assertTrue(JudgeVerdict.parse("Score: 42").isEmpty());
    assertTrue(JudgeVerdict.parse(null).isEmpty());
  }

  @Test
  void numberedListsAreSplitAndTruncatedTailsDropped() {
    String text = "9. Write a haiku.\n10) Instruction: Explain tides\nto a child.\n11、列出三种水果";
    assertEquals(List.of("Write a haiku.", "Explain tides\nto a child.", "列出三种水果"), NumberedList.items(text, false));
    assertEquals(2, NumberedList.items(text, true).size());
  }

  @Test
  void filtersSayWhy() {
    Instruction en = Instruction.of("t", "en", "Explain how tides work", "", null);
    Instruction zh = Instruction.of("t", "zh", "解释潮汐是如何形成的", "", null);
    LanguageMatchFilter lang = new LanguageMatchFilter(0.5);
    assertNull(lang.reject(new Candidate(zh, "潮汐是由月球引力引起的。", "stop")));
    assertEquals("language:not-zh", lang.reject(new Candidate(zh, "Tides come from the moon.", "stop")));
    RefusalFilter refusal = new RefusalFilter(List.of("as an ai (language )?model", "我无法"));
    assertEquals("refusal", refusal.reject(new Candidate(en, "As an AI language model, I cannot.", "stop")));
    assertNull(refusal.reject(new Candidate(en, "Tides come from the moon.", "stop")));
    String evalItem = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
    dev.refinery.core.decont.ContaminationIndex index = new dev.refinery.core.decont.ContaminationIndex(13, 8);
    index.add(evalItem);
    ContaminationFilter d = new ContaminationFilter(index);
    assertNotNull(d.reject(new Candidate(Instruction.of("t", "en", "Say: " + evalItem, "", null), null, null)));
    assertNull(d.reject(new Candidate(Instruction.of("t", "en", "one two three four", "", null), null, null)));
  }

  @Test
  void nearDuplicatesKeepTheFirst() {
    List<Reject> rejects = new ArrayList<>();
    List<Instruction> in = List.of(
        Instruction.of("t", "en", "Write a short poem about the sea at night under the stars", "", null),
        Instruction.of("t", "en", "write a short poem about the sea at night under the stars!", "", null),
        Instruction.of("t", "en", "Write a short poem about the sea at night under the bright stars", "", null),
        Instruction.of("t", "en", "List three prime numbers", "", null));
    List<Instruction> kept = new NearDuplicates(0.6).keepFirst(in, List.of(), rejects);
    assertEquals(List.of(in.get(0), in.get(3)), kept);
    assertEquals(List.of("duplicate:exact", "duplicate:near"), rejects.stream().map(Reject::reason).toList());
  }
}
