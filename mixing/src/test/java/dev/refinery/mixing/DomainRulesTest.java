package dev.refinery.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.mixing.labels.DomainLabel;
import dev.refinery.mixing.labels.DomainRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainRulesTest {
  private final DomainRules rules = DomainRules.from(RefineryConfig.defaultsOnly());

  @Test
  void defaultRulesLabelByHostSuffixAndUrlPattern() {
    assertEquals(new DomainLabel("wiki", "rule:host=wikipedia.org"), rules.label("https://en.wikipedia.org/wiki/Spark"));
    assertEquals("code", rules.label("https://github.com/apache/spark").domain());
    assertEquals("forum", rules.label("http://stackoverflow.com/questions/123/x").domain());
    assertEquals("academic", rules.label("https://arxiv.org/abs/2304.09151").domain());
    assertEquals("legal", rules.label("https://www.law.cornell.edu/uscode/text/17").domain());
    assertEquals("medical", rules.label("https://www.mayoclinic.org/diseases-conditions").domain());
    assertEquals("news", rules.label("https://www.bbc.co.uk/news/world-123").domain());
    assertEquals("news", rules.label("https://example.com/2024/05/01/story").domain());
    assertEquals("e-commerce", rules.label("https://www.amazon.com/dp/B000123").domain());
    assertEquals("spam", rules.label("http://best-casino-bonus.example/win").domain());
    DomainLabel byPattern = rules.label("https://somesite.org/forum/thread-1");
    assertEquals("forum", byPattern.domain());
    assertTrue(byPattern.origin().startsWith("rule:url="));
  }

  @Test
  void hostSuffixMatchesOnLabelBoundaryOnly() {
    assertEquals("web", rules.label("https://notgithub.com/x").domain());
    assertEquals("code", rules.label("https://gist.github.com/x").domain());
  }

  @Test
  void missingOrMalformedUrlGetsTheDefault() {
    assertEquals(new DomainLabel("web", DomainLabel.DEFAULT_ORIGIN), rules.label(null));
    assertEquals("web", rules.label("").domain());
    assertEquals("web", rules.label("::not a url::").domain());
    assertEquals("wiki", rules.label("user:pw@en.wikipedia.org:443/x").domain());
  }

  @Test
  void badRulesAreConfigurationErrors() {
    RefineryException e = assertThrows(RefineryException.class, () -> DomainRules.from(RefineryConfig.load(List.of(),
        List.of("mixing.domains.rules=[{domain = x, url-patterns = [\"(\"]}]"))));
    assertTrue(e.getMessage().contains("mixing.domains.rules[0].url-patterns"), e.getMessage());
    e = assertThrows(RefineryException.class, () -> DomainRules.from(RefineryConfig.load(List.of(),
        List.of("mixing.domains.rules=[{domain = x, host = [a.com]}]"))));
    assertTrue(e.getMessage().contains("unknown field 'host'"), e.getMessage());
  }
}
