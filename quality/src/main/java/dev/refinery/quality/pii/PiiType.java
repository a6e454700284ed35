package dev.refinery.quality.pii;

/** Kinds of personal data the redactor replaces, each with its placeholder and signal column. */
public enum PiiType {
  EMAIL("<EMAIL>", "pii_email"),
  NATIONAL_ID(null, "pii_national_id"),
  CREDIT_CARD("<CREDIT_CARD>", "pii_credit_card"),
  IPV6("<IP_ADDRESS>", "pii_ipv6"),
  IPV4("<IP_ADDRESS>", "pii_ipv4"),
  PHONE("<PHONE_NUMBER>", "pii_phone");

  private final String placeholder;
  private final String column;

  PiiType(String placeholder, String column) {
    this.placeholder = placeholder;
    this.column = column;
  }

  /** The typed placeholder; national ids use their configured name instead ({@code <ID:US_SSN>}). */
  public String placeholder() {
    return placeholder;
  }

  public String column() {
    return column;
  }

  /** The types a {@code quality.pii.types} entry names ("ip" means both IPv4 and IPv6). */
  public static java.util.Set<PiiType> fromConfigName(String name) {
    String n = name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    if (n.equals("ip")) {
      return java.util.EnumSet.of(IPV4, IPV6);
    }
    for (PiiType t : values()) {
      if (t.name().equalsIgnoreCase(n)) {
        return java.util.EnumSet.of(t);
      }
    }
    throw new dev.refinery.core.RefineryException("quality.pii.types has unknown type '" + name
        + "'; known: email, ip, ipv4, ipv6, phone, credit_card, national_id");
  }
}
