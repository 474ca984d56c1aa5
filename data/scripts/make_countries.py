#!/usr/bin/env python3
"""Writes data/countries.txt, the Chinese names of the world's countries and territories
outside China, from the Unicode CLDR as Babel ships it.

Usage:
    pip download --no-deps -d /tmp/babel babel
    (cd /tmp/babel && unzip -q babel-*.whl -d x)
    PYTHONPATH=/tmp/babel/x python3 data/scripts/make_countries.py > data/countries.txt

What it keeps: the territory names (two-letter codes) of the zh, zh_Hant and zh_Hant_HK
locales, so 朝鲜, 北韓 and 新西兰 / 紐西蘭 are all there, without China and its parts (CN,
HK, MO, TW), the blocs and the placeholders (EU, EZ, UN, QO, XA, XB, ZZ). A name that is part
of a place name in China (蒙古 in 内蒙古, 巴林 in 巴林左旗) is left out: it would make a
Chinese place foreign. Names are written as CLDR spells them; the program normalises them
(traditional -> simplified) when it loads them, so duplicates after that are harmless.
"""

import sys
from pathlib import Path

from babel import Locale
from babel.core import get_cldr_version

SKIP = {"CN", "HK", "MO", "TW", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
DATA = Path(__file__).resolve().parent.parent


def chinese_place_names():
    names = set()
    for file, cols in [("regions.tsv", (1, 2)), ("regions-hk-mo-tw.tsv", (1, 2)),
                       ("areas.tsv", (0,)), ("townships.tsv", (0, 1))]:
        for line in (DATA / file).read_text(encoding="utf-8").splitlines()[1:]:
            if line.startswith("#"):
                continue
            parts = line.split("\t")
            names.update(parts[c] for c in cols if c < len(parts) and parts[c])
    return names


def main():
    places = chinese_place_names()
    names = []
    for locale in ["zh", "zh_Hant", "zh_Hant_HK"]:
        for code, name in sorted(Locale.parse(locale).territories.items()):
            if len(code) != 2 or not code.isalpha() or code in SKIP:
                continue
            # 科科斯（基林）群岛 -> 科科斯群岛 as news writes it
            name = name.split("（")[0] + (name.split("）")[1] if "）" in name else "")
            if name and name not in names and not any(name in p for p in places):
                names.append(name)
    print("# Countries and territories outside China, as Chinese names them: the territory names")
    print(f"# of the zh, zh_Hant and zh_Hant_HK locales of the Unicode CLDR {get_cldr_version()},")
    print("# as Babel ships it (written by data/scripts/make_countries.py; a name that is part of a")
    print("# Chinese place name, 蒙古 of 内蒙古, is left out). Read with data/foreign-places.txt.")
    for n in names:
        print(n)


if __name__ == "__main__":
    sys.exit(main())
