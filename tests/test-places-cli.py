#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`minyin places` and `minyin file --place`: the gazetteer from the command
line, with --json and without, and its mistakes (exit status and one
sentence)."""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mn_tap import Minyin, Tap, one_sentence  # noqa: E402

WENCHANG = "330902002008"
UNIT = "330902002008-02-03-2"


def body(t, m):
    src = os.environ.get("MINYIN_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), ".."))

    # A fresh terminal finds places without any import: the demo comes in.
    r = m.run("places", "search", "文昌社区", "--json")
    found = json.loads(r.out) if r.status == 0 else []
    t.ok(r.status == 0 and found and found[0]["code"] == WENCHANG,
         "search finds 文昌社区 first on a fresh terminal", r)
    if found:
        t.eq((found[0]["name"], found[0]["short_name"], found[0]["level"], found[0]["path"]),
             ("文昌社区居委会", "文昌社区", "community", "浙江省 舟山市 定海区 昌国街道 文昌社区"),
             "search --json gives names, level and path")

    r = m.run("places", "search", "东港")
    t.ok(r.status == 0 and "330903003\t" in r.out and "330902002008-02\t" in r.out,
         "a two-character search finds 东港街道 and 东港花园", r)

    r = m.run("places", "search", "文昌社区\" OR \"茅岭村")
    t.ok(r.status == 1 and one_sentence(r), "query syntax is text: nothing matches, one sentence",
         r)
    r = m.run("places", "search", "文昌社区\" OR \"茅岭村", "--json")
    t.ok(r.status == 0 and json.loads(r.out) == [], "with --json, no match is an empty list", r)

    r = m.run("places", "children", "330902002008-01", "--json")
    names = [p["short_name"] for p in json.loads(r.out)] if r.status == 0 else None
    t.eq(names, ["1幢", "2幢", "3幢", "10幢", "12幢"], "children come in natural order")

    r = m.run("places", "children")
    t.ok(r.status == 0 and r.out.startswith("33\t浙江省"), "children without a code: provinces", r)

    r = m.run("places", "show", UNIT, "--json")
    shown = json.loads(r.out) if r.status == 0 else {}
    t.eq(shown.get("spoken_path"), "定海区 昌国街道 文昌社区 东港花园 3幢 2单元",
         "show gives the path for speech")
    r = m.run("places", "show", UNIT)
    t.ok(r.status == 0 and "Spoken as: 定海区 昌国街道 文昌社区 东港花园 3幢 2单元\n" in r.out,
         "show prints the path", r)

    r = m.run("places", "station", "--json")
    st = json.loads(r.out) if r.status == 0 else {}
    t.eq((st.get("code"), st.get("station")), (WENCHANG, "文昌社区服务站"),
         "station: the place this terminal stands in")

    r = m.run("places", "import", "--json")
    imp = json.loads(r.out) if r.status == 0 else {}
    t.ok(imp.get("skipped") is True, "importing the demo again does nothing", r)
    r = m.run("places", "import", "--force", "--json")
    imp = json.loads(r.out) if r.status == 0 else {}
    t.eq((imp.get("n_places"), imp.get("levels", {}).get("community")), (523, 428),
         "a forced demo import writes 523 places, 428 communities")

    mini = os.path.join(src, "tests", "data", "divisions-mini")
    r = m.run("places", "import", "--divisions", mini)
    t.ok(r.status == 0 and r.out.startswith("Imported 36 places:"), "import --divisions", r)
    r = m.run("places", "search", "多福巷")
    t.ok(r.status == 0 and r.out.startswith("110101001001\t"), "the imported data is searchable",
         r)

    # Mistakes: exit 2 for the command line, 1 for a failure; one sentence.
    mistakes = [
        (["places"], 2, "Say what to do with the address data"),
        (["places", "frob"], 2, "Unknown places command ‘frob’"),
        (["places", "search"], 2, "Say what to look for"),
        (["places", "search", "x", "--limit", "0"], 2, "--limit takes a number"),
        (["places", "show"], 2, "Give one place code"),
        (["places", "show", "999"], 2, "There is no place with the code 999"),
        (["places", "children", "999"], 2, "There is no place with the code 999"),
        (["places", "import", "--divisions", "/nonexistent"], 2, "--divisions needs a directory"),
        (["places", "import", "--force", "--divisions", mini], 2, "--force is for the bundled"),
        (["places", "search", "文" * 65], 2, "The search text is longer than 64 characters"),
        (["file", "--category", "lifts", "--description", "x", "--place", "330999", "--anonymous"],
         2, "There is no place with the code 330999 in this terminal’s address data; find the code "
            "with ‘minyin places search’."),
    ]
    for args, status, start in mistakes:
        r = m.run(*args)
        t.ok(r.status == status and one_sentence(r) and r.err.startswith(start),
             f"{' '.join(args)[:60]}: exit {status}, one sentence", r)

    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("110101001001-01\t110101001999\tcompound\t东华小区\t\n")
        bad_station = f.name
    try:
        r = m.run("places", "import", "--station", bad_station)
        t.ok(r.status == 1 and one_sentence(r) and "no such place" in r.err,
             "a station file with an unknown parent is refused", r)
    finally:
        os.unlink(bad_station)

    # file --place: a known code is stored, an unknown one is refused
    # before anything is saved.
    r = m.run("file", "--category", "lifts", "--description", "电梯停了两天", "--place", UNIT,
              "--anonymous", "--json")
    filed = json.loads(r.out) if r.status == 0 else {}
    t.eq(filed.get("place_code"), UNIT, "file --place with a known code stores it")
    r = m.run("list", "--json")
    t.eq(len(json.loads(r.out)) if r.status == 0 else -1, 1,
         "the refused filing saved nothing")


def main(t):
    m = Minyin()
    try:
        body(t, m)
    finally:
        m.cleanup()


if __name__ == "__main__":
    sys.exit(Tap().run(main))
