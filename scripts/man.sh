#!/usr/bin/env bash
# Writes the man page kafkaops.1 from the command definitions, with swift-argument-parser's
# generate-manual plugin (it builds the package's products in debug, the build scripts/test.sh
# makes; it needs no network once the dependencies are checked out), and adds the sections the
# definitions cannot give from scripts/man-sections.mdoc (ENVIRONMENT, FILES, EXIT STATUS,
# EXAMPLES, SEE ALSO).
# Usage: scripts/man.sh [OUT_DIR]   (default .build/man; prints the page's path on stdout)
#   man -l .build/man/kafkaops.1    to read it without installing
# The date on the page is SOURCE_DATE_EPOCH's, else the last commit's (reproducible packages).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
fail() { printf '[man] %s\n' "$*" >&2; exit 1; }

OUT=${1:-$ROOT/.build/man}
# shellcheck disable=SC1091
. "$ROOT/.cache/env.sh"
MAN_DATE=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}" +%F)
swift package generate-manual --configuration debug --date "$MAN_DATE" >&2
MAN="$ROOT/.build/plugins/GenerateManual/outputs/kafkaops/kafkaops.1"
[ -s "$MAN" ] || fail "the generate-manual plugin wrote no $MAN"
# Every subcommand the binary's --help lists is on the page (the same definitions: a missing one is a bug).
SUBS=$("$ROOT/.build/debug/kafkaops" --help | sed -n '/^SUBCOMMANDS:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$SUBS" ] || fail "kafkaops --help lists no subcommands"
for sub in $SUBS; do
  grep -q -- "$sub" "$MAN" || fail "the man page does not mention '$sub'"
done
SECTIONS="$ROOT/scripts/man-sections.mdoc"
[ -s "$SECTIONS" ] || fail "no $SECTIONS"
mkdir -p "$OUT"
# The added sections take the place of the generic EXIT STATUS the plugin writes (`.Ex -std`; ours
# says what 1 and 2 mean), in mdoc's order; without one they go before AUTHORS, else at the end.
awk -v sections="$SECTIONS" '
  function add() { while ((getline line < sections) > 0) print line; done = 1 }
  /^\.Sh "?EXIT STATUS"?$/ && !done { add(); skip = 1; next }
  skip && /^\.Sh / { skip = 0 }
  skip { next }
  /^\.Sh AUTHORS/ && !done { add() }
  { print }
  END { if (!done) add() }
' "$MAN" > "$OUT/kafkaops.1"
[ "$(grep -c '^\.Sh "\{0,1\}EXIT STATUS' "$OUT/kafkaops.1")" = 1 ] || fail "the man page has EXIT STATUS twice or not at all"
for section in ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
  grep -q "^\.Sh $section\$" "$OUT/kafkaops.1" || fail "the man page has no $section section"
done
printf '%s\n' "$OUT/kafkaops.1"
