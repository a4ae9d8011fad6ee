#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and builds kafkaops. Usage: scripts/build.sh [debug|release]
# Prints the path of the built binary on stdout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONFIG=${1:-release}
bash "$ROOT/scripts/setup.sh"
# shellcheck disable=SC1091
. "$ROOT/.cache/env.sh"
cd "$ROOT"
# Release binaries carry the Swift runtime and Foundation (-static-stdlib): nothing but librdkafka
# (rpath) and system libraries is needed at run time, start-up is faster and resident memory smaller.
if [ "$CONFIG" = release ]; then STATIC=(-Xswiftc -static-stdlib); else STATIC=(); fi
swift build -c "$CONFIG" --product kafkaops "${STATIC[@]}" >&2
echo "$ROOT/.build/$CONFIG/kafkaops"
