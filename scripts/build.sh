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
swift build -c "$CONFIG" --product kafkaops >&2
echo "$ROOT/.build/$CONFIG/kafkaops"
