package dev.refinery.quality.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {
  private final PiiRedactor all = new PiiRedactor(EnumSet.allOf(PiiType.class),
      List.of(NationalIdPattern.parse("US_SSN=\\b(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}\\b")));

  @Test
  void replacesEachTypeWithItsPlaceholder() {
    PiiRedactor.Redaction r = all.redact("Mail jane.doe+news@example.co.uk or call +1 (415) 555-0132. "
        + "Card 4111 1111 1111 1111, SSN 123-45-6789, hosts 192.168.0.1 and 2001:db8::8a2e:370:7334.");
    assertEquals("Mail <EMAIL> or call <PHONE_NUMBER>. Card <CREDIT_CARD>, SSN <ID:US_SSN>, hosts <IP_ADDRESS> "
        + "and <IP_ADDRESS>.", r.text());
    assertEquals(1, r.count(PiiType.EMAIL));
    assertEquals(1, r.count(PiiType.PHONE));
    assertEquals(1, r.count(PiiType.CREDIT_CARD));
    assertEquals(1, r.count(PiiType.NATIONAL_ID));
    assertEquals(1, r.count(PiiType.IPV4));
    assertEquals(1, r.count(PiiType.IPV6));
  }

  @Test
  void leavesNumbersThatAreNotPersonalDataAlone() {
    String text = "In 2024 we sold 1,250 units; version 1.2.3 ships at 10:30:00; card 4111 1111 1111 1112 fails Luhn; "
        + "IP 999.1.1.1 is invalid.";
    PiiRedactor.Redaction r = all.redact(text);
    assertEquals(text, r.text());
    assertFalse(r.changed());
  }

  @Test
  void luhn() {
    assertTrue(PiiRedactor.luhn("4111111111111111"));
    assertTrue(PiiRedactor.luhn("378282246310005"));
    assertFalse(PiiRedactor.luhn("4111111111111112"));
    assertFalse(PiiRedactor.luhn("123"));
  }

  @Test
  void ipv6Forms() {
    assertTrue(PiiRedactor.isIpv6("2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
    assertTrue(PiiRedactor.isIpv6("fe80::1"));
    assertTrue(PiiRedactor.isIpv6("::ffff:192.0.2.128"));
    assertFalse(PiiRedactor.isIpv6("1:2:3"));
    assertFalse(PiiRedactor.isIpv6("1::2::3"));
    assertFalse(PiiRedactor.isIpv6("12345::1"));
  }

  @Test
  void onlyConfiguredTypesAreRedacted() {
    PiiRedactor emailOnly = new PiiRedactor(EnumSet.of(PiiType.EMAIL), List.of());
    assertEquals("<EMAIL> 192.168.0.1", emailOnly.redact("a@b.org 192.168.0.1").text());
  }
}
