package dev.refinery.ingest.langid;

import java.util.Set;

/**
 * Bosnian or Croatian, which the n-gram models barely tell apart (same ijekavian spelling), by the standard
 * vocabulary differences between the two norms: Croatian purisms and month names (tisuća, tjedan,
 * povijest, sustav, razina, tijekom, siječanj, ...; Europa) against the internationalisms and Latin month
 * names Bosnian shares with Serbian (hiljada, sedmica, historija, sistem, nivo, tokom, januar, ...; Evropa).
 * The n-gram choice stands unless the other norm's words outnumber its own.
 */
final class BosnianCroatian {
  private static final Set<String> CROATIAN = Set.of("tko", "tisuća", "tisuće", "tisuću", "tisućama", "povijest",
      "povijesti", "tjedan", "tjedna", "tjedno", "tjednu", "kruh", "glazba", "glazbe", "glazbu", "glazbeni",
      "zrakoplov", "zrakoplova", "nogomet", "nogometni", "nogometna", "sveučilište", "sveučilišta", "sveučilištu",
      "kolodvor", "vlak", "vlaka", "točno", "točka", "uvjet", "uvjeti", "uvjete", "uvjeta", "znanost", "znanosti",
      "obitelj", "obitelji", "tvrtka", "tvrtke", "tvrtku", "izvješće", "siječanj", "siječnja", "veljača", "veljače",
      "ožujak", "ožujka", "travanj", "travnja", "svibanj", "svibnja", "lipanj", "lipnja", "srpanj", "srpnja",
      "kolovoz", "kolovoza", "rujan", "rujna", "listopad", "listopada", "studeni", "studenoga", "studenog",
      "prosinac", "prosinca", "tijekom", "europa", "europe", "europi", "europu", "europski", "europska", "europske",
      "europskoj", "europskog", "sustav", "sustava", "sustavu", "razina", "razini", "razine", "plaća", "plaće",
      "kemija", "milijun", "milijuna", "ravnatelj", "proračun", "priopćenje", "obavijest", "gospodarstvo",
      "gospodarski", "gospodarske", "računalo", "računala", "mirovina", "mirovine", "umirovljenik", "zračna",
      "kazalište", "veleposlanstvo", "primjerice", "stoljeće", "stoljeća", "općenito");
  private static final Set<String> BOSNIAN = Set.of("ko", "hiljada", "hiljade", "hiljadu", "historija", "historije",
      "historiji", "sedmica", "sedmice", "sedmicu", "hljeb", "muzika", "muzike", "muziku", "avion", "aviona",
      "fudbal", "fudbalski", "fudbalska", "univerzitet", "univerziteta", "univerzitetu", "voz", "voza", "tačno",
      "tačka", "uslov", "uslovi", "uslove", "uslova", "nauka", "nauke", "nauku", "porodica", "porodice", "porodici",
      "porodicu", "izvještaj", "januar", "januara", "februar", "februara", "mart", "marta", "april", "aprila",
      "maj", "maja", "juni", "juna", "juli", "jula", "august", "augusta", "septembar", "septembra", "oktobar",
      "oktobra", "novembar", "novembra", "decembar", "decembra", "tokom", "evropa", "evrope", "evropi", "evropu",
      "evropski", "evropska", "evropske", "evropskoj", "evropskog", "sistem", "sistema", "sistemu", "nivo",
      "nivou", "nivoa", "plata", "plate", "hemija", "milion", "miliona", "direktor", "budžet", "saopćenje",
      "saopštenje", "obavještenje", "privreda", "privredni", "privredne", "računar", "penzija", "penzije",
      "penzioner", "aerodrom", "pozorište", "ambasada", "lahko", "kahva", "vijek", "vijeka", "uopće", "historijski");

  static final MarkerWords PAIR = new MarkerWords("hr", CROATIAN, "bs", BOSNIAN);

  private BosnianCroatian() {}
}
