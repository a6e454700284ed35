package dev.refinery.quality.blocklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlockListTest {
  @Test
  void domainsBlockTheirSubdomainsOnly() {
    DomainBlockList list = DomainBlockList.parse(List.of("# spam", "casino.example", "*.bad.test"));
    assertTrue(list.blocks("https://www.casino.example/page?x=1"));
    assertTrue(list.blocks("http://bad.test"));
    assertFalse(list.blocks("https://notcasino.example/"));
    assertFalse(list.blocks(null));
    assertFalse(list.blocks("not a url at all %%%"));
  }

  @Test
  void wordsMatchWholeWordsInLatinScriptsAndSubstringsInCjk() {
    WordBlockList en = WordBlockList.parse(List.of("casino", "free money"));
    assertEquals(3, en.count("Casino! Best casino, free money now. Casinos are not counted.", false));
    WordBlockList zh = WordBlockList.parse(List.of("现金网", "博彩"));
    assertEquals(3, zh.count("王者威尼斯人现金网网址，现金网，博彩公司", true));
  }
}
