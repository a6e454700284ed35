#!/usr/bin/env python3
"""Writes demo/corpus/crawl.warc.gz: a small WARC 1.0 crawl for the demo (Python 3 stdlib only).

One warcinfo record, then six HTTP response records: four HTML pages (one in ISO-8859-1 whose charset
is named only in the HTTP Content-Type header), a robots.txt and a PNG image that ingest should skip.
Each record is its own gzip member, as crawlers write them. The output is byte-for-byte reproducible
(fixed dates, record ids derived from the URI, gzip mtime 0): run `python3 demo/make_warc.py`.
"""
import base64
import gzip
import hashlib
import struct
import uuid
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent / "corpus" / "crawl.warc.gz"
CRAWL_DATE = "2024-06-03T09:{:02d}:00Z"
HTTP_DATE = "Mon, 03 Jun 2024 09:{:02d}:00 GMT"


def page(lang, title, canonical, main, meta_charset=True):
    meta = '<meta charset="utf-8">\n' if meta_charset else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{meta}<title>{title}</title>
<link rel="canonical" href="{canonical}">
<script>window.dataLayer=window.dataLayer||[];</script>
</head>
<body>
<div class="cookies">This site uses cookies. <a href="/privacy">Privacy</a> <button>OK</button></div>
<header><a href="/">Home</a> | <a href="/news">News</a> | <a href="/about">About</a> | <a href="/contact">Contact</a></header>
<main>
{main}
</main>
<aside><h4>More</h4><ul><li><a href="/a">Archive</a></li><li><a href="/t">Tags</a></li><li><a href="/rss">RSS feed</a></li></ul></aside>
<footer><p>&copy; 2024 &middot; <a href="/privacy">Privacy</a> &middot; <a href="/imprint">Imprint</a></p></footer>
</body>
</html>
"""


WINTER_CYCLING = page("en", "Riding through the winter", "https://www.example.com/blog/winter-cycling", """<h1>Riding through the winter: what actually matters</h1>
<p>I have commuted by bike for six winters in a city where it snows from December to March. Most of the gear sold for winter cycling is optional. Four things are not.</p>
<p><b>Lights.</b> In January I ride to work and back in the dark. A bright front light with a wide beam and a rear light that is visible from the side matter more than anything else on this list. Cold drains batteries fast, so charge every night and carry a small backup light.</p>
<p><b>Tyres.</b> On packed snow, wide tyres at low pressure grip surprisingly well. On ice nothing grips except studded tyres. If your route has untreated side streets, studs are the single best purchase you can make; on salted main roads they are mostly noise.</p>
<p><b>Hands and feet.</b> Your body stays warm while you pedal, but fingers and toes do not. Lobster mitts, which keep two fingers together, are warmer than gloves and still let you brake. Overshoes, or simply a plastic bag between two pairs of socks, keep feet dry.</p>
<p><b>Cleaning the chain.</b> Salt and grit eat drivetrains. Rinse the bike with plain water once a week and oil the chain afterwards. It takes ten minutes and a chain that would last a winter lasts two.</p>
<p>Everything else — special jackets, heated grips, fat bikes — is nice to have. Start with what you own and add things when a real problem shows up.</p>""")

# German page served as ISO-8859-1 with no <meta charset>: only the HTTP header names the charset.
HOEHENWEG = page("de", "Tour: Der Höhenweg über die Graue Wand", "https://wanderverein.example.de/touren/hoehenweg", """<h1>Der Höhenweg über die Graue Wand</h1>
<p>Der Höhenweg ist die schönste Tagestour unseres Vereinsgebiets, aber keine für den ersten Wanderausflug. Auf 14 Kilometern sind gut 900 Höhenmeter im Auf- und Abstieg zu bewältigen, und zwischen der Grauen Wand und der Schäferhütte gibt es einen ausgesetzten, mit Drahtseilen gesicherten Abschnitt. Trittsicherheit und Schwindelfreiheit sind dort unbedingt nötig.</p>
<p>Start ist der Wanderparkplatz am Ortsende von Bergheim. Zunächst führt ein breiter Forstweg durch Buchenwald bergauf; nach etwa einer Stunde zweigt rechts der schmale Steig zur Grauen Wand ab, markiert mit einem weißen Dreieck auf blauem Grund. Oben belohnt eine weite Aussicht über das ganze Tal bis zu den Gipfeln im Süden.</p>
<p>Für die gesamte Runde sollte man sechs Stunden reine Gehzeit einplanen. Die Schäferhütte ist von Mai bis Oktober an Wochenenden bewirtet; unter der Woche muss man Verpflegung und genug Wasser mitnehmen, da es unterwegs keine Quelle gibt. Bei Nässe ist der Abschnitt mit den Drahtseilen gefährlich rutschig. Dann empfehlen wir die Umgehung über den Fahrweg, die eine halbe Stunde länger dauert.</p>
<p>Hunde sind erlaubt, müssen aber zwischen April und Juli wegen der Brutzeit der Wanderfalken angeleint werden. Wer mit dem Bus anreist, erreicht Bergheim stündlich ab dem Bahnhof; die letzte Rückfahrt ist um 18.45 Uhr.</p>""", meta_charset=False)

TORTILLA = page("es", "Tortilla de patatas jugosa", "https://recetas.example.es/tortilla-de-patatas", """<h1>Tortilla de patatas jugosa</h1>
<p>La tortilla de patatas parece sencilla, pero tiene su técnica: las patatas se confitan a fuego lento en mucho aceite, no se fríen, y el huevo se cuaja poco para que quede jugosa por dentro.</p>
<p><b>Ingredientes para cuatro personas:</b> 700 gramos de patatas, 6 huevos grandes, 1 cebolla (opcional, pero recomendada), unos 300 mililitros de aceite de oliva y sal.</p>
<p>Pela las patatas y córtalas en láminas finas e irregulares. Pica la cebolla. Calienta el aceite en una sartén a fuego medio, añade las patatas y la cebolla con sal y déjalas cocer unos veinte minutos, removiendo de vez en cuando, hasta que estén muy tiernas pero sin dorarse. Escúrrelas bien y guarda el aceite para otros guisos.</p>
<p>Bate los huevos con una pizca de sal, mezcla con las patatas todavía calientes y deja reposar cinco minutos: así las patatas absorben el huevo. Pon una cucharada de aceite en una sartén pequeña muy caliente, vierte la mezcla y cuájala un minuto y medio. Dale la vuelta con ayuda de un plato grande y cuaja el otro lado un minuto más. Sírvela templada.</p>""")

LIBRARY_FAQ = page("en", "Library card FAQ", "https://library.example.org/help/library-card", """<h1>Getting and using a library card</h1>
<h2>Who can get a card?</h2>
<p>Anyone who lives, works or studies in the county can get a free library card. Children under 14 need a parent or guardian to sign the application with them. Visitors from elsewhere can buy a temporary card valid for three months.</p>
<h2>What do I need to bring?</h2>
<p>Bring a photo ID and something that shows your current address, such as a utility bill, a tenancy agreement or a letter from your school or employer dated within the last three months. You can also start the application online and finish it at any branch; the card is printed while you wait.</p>
<h2>How many items can I borrow?</h2>
<p>Up to 20 items at a time: books, audiobooks, films and board games. Books are lent for three weeks, films for one week. You can renew an item twice, online or by phone, unless another reader has reserved it.</p>
<h2>What if I lose my card?</h2>
<p>Report it straight away so nobody else can borrow on your account. A replacement costs a small fee, waived once a year for children. Your loans, reservations and reading history move to the new card automatically.</p>""")

ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /search
Crawl-delay: 5

Sitemap: https://www.example.com/sitemap.xml
"""


def tiny_png():
    """A valid 4x4 grey PNG, built by hand so the script needs no imaging library."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([0x80]) * 4 for _ in range(4))  # filter byte + 4 grey pixels per row
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


RESPONSES = [
    ("https://www.example.com/blog/winter-cycling", "text/html; charset=utf-8", WINTER_CYCLING.encode("utf-8")),
    ("https://wanderverein.example.de/touren/hoehenweg", "text/html; charset=ISO-8859-1", HOEHENWEG.encode("iso-8859-1")),
    ("https://recetas.example.es/tortilla-de-patatas", "text/html; charset=UTF-8", TORTILLA.encode("utf-8")),
    ("https://www.example.com/robots.txt", "text/plain", ROBOTS.encode("ascii")),
    ("https://www.example.com/static/logo.png", "image/png", tiny_png()),
    ("https://library.example.org/help/library-card", "text/html", LIBRARY_FAQ.encode("utf-8")),
]


def sha1_digest(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def record(warc_type, uri, date, content_type, block, payload=None):
    headers = [("WARC-Type", warc_type)]
    if uri:
        headers.append(("WARC-Target-URI", uri))
    headers += [("WARC-Date", date),
                ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, warc_type + ' ' + (uri or date))}>"),
                ("Content-Type", content_type),
                ("WARC-Block-Digest", sha1_digest(block))]
    if payload is not None:
        headers.append(("WARC-Payload-Digest", sha1_digest(payload)))
    headers.append(("Content-Length", str(len(block))))
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return gzip.compress(head.encode("utf-8") + block + b"\r\n\r\n", compresslevel=9, mtime=0)


def http_response(minute, content_type, body):
    head = (f"HTTP/1.1 200 OK\r\nDate: {HTTP_DATE.format(minute)}\r\nServer: nginx\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("ascii") + body


def main():
    info = ("software: refinery demo/make_warc.py\r\nformat: WARC File Format 1.0\r\n"
            "description: demo crawl written for the Refinery project\r\n").encode("utf-8")
    members = [record("warcinfo", None, CRAWL_DATE.format(0), "application/warc-fields", info)]
    for minute, (uri, content_type, body) in enumerate(RESPONSES, start=1):
        members.append(record("response", uri, CRAWL_DATE.format(minute), "application/http;msgtype=response",
                              http_response(minute, content_type, body), payload=body))
    OUT.write_bytes(b"".join(members))
    print(f"wrote {OUT} ({len(members)} records, {OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
