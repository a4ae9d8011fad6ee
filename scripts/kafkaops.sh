#!/usr/bin/env bash
# Sets up, builds and runs kafkaops. With no arguments and no config file, it opens the
# console on the built-in demo cluster. Any arguments go to kafkaops as they are:
#   scripts/kafkaops.sh                          # console on the demo cluster
#   scripts/kafkaops.sh --bootstrap host:9092    # console on a real cluster
#   scripts/kafkaops.sh topics --profile prod    # a subcommand
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(bash "$ROOT/scripts/build.sh" release)
CONFIG_FILE="${XDG_CONFIG_HOME:-$HOME/.config}/kafkaops/config.yaml"
if [ $# -eq 0 ] && [ ! -f "$CONFIG_FILE" ]; then
  echo "No cluster given and no $CONFIG_FILE: opening the built-in demo cluster." >&2
  set -- --demo
fi
exec "$BIN" "$@"
