#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every message the sources mark for translation has a finished Chinese
# translation: extracts the messages of every file in po/POTFILES.in,
# merges them into po/zh_CN.po in a temporary directory, and fails naming
# each message that is missing or fuzzy. Also fails when a source file
# uses _() or N_() but is not listed in POTFILES.in (its strings would
# never reach a translator), and when the built desktop entry and
# metainfo lack their Chinese names. TAP output.
set -u
src=${MINYIN_SOURCE_ROOT:?MINYIN_SOURCE_ROOT must name the source tree}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..4"

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
  echo "not ok 3 # no template to merge"
  echo "not ok 4 # no template to merge"
  exit 0
fi

# 3. zh_CN has every message, none fuzzy.
msgmerge --quiet --no-fuzzy-matching "$src/po/zh_CN.po" "$tmp/minyin.pot" \
  --output-file="$tmp/zh_CN.po" 2>"$tmp/msgmerge.err"
msgattrib --untranslated --no-obsolete "$tmp/zh_CN.po" >"$tmp/untranslated.po"
msgattrib --only-fuzzy --no-obsolete "$tmp/zh_CN.po" >"$tmp/fuzzy.po"
missing=$(grep -c '^msgid ' "$tmp/untranslated.po" 2>/dev/null || true)
fuzzy=$(grep -c '^msgid ' "$tmp/fuzzy.po" 2>/dev/null || true)
# Each non-empty list carries the header entry as well.
[ "${missing:-0}" -gt 0 ] && missing=$((missing - 1))
[ "${fuzzy:-0}" -gt 0 ] && fuzzy=$((fuzzy - 1))
if [ "${missing:-0}" -eq 0 ] && [ "${fuzzy:-0}" -eq 0 ] && msgfmt --check -o /dev/null "$tmp/zh_CN.po"; then
  echo "ok 3 po/zh_CN.po translates every message"
else
  echo "not ok 3 po/zh_CN.po: $missing untranslated, $fuzzy fuzzy"
  for f in "$tmp/untranslated.po" "$tmp/fuzzy.po"; do
    grep -A1 '^#:' "$f" | sed 's/^/# /'
  done
fi

# 4. The desktop entry and the metainfo built from them carry the Chinese.
build=${MINYIN_BUILD_ROOT:-}
if [ -n "$build" ] && grep -q '^Name\[zh_CN\]=民音$' "$build/assets/org.minyin.Terminal.desktop" &&
   grep -q '<name xml:lang="zh_CN">民音</name>' "$build/assets/org.minyin.Terminal.metainfo.xml"; then
  echo "ok 4 the desktop entry and metainfo are translated"
else
  echo "not ok 4 the built desktop entry or metainfo lacks its zh_CN name (reconfigure after adding po/LINGUAS)"
fi
