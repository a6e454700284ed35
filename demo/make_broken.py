#!/usr/bin/env python3
"""Writes demo/corpus/broken/: two inputs that ingest must reject with a reason (Python 3 stdlib only).

truncated.pdf: a PDF header and the start of an object, then noise, cut off with no xref and no %%EOF.
binary.html:   random bytes (NULs, invalid UTF-8) behind an .html name.
Fixed seeds make both files reproducible: run `python3 demo/make_broken.py`.
"""
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "corpus" / "broken"


def truncated_pdf():
    head = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
            b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n"
            b"4 0 obj\n<< /Length 5120 /Filter /FlateDecode >>\nstream\n")
    return head + random.Random(1701).randbytes(700)  # the stream promises 5120 bytes and stops short


def binary_html():
    return random.Random(4242).randbytes(3000)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "truncated.pdf").write_bytes(truncated_pdf())
    (OUT / "binary.html").write_bytes(binary_html())
    print(f"wrote {OUT}/truncated.pdf and {OUT}/binary.html")


if __name__ == "__main__":
    main()
