#!/usr/bin/env bash
# Checks the packages of scripts/package.sh on a clean Debian 12: a minimal root made with
# debootstrap (cached in .cache/debootstrap-bookworm, made once), copied afresh for each run.
#   0. lintian on the .deb: no error, and none of the tags listed in FIXED_TAGS below (each
#      was fixed once and must not come back); overrides only in debian/kafkaops.lintian-overrides,
#      each with its reason;
#   1. the .deb (under 40 MB, binary stripped, no run path) installed with apt inside the root
#      (so its Depends: are proved), then kafkaops --version, --demo topics, topic create and
#      topics against a tansu broker started outside the root (a chroot shares the loopback),
#      man -w kafkaops, bash completion through Debian's bash-completion loader; an upgrade and
#      a purge keep the user's config, theme and audit log;
#   2. the package purged, the tarball unpacked into an empty folder: the same checks.
# Needs root (debootstrap, chroot, mount) and Debian's archive. Fails, never skips, when the
# root cannot be made. Usage: scripts/package-test.sh [--no-build]   (--no-build: use dist/ as is;
# KEEP_ROOT=1 keeps the root of the run for a look)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE="$ROOT/.cache"
BASE="${KAFKAOPS_DEBIAN_ROOT_CACHE:-$CACHE/debootstrap-bookworm}"
MIRROR="${KAFKAOPS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${KAFKAOPS_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
log() { printf '[package-test] %s\n' "$*" >&2; }
fail() { printf '[package-test] FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot and mount); run it with sudo"

# debootstrap makes the root; lintian checks the .deb as Debian's archive would.
missing=()
for tool in debootstrap lintian; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The pristine root: Debian 12 minbase plus what a bastion has for these checks (man-db for
# `man -w`, bash-completion for the completion loader). Made once; never modified afterwards.
make_base() {
  [ -f "$BASE/.complete" ] && return 0
  log "making a minimal Debian 12 root in $BASE (once; about 2-4 minutes)"
  rm -rf "$BASE.partial" "$BASE"
  mkdir -p "$(dirname "$BASE")"
  debootstrap --variant=minbase --include=man-db,bash-completion bookworm "$BASE.partial" "$MIRROR" \
    >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log" >&2; fail "debootstrap could not make a Debian 12 root (log: $CACHE/debootstrap.log)"; }
  cat > "$BASE.partial/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY_MIRROR bookworm-security main
EOF
  touch "$BASE.partial/.complete"
  mv "$BASE.partial" "$BASE"
}
make_base

# The packages under test.
if [ "${1:-}" != "--no-build" ]; then bash "$ROOT/scripts/package.sh" >/dev/null; fi
VERSION=$(tr -d ' \t\r\n' < "$ROOT/VERSION")
# The .deb's version (VERSION plus the Debian revision): debian/changelog's latest entry, as scripts/package.sh names it.
DEB_VERSION=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
# The librdkafka the packages link statically: the one scripts/setup.sh builds (one place for it).
RDKAFKA_VERSION=$(sed -n 's/^RDKAFKA_VERSION=//p' "$ROOT/scripts/setup.sh")
[ -n "$RDKAFKA_VERSION" ] || fail "no RDKAFKA_VERSION= line in scripts/setup.sh"
ARCH=$(dpkg --print-architecture)
DEB="$ROOT/dist/kafkaops_${DEB_VERSION}_${ARCH}.deb"
TGZ="$ROOT/dist/kafkaops-${VERSION}-linux-${ARCH}.tar.gz"
[ -f "$DEB" ] && [ -f "$TGZ" ] || fail "no $DEB or $TGZ (scripts/package.sh makes them)"
DEB_BYTES=$(stat -c %s "$DEB")
[ "$DEB_BYTES" -lt $((40 * 1024 * 1024)) ] || fail "the .deb is $DEB_BYTES bytes, over the 40 MB target"
# shellcheck disable=SC1091
. "$CACHE/env.sh"

# 0. lintian. Errors fail the run; so do the warnings fixed once (each names what fixed it):
FIXED_TAGS=(
  no-copyright-file                    # debian/copyright, machine-readable, every component linked in
  copyright-without-copyright-notice
  missing-license-paragraph-in-dep5-copyright
  debian-changelog-file-missing-or-wrong-name  # debian/changelog as changelog.Debian.gz
  wrong-name-for-changelog-of-native-package
  changelog-not-compressed-with-max-compression
  mail-address-loops-or-bounces        # a real Maintainer address
  bogus-mail-host
  hardening-no-pie                     # linked -pie (scripts/package.sh checks ELF type DYN)
  hardening-no-relro
  hardening-no-bindnow
  bash-completion-with-hashbang        # completions are sourced: no #! line
  executable-not-elf-or-script
  non-standard-file-perm
  uncompressed-manual-page
  poor-compression-in-manual-page
  no-manual-page
  no-md5sums-control-file              # DEBIAN/md5sums
  binary-has-unneeded-section          # stripped of .comment and .note
)
log "lintian $(basename "$DEB")"
LINTIAN_OUT="$CACHE/package-test-lintian.txt"
set +e
lintian --fail-on error --display-level '>=info' --tag-display-limit 0 "$DEB" >"$LINTIAN_OUT" 2>&1
LINTIAN_RC=$?
set -e
grep -v '^running with root privileges' "$LINTIAN_OUT" >&2 || true
[ "$LINTIAN_RC" = 0 ] || fail "lintian reports errors on the .deb (above; full output in $LINTIAN_OUT)"
for tag in "${FIXED_TAGS[@]}"; do
  if grep -Eq "^[EWI]: kafkaops[^ ]*: $tag( |\$)" "$LINTIAN_OUT"; then fail "lintian: $tag is back (it was fixed: see FIXED_TAGS)"; fi
done

# A fresh copy of the pristine root for this run; /proc mounted while it runs. The trap
# unmounts first and deletes the copy only when nothing is mounted in it any more.
RUN_DIR=""
R=""
TANSU_PID=""
cleanup() {
  [ -n "$TANSU_PID" ] && kill "$TANSU_PID" 2>/dev/null || true
  if [ -n "$RUN_DIR" ] && [ -d "$RUN_DIR" ]; then
    if mountpoint -q "$R/proc"; then umount "$R/proc" || umount -l "$R/proc" || true; fi
    if findmnt -rn -o TARGET | grep -qF "$RUN_DIR/"; then
      log "still mounted under $RUN_DIR; not deleting it"
    elif [ -z "${KEEP_ROOT:-}" ]; then
      rm -rf "$RUN_DIR"
    else
      log "kept the root at $R (KEEP_ROOT)"
    fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
RUN_DIR=$(mktemp -d "$CACHE/package-test.XXXXXX")
R="$RUN_DIR/root"
cp -a "$BASE" "$R"
mount -t proc proc "$R/proc"
cp /etc/resolv.conf "$R/etc/resolv.conf"
cp "$DEB" "$TGZ" "$R/tmp/"

# in_root SCRIPT: runs SCRIPT with bash inside the root, in a clean environment.
in_root() {
  chroot "$R" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive bash -euo pipefail -c "$1"
}

# The broker, outside the root: the chroot shares the host's loopback.
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$KAFKAOPS_TANSU" broker --listener-url "tcp://127.0.0.1:$PORT" --advertised-listener-url "tcp://127.0.0.1:$PORT" \
  >"$CACHE/package-test-tansu.log" 2>&1 &
TANSU_PID=$!
for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
(echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || fail "tansu did not start on port $PORT"

# The checks a person on the bastion would make, run inside the root with kafkaops found on
# PATH: check.sh VERSION PORT TOPIC MAN_PAGE COMPLETION RDKAFKA_VERSION (COMPLETION: "loader" for Debian's
# bash-completion loader, else the file to source).
cat > "$R/tmp/check.sh" <<'CHECK'
set -euo pipefail
version=$1 port=$2 topic=$3 man_page=$4 completion=$5 rdkafka=$6
step() { printf '[package-test]   %s\n' "$*" >&2; }
no() { printf '[package-test] FAIL: %s\n' "$*" >&2; exit 1; }

step "kafkaops --version"
out=$(kafkaops --version); echo "$out"
[ "$out" = "kafkaops $version (librdkafka $rdkafka)" ] || no "kafkaops --version printed '$out', not librdkafka $rdkafka"
if ldd "$(command -v kafkaops)" | grep -E 'librdkafka|not found'; then no "kafkaops needs a shared librdkafka or a missing library"; fi

step "kafkaops --demo topics"
out=$(kafkaops --demo topics); echo "$out" | head -3
echo "$out" | grep -q '^orders ' || no "no orders topic in the demo cluster's list"

step "kafkaops topic create $topic, kafkaops topics --bootstrap 127.0.0.1:$port"
printf 'min_replication_factor: 1\nmin_insync_replicas: 1\nrequire_rf_above_min_isr: false\n' > /tmp/policy.yaml
kafkaops topic create "$topic" --bootstrap "127.0.0.1:$port" --partitions 3 --replication-factor 1 --policy /tmp/policy.yaml
out=$(kafkaops topics --bootstrap "127.0.0.1:$port"); echo "$out"
echo "$out" | grep -Eq "^$topic +3 +1 " || no "the created topic $topic is not listed"

step "man -w kafkaops"
page=$(man -w kafkaops); echo "$page"
[ "$(realpath "$page")" = "$man_page" ] || no "man -w found '$page', not $man_page"
MANPAGER=cat MANWIDTH=80 man kafkaops 2>/dev/null | grep -q 'A terminal operations console for Apache Kafka' \
  || no "man kafkaops does not show the page"

step "bash completion ($completion)"
cat > /tmp/completion.sh <<'COMPLETION'
if [ "$1" = loader ]; then
  . /usr/share/bash-completion/bash_completion
  __load_completion kafkaops || { echo "bash-completion's loader found no completion for kafkaops"; exit 1; }
else
  . "$1"
fi
complete -p kafkaops >&2
COMP_WORDS=(kafkaops to); COMP_CWORD=1; COMP_LINE="kafkaops to"; COMP_POINT=${#COMP_LINE}
_kafkaops
printf '%s\n' "${COMPREPLY[@]}"
COMPLETION
bash /tmp/completion.sh "$completion" >/tmp/completion.out 2>/tmp/completion.err \
  || no "the completion failed: $(cat /tmp/completion.out /tmp/completion.err)"
grep -v '^complete ' /tmp/completion.err && no "the completion printed errors"
echo "kafkaops to<TAB>: $(tr '\n' ' ' < /tmp/completion.out)"
grep -qx topics /tmp/completion.out || no "kafkaops to<TAB> does not offer topics"
CHECK

# check WHAT PATH_PREFIX MAN_PAGE COMPLETION
check() {
  log "$1: checks inside the root"
  in_root "export PATH=$2\$PATH; bash /tmp/check.sh '$VERSION' '$PORT' 'pkgtest-$1' '$3' '$4' '$RDKAFKA_VERSION'" \
    || fail "$1: a check failed (above)"
}

# 1. The .deb, installed with apt: its Depends: come from Debian 12's archive.
log "deb: apt install ./$(basename "$DEB")"
in_root "apt-get update -qq && apt-get install -y -qq ./tmp/$(basename "$DEB") >/tmp/apt.log 2>&1 || { tail -30 /tmp/apt.log; exit 1; }" \
  || fail "deb: apt could not install the package"
[ -x "$R/usr/bin/kafkaops" ] || fail "deb: no /usr/bin/kafkaops"
if readelf -d "$R/usr/bin/kafkaops" | grep -E '\((RUNPATH|RPATH)\)'; then fail "deb: the binary carries a run path"; fi
if readelf -S "$R/usr/bin/kafkaops" | grep -E '\.symtab|\.debug_'; then fail "deb: the binary is not stripped"; fi
for f in usr/share/kafkaops/themes/default.yaml usr/share/kafkaops/samples/config.yaml usr/share/kafkaops/samples/policy.yaml \
         usr/share/kafkaops/samples/prometheus/kafkaops.rules.yml \
         usr/share/zsh/vendor-completions/_kafkaops usr/share/fish/vendor_completions.d/kafkaops.fish; do
  [ -s "$R/$f" ] || fail "deb: no /$f"
done
check deb "" /usr/share/man/man1/kafkaops.1.gz loader

# An upgrade keeps what belongs to the user (their XDG folders: config, themes, audit log).
log "deb: an upgrade keeps the user's config, themes and audit log"
UPGRADE="$RUN_DIR/upgrade"
dpkg-deb -R "$DEB" "$UPGRADE"
sed -i "s/^Version: .*/Version: ${DEB_VERSION}+upgradetest/" "$UPGRADE/DEBIAN/control"
dpkg-deb --root-owner-group --build "$UPGRADE" "$R/tmp/upgrade.deb" >/dev/null
in_root "mkdir -p /root/.config/kafkaops/themes
  cp /usr/share/kafkaops/samples/config.yaml /root/.config/kafkaops/config.yaml
  cp /usr/share/kafkaops/themes/light.yaml /root/.config/kafkaops/themes/mine.yaml
  echo '# mine' >> /root/.config/kafkaops/themes/mine.yaml
  [ -s /root/.local/state/kafkaops/audit.log ] || { echo 'topic create wrote no audit log' >&2; exit 1; }
  sha256sum /root/.config/kafkaops/config.yaml /root/.config/kafkaops/themes/mine.yaml /root/.local/state/kafkaops/audit.log > /tmp/user-files.sha256
  apt-get install -y -qq /tmp/upgrade.deb >/tmp/apt.log 2>&1 || { tail -30 /tmp/apt.log; exit 1; }
  [ \"\$(dpkg-query -W -f='\${Version}' kafkaops)\" = '${DEB_VERSION}+upgradetest' ] || { echo 'not upgraded' >&2; exit 1; }
  sha256sum -c /tmp/user-files.sha256
  apt-get purge -y -qq kafkaops >/tmp/apt.log 2>&1 || { tail -30 /tmp/apt.log; exit 1; }
  [ ! -e /usr/bin/kafkaops ] && [ ! -e /usr/share/kafkaops ] || { echo 'purge left files' >&2; exit 1; }
  sha256sum -c /tmp/user-files.sha256
  rm -rf /root/.config/kafkaops /root/.local/state/kafkaops" \
  || fail "deb: the upgrade or the purge did not keep the user's files"

# 2. The tarball, unpacked into an empty folder of the same root (the package purged; the
#    libraries its Depends: named stay, as on a bastion that has them).
log "tarball: unpacked into an empty folder"
NAME=$(basename "$TGZ" .tar.gz)
in_root "mkdir /opt/unpacked && cd /opt/unpacked && tar -xzf /tmp/$(basename "$TGZ") && ls /opt/unpacked" \
  || fail "tarball: could not unpack"
check tarball "/opt/unpacked/$NAME/bin:" "/opt/unpacked/$NAME/share/man/man1/kafkaops.1.gz" \
  "/opt/unpacked/$NAME/share/bash-completion/completions/kafkaops"
[ -s "$R/opt/unpacked/$NAME/themes/default.yaml" ] || fail "tarball: no themes/ beside bin/"

log "ok: the .deb and the tarball install and run on a clean Debian 12"
