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
# The build's output is written back to disk now, not during the tests: an fsync (each change-log entry
# the tests write has one) waited 10-16 s for that write-back on a two-core machine, and the test holding
# a Swift concurrency thread meanwhile stalled every other test's timers.
sync
# The tests' own files go to a tmpfs where the machine has one, for the same reason.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  TMPDIR=$(mktemp -d /dev/shm/kafkaops-tests.XXXXXX)
  export TMPDIR
  trap 'rm -rf --one-file-system "$TMPDIR"' EXIT
fi
if [ $# -gt 0 ]; then
  swift test --skip-build "$@"
else
  # The console's end-to-end tests (the binary in tmux, each waiting for its screen) run after the
  # rest, by themselves: beside 150 other suites on two cores a screen can miss its 10 s to draw.
  swift test --skip-build --skip 'E2ETests'
  swift test --skip-build --filter 'E2ETests'
fi
