#!/usr/bin/env bash
# Sets up everything (apt packages, librdkafka 2.14.2, the tansu test broker) and runs every
# test: unit tests, integration tests against real tansu brokers started on free ports, and
# end-to-end tests of the binary in tmux. Fails if the broker cannot start; never skips.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
bash "$ROOT/scripts/setup.sh"
# shellcheck disable=SC1091
. "$ROOT/.cache/env.sh"
cd "$ROOT"
# The binary under test must run without LD_LIBRARY_PATH.
unset LD_LIBRARY_PATH
swift build --build-tests
if ldd .build/debug/kafkaops | grep -q "not found"; then
  echo "kafkaops has unresolved libraries:" >&2; ldd .build/debug/kafkaops >&2; exit 1
fi
if [ $# -gt 0 ]; then
  swift test --skip-build "$@"
else
  # The console's end-to-end tests (the binary in tmux, each waiting for its screen) run after the
  # rest, by themselves: beside 150 other suites on two cores a screen can miss its 10 s to draw.
  swift test --skip-build --skip 'E2ETests'
  swift test --skip-build --filter 'E2ETests'
fi
