#!/usr/bin/env python3
"""Writes the inputs of the ablation demo (conf/ablate-demo.conf) from the shared data sets, outside the repo.

tinyshakespeare's input.txt is cut into documents of whole speeches (about 1,500 characters each): the first
90% become corpus/train.jsonl, the last 10% heldout.jsonl (the clean held-out slice every variant is evaluated
on, never trained on). The rest of corpus/ is what a crawl brings beside it, about as many bytes again, all of
it text the quality rules or dedup drop and none of it in the plays' domain:
  crawl-junk.jsonl (written here, deterministically, from Refinery's own templates):
    - navigation pages: menus, breadcrumbs, cookie banners and footers around short listing lines (boilerplate
      lines shared by every page: line dedup; almost no sentence: C4's rule);
    - keyword spam on spam domains (the example block lists; no sentence: C4's rule);
    - pages of one repeated line (copies of each other: exact and MinHash dedup);
    - mojibake: langid's sentences of 8 European languages, UTF-8 read as Windows-1252 (the language filter);
      (binary junk is left out: ingest rejects it in every variant, so it would never reach raw's budget);
    - a FEW junk pages (a script page, a lorem-ipsum template, a parked domain, a login wall) copied many
      times, some exactly, some with a changed counter (exact and MinHash dedup, C4's lorem-ipsum and
      curly-bracket rules);
  ccnet-zh.jsonl: chinese-web-text's CCNet documents (mostly Chinese gambling spam), fasttext_dirty.jsonl, and
  the warc-samples WARC files (mostly Chinese spam): the language filter and the CJK rules.

usage: make_inputs.py OUT_DIR   (reads $REFINERY_SHARED_DATA, default ../shared/data beside the project)
"""
import json
import os
import random
import shutil
import sys

HOME = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("REFINERY_SHARED_DATA", os.path.join(HOME, "..", "shared", "data"))
DOC_CHARS = 1500

NAV = ["Home | About Us | Products | Blog | Contact | Login", "Skip to main content", "Menu", "Search",
       "You are here: Home > Shop > Category", "Categories", "Recent Posts", "Archives", "Tags",
       "Share on Facebook | Tweet | Pin it | Email", "Related products", "Add to cart", "Previous | Next",
       "We use cookies to improve your experience. Accept | Reject | Settings",
       "Privacy Policy | Terms of Use | Sitemap | Careers", "Copyright 2024 All rights reserved",
       "Subscribe to our newsletter", "Follow us", "Back to top"]
ITEMS = ["widget", "charger", "phone case", "lamp", "backpack", "headphones", "mug", "t-shirt", "sneakers",
         "watch", "keyboard", "cable", "sofa cover", "desk", "tripod"]
COLOURS = ["Blue", "Red", "Black", "White", "Green", "Silver", "Pink", "Grey"]
SPAM = ["online casino", "casino bonus", "viagra", "payday loan", "cheap", "free spins", "best price",
        "buy now", "jackpot", "replica watches", "weight loss pills", "crypto signals", "no deposit",
        "instant approval", "discount", "win big"]
SPAM_DOMAINS = ["casino-bonus.example", "free-pills.example", "www.spam-farm.example", "win.spam-farm.example"]
REPEATED = ["Click here to continue reading.", "This page has moved, please update your bookmarks.",
            "Loading, please wait.", "Error 503: service temporarily unavailable.",
            "Please enable JavaScript to view this page.", "Sold out."]
MOJIBAKE_SOURCE = ["fr", "de", "es", "pt", "it", "pl", "cs", "sv"]
FEW_PAGES = [
    ("script", "var _gaq = _gaq || [];\nfunction init() { window.dataLayer = window.dataLayer || []; }\n"
               "if (document.cookie.indexOf('consent') < 0) { showBanner(); }\n"
               "$(document).ready(function() { $('.menu').toggle(); });\n" * 12),
    ("lorem", "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
              "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco.\n" * 10),
    ("parked", "This domain may be for sale. Buy this domain. Related searches: cheap flights, car insurance, "
               "hotels, credit cards, online degrees.\n" * 12),
    ("login", "Sign in to continue. Forgot your password? Create an account. Remember me. Sign in with Google. "
              "Sign in with Facebook.\n" * 14),
]
FEW_COPIES = 60


def documents(text):
    """Consecutive speeches (blank-line separated) grouped into documents of at least DOC_CHARS characters."""
    docs, current = [], []
    for speech in text.split("\n\n"):
        current.append(speech)
        if sum(len(s) for s in current) >= DOC_CHARS:
            docs.append("\n\n".join(current))
            current = []
    if current:
        docs.append("\n\n".join(current))
    return docs


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def until(rnd, make_line, chars=DOC_CHARS):
    lines = []
    while sum(len(line) + 1 for line in lines) < chars:
        lines.append(make_line(rnd))
    return "\n".join(lines)


def navigation_page(rnd, i):
    listing = until(rnd, lambda r: f"{r.choice(COLOURS)} {r.choice(ITEMS)} {r.randint(100, 999)} - "
                                   f"${r.randint(5, 199)}.{r.randint(0, 99):02d} - {r.randint(1, 5)} stars", 900)
    return "\n".join(NAV[:6]) + "\n" + listing + "\n" + "\n".join(NAV[6:])


def spam_page(rnd, i):
    return until(rnd, lambda r: " ".join(r.choice(SPAM) for _ in range(r.randint(6, 14))))


def repeated_page(rnd, i):
    return "\n".join([REPEATED[i % len(REPEATED)]] * (DOC_CHARS // len(REPEATED[i % len(REPEATED)])))


def mojibake_page(rnd, i):
    with open(os.path.join(SHARED, "langid", "sentences", MOJIBAKE_SOURCE[i % len(MOJIBAKE_SOURCE)] + ".txt"),
              encoding="utf-8") as f:
        sentences = f.read().splitlines()
    text = until(rnd, lambda r: r.choice(sentences))
    return text.encode("utf-8").decode("cp1252", errors="replace")


def crawl_junk():
    rnd = random.Random(7)
    rows = []
    for kind, make, count in (("nav", navigation_page, 150), ("spam", spam_page, 60), ("repeat", repeated_page, 60),
                              ("mojibake", mojibake_page, 60)):
        for i in range(count):
            domain = SPAM_DOMAINS[i % len(SPAM_DOMAINS)] if kind == "spam" else f"shop{i % 13}.example.com"
            rows.append({"id": f"{kind}-{i}", "url": f"https://{domain}/{kind}/{i}.html", "text": make(rnd, i)})
    for name, page in FEW_PAGES:
        for i in range(FEW_COPIES):
            # Every other copy exact, the rest with the page's own counter changed (near-duplicates).
            text = page if i % 2 == 0 else page + f"\nPage views: {rnd.randint(1000, 99999)}"
            rows.append({"id": f"{name}-{i}", "url": f"https://site{i}.example.org/{name}.html", "text": text})
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_inputs.py OUT_DIR")
    out = sys.argv[1]
    corpus = os.path.join(out, "corpus")
    if os.path.isdir(corpus):
        shutil.rmtree(corpus)
    os.makedirs(corpus)
    with open(os.path.join(SHARED, "tinyshakespeare", "input.txt"), encoding="utf-8") as f:
        text = f.read()
    cut = text.rfind("\n\n", 0, int(len(text) * 0.9))
    train = documents(text[:cut])
    heldout = documents(text[cut + 2:])
    write(os.path.join(corpus, "train.jsonl"),
          [{"id": f"play-{i}", "url": f"https://plays.example.org/tiny/{i}", "text": t} for i, t in enumerate(train)])
    write(os.path.join(out, "heldout.jsonl"), [{"text": t} for t in heldout])
    junk = crawl_junk()
    write(os.path.join(corpus, "crawl-junk.jsonl"), junk)
    with open(os.path.join(SHARED, "chinese-web-text", "cleared1_CC-2021-43_ccnet.jsonl"), encoding="utf-8") as f:
        ccnet = [json.loads(line) for line in f if line.strip()]
    write(os.path.join(corpus, "ccnet-zh.jsonl"),
          [{"id": f"ccnet-{i}", "url": r["url"], "text": r["raw_content"]} for i, r in enumerate(ccnet)])
    for name in ("chinese-web-text/fasttext_dirty.jsonl", "warc-samples/dolma-wget/sample-0000.warc.gz",
                 "warc-samples/dolma-wget/sample-0001.warc.gz", "warc-samples/resiliparse/warcfile.warc.gz"):
        shutil.copyfile(os.path.join(SHARED, name), os.path.join(corpus, name.split("/", 1)[1].replace("/", "-")))
    sizes = {n: os.path.getsize(os.path.join(corpus, n)) for n in sorted(os.listdir(corpus))}
    print(f"{out}: train.jsonl {len(train)} documents, heldout.jsonl {len(heldout)}, crawl-junk.jsonl {len(junk)},"
          f" ccnet-zh.jsonl {len(ccnet)}; bytes: " + ", ".join(f"{n} {s}" for n, s in sizes.items()))


if __name__ == "__main__":
    main()
