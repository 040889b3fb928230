#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every message the sources mark for translation has a finished Simplified
# Chinese and English translation: extracts the messages of every file in
# po/POTFILES.in, merges them into po/zh_CN.po and po/en.po in a temporary
# directory, and fails naming each message that is missing or fuzzy. The
# other catalogues (zh_HK, ug) report their coverage in percent; Uyghur
# must keep every number and code it puts in left to right (U+2066 …
# U+2069 around each placeholder). Also fails when a source file uses _()
# or N_() but is not listed in POTFILES.in (its strings would never reach
# a translator), when a catalogue does not compile, and when the built
# desktop entry and metainfo lack their Chinese names. TAP output.
set -u
src=${MINYIN_SOURCE_ROOT:?MINYIN_SOURCE_ROOT must name the source tree}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..9"

# 1. Every file with translatable strings is listed.
unlisted=""
for f in $(cd "$src" && grep -rlE '(^|[^A-Za-z0-9_])N?_ ?\(|translatable="yes"' \
             --include='*.c' --include='*.ui' app sync ui 2>/dev/null | sort); do
  if ! grep -qx "$f" "$src/po/POTFILES.in"; then
    unlisted="$unlisted $f"
  fi
done
if [ -z "$unlisted" ]; then
  echo "ok 1 every file with translatable strings is in po/POTFILES.in"
else
  echo "not ok 1 files with translatable strings missing from po/POTFILES.in:$unlisted"
fi

# 2. Extraction works on every listed file. po/its/ holds the rules for
# the bundled catalogue's XML (the i18n module passes them the same way).
(cd "$src" && GETTEXTDATADIRS="$src/po" xgettext --from-code=UTF-8 --add-comments=Translators \
   --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
   --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
   --files-from=po/POTFILES.in --output="$tmp/minyin.pot" 2>"$tmp/xgettext.err")
if [ $? -eq 0 ] && [ -s "$tmp/minyin.pot" ]; then
  echo "ok 2 xgettext extracted the messages"
else
  echo "not ok 2 xgettext failed"
  sed 's/^/# /' "$tmp/xgettext.err"
  for n in 3 4 5 6 7 8 9; do echo "not ok $n # no template to merge"; done
  exit 0
fi

# Merges po/$1.po with the template into $tmp/$1.po and sets $missing,
# $fuzzy and $total (messages, the header not counted).
merge () {
  msgmerge --quiet --no-fuzzy-matching "$src/po/$1.po" "$tmp/minyin.pot" \
    --output-file="$tmp/$1.po" 2>"$tmp/msgmerge-$1.err"
  msgattrib --untranslated --no-obsolete "$tmp/$1.po" >"$tmp/untranslated-$1.po"
  msgattrib --only-fuzzy --no-obsolete "$tmp/$1.po" >"$tmp/fuzzy-$1.po"
  missing=$(grep -c '^msgid ' "$tmp/untranslated-$1.po" 2>/dev/null || true)
  fuzzy=$(grep -c '^msgid ' "$tmp/fuzzy-$1.po" 2>/dev/null || true)
  total=$(grep -c '^msgid ' "$tmp/minyin.pot")
  # Each non-empty list carries the header entry as well.
  [ "${missing:-0}" -gt 0 ] && missing=$((missing - 1))
  [ "${fuzzy:-0}" -gt 0 ] && fuzzy=$((fuzzy - 1))
  total=$((total - 1))
}

# A catalogue that must be complete: no message missing or fuzzy.
complete () {
  merge "$2"
  if [ "${missing:-0}" -eq 0 ] && [ "${fuzzy:-0}" -eq 0 ] &&
     msgfmt --check -o /dev/null "$tmp/$2.po" 2>"$tmp/msgfmt-$2.err"; then
    echo "ok $1 po/$2.po translates every message ($total)"
  else
    echo "not ok $1 po/$2.po: $missing untranslated, $fuzzy fuzzy of $total"
    sed 's/^/# /' "$tmp/msgfmt-$2.err"
    for f in "$tmp/untranslated-$2.po" "$tmp/fuzzy-$2.po"; do
      grep -A1 '^msgid' "$f" | sed 's/^/# /'
    done
  fi
}

# A catalogue whose coverage is reported: it must compile, and says how
# much of the template it translates.
coverage () {
  merge "$2"
  done_=$((total - missing - fuzzy))
  percent=$((done_ * 100 / total))
  if msgfmt --check -o /dev/null "$tmp/$2.po" 2>"$tmp/msgfmt-$2.err"; then
    echo "ok $1 po/$2.po covers $percent% ($done_ of $total messages)"
    [ "$percent" -lt 100 ] && grep -A1 '^msgid' "$tmp/untranslated-$2.po" | sed 's/^/# missing: /'
  else
    echo "not ok $1 po/$2.po does not compile"
    sed 's/^/# /' "$tmp/msgfmt-$2.err"
  fi
  echo "# coverage $2 $percent%"
}

# 3. zh_CN has every message, none fuzzy.
complete 3 zh_CN

# 4. The desktop entry and the metainfo built from them carry the Chinese.
build=${MINYIN_BUILD_ROOT:-}
if [ -n "$build" ] && grep -q '^Name\[zh_CN\]=民音$' "$build/assets/org.minyin.Terminal.desktop" &&
   grep -q '<name xml:lang="zh_CN">民音</name>' "$build/assets/org.minyin.Terminal.metainfo.xml"; then
  echo "ok 4 the desktop entry and metainfo are translated"
else
  echo "not ok 4 the built desktop entry or metainfo lacks its zh_CN name (reconfigure after adding po/LINGUAS)"
fi

# 5. English, the source language, made explicit: complete too.
complete 5 en

# 6, 7. Traditional Chinese (Hong Kong) and Uyghur: coverage.
coverage 6 zh_HK
coverage 7 ug

# 8. Uyghur is written right to left: every placeholder of a message sits
# in a left-to-right isolate, so numbers and case codes keep their order.
bad=$(/usr/bin/python3 - "$src/po/ug.po" <<'PY'
import re, sys
spec = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfgGcs]")
text = open(sys.argv[1], encoding="utf-8").read()
bad = 0
for block in text.split("\n\n"):
    strs = re.findall(r'^msgstr(?:\[\d+\])? "(.*?)"$((?:\n".*")*)', block, re.M)
    for first, rest in strs:
        s = first + "".join(re.findall(r'"(.*)"', rest))
        s = s.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        for m in spec.finditer(s.replace("%%", "")):
            before = s[:m.start()]
            if before.count("\u2066") <= before.count("\u2069"):
                bad += 1
                print("# not isolated:", s[:80])
print(bad)
PY
)
if [ "$(echo "$bad" | tail -n 1)" = "0" ]; then
  echo "ok 8 po/ug.po keeps every placeholder left to right"
else
  echo "not ok 8 po/ug.po has placeholders outside a left-to-right isolate"
  echo "$bad" | sed '$d'
fi

# 9. Every catalogue is listed in po/LINGUAS and every listed one exists.
stray=""
for f in "$src"/po/*.po; do
  l=$(basename "$f" .po)
  grep -qx "$l" "$src/po/LINGUAS" || stray="$stray $l (not in LINGUAS)"
done
for l in $(grep -v '^#' "$src/po/LINGUAS"); do
  [ -f "$src/po/$l.po" ] || stray="$stray $l (no po/$l.po)"
done
if [ -z "$stray" ]; then
  echo "ok 9 po/LINGUAS and the catalogues agree"
else
  echo "not ok 9 po/LINGUAS and the catalogues disagree:$stray"
fi
