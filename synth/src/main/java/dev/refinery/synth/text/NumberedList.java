package dev.refinery.synth.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Items of a numbered list in a model's answer ("1. ...", "2) ...", "3、..."), each possibly spanning lines,
 * with a leading "Instruction:"/"指令：" label removed. The last item is dropped when the answer was cut
 * off ({@code truncated}), since it is probably incomplete.
 */
public final class NumberedList {
  private static final Pattern ITEM = Pattern.compile("(?m)^\\s*(\\d{1,3})\\s*[.)、:：]\\s*");
  private static final Pattern LABEL =
      Pattern.compile("^(?i)(instruction|task|指令|任务)\\s*[:：]\\s*");

  private NumberedList() {}

  public static List<String> items(String text, boolean truncated) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    Matcher m = ITEM.matcher(text);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    for (int i = 0; i < spans.size(); i++) {
      int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : text.length();
      String item = text.substring(spans.get(i)[1], end).trim();
      item = LABEL.matcher(item).replaceFirst("").trim();
      if (!item.isEmpty()) {
        out.add(item);
      }
    }
    if (truncated && !out.isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
