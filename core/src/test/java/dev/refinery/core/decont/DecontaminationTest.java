package dev.refinery.core.decont;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.RefineryException;
import dev.refinery.testing.TestSpark;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;

class DecontaminationTest {
  private static final File USER_ORIENTED =
      TestSpark.sharedData("instruction-preference/self-instruct/user_oriented_instructions.jsonl");

  @Test
  void documentsQuotingAnEvaluationItemAreContaminated() throws Exception {
    ContaminationIndex index = EvaluationSets.load(List.of(USER_ORIENTED.getPath()), 13, 8);
    assertTrue(index.size() > 1000, "n-grams of 252 instructions with instances: " + index.size());
    String firstLine = Files.readAllLines(USER_ORIENTED.toPath()).get(0);
    String instruction = new ObjectMapper().readTree(firstLine).get("instruction").asText();
    assertTrue(index.contaminates("A blog post that happens to quote: " + instruction.toUpperCase()
        + " and then goes on about something else."));
    assertFalse(index.contaminates("A perfectly ordinary document about gardening, tomatoes, soil and the "
        + "weather in early spring, with nothing taken from any benchmark at all."));
  }

  @Test
  void thirteenGramsMatchAcrossFormattingButNotTwelve() {
    ContaminationIndex index = new ContaminationIndex(13, 8);
    index.add("one two three four five six seven eight nine ten eleven twelve thirteen fourteen");
    assertTrue(index.contaminates("Before: TWO three, four five six seven eight nine ten eleven twelve "
        + "thirteen fourteen. After."));
    assertFalse(index.contaminates("one two three four five six seven eight nine ten eleven twelve"));
    index.add("a short item of exactly eight words here");
    assertTrue(index.contaminates("we saw A short item of exactly eight words here today"));
    index.add("too short to matter");
    assertFalse(index.contaminates("this is too short to matter"));
  }

  @Test
  void missingEvaluationSetIsAConfigurationError() {
    Assertions.assertThrows(RefineryException.class,
        () -> EvaluationSets.load(List.of("/no/such/eval.jsonl"), 13, 8));
  }
}
