#!/usr/bin/env bash
# Builds the packages for machines without Swift or this repository (bastion hosts):
#   dist/kafkaops_<version>_<arch>.deb            apt install ./kafkaops_<version>_<arch>.deb
#   dist/kafkaops-<version>-linux-<arch>.tar.gz   unpack anywhere, run <folder>/bin/kafkaops
# Both hold the same files: the stripped binary (Swift runtime and Foundation linked in, and
# librdkafka 2.14.2 linked statically from .cache/librdkafka: nothing is looked up on the build
# machine), the man page, bash/zsh/fish completions, the themes and the sample config and policy,
# and the copyright file (debian/copyright: every component linked in, with its licence).
# The version comes from VERSION; the .deb's version is debian/changelog's latest entry
# (VERSION plus the Debian revision, e.g. 0.1.0-1). Depends: is derived from the binary with
# dpkg-shlibdeps. lintian checks the .deb (scripts/package-test.sh runs it).
# Usage: scripts/package.sh   (prints the two paths on stdout)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
log() { printf '[package] %s\n' "$*" >&2; }
fail() { printf '[package] %s\n' "$*" >&2; exit 1; }

bash "$ROOT/scripts/setup.sh"
for tool in dpkg-shlibdeps dpkg-deb dpkg-parsechangelog strip readelf; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup.sh installs dpkg-dev and binutils)"
done

VERSION=$(tr -d ' \t\r\n' < VERSION)
# The .deb's version: debian/changelog's latest entry, which must be this VERSION's (one release, one entry).
DEB_VERSION=$(dpkg-parsechangelog -l debian/changelog -S Version)
[ "${DEB_VERSION%-*}" = "$VERSION" ] && [ "$DEB_VERSION" != "$VERSION" ] \
  || fail "debian/changelog's latest entry is $DEB_VERSION, not $VERSION-<revision> (add an entry for VERSION $VERSION)"
ARCH=$(dpkg --print-architecture)
WORK="$ROOT/.build-package"
DIST="$ROOT/dist"
RDKAFKA="$ROOT/.cache/librdkafka"
[ -f "$RDKAFKA/lib/librdkafka.a" ] && [ -f "$RDKAFKA/.complete" ] \
  || fail "no static librdkafka in $RDKAFKA (scripts/setup.sh builds it on Debian 12; a system librdkafka is not packaged)"
# The version scripts/setup.sh builds (one place for it), and nothing else: packages ship exactly that one.
RDKAFKA_VERSION=$(sed -n 's/^RDKAFKA_VERSION=//p' "$ROOT/scripts/setup.sh")
[ "$(cat "$RDKAFKA/.complete")" = "$RDKAFKA_VERSION" ] \
  || fail "$RDKAFKA holds librdkafka $(cat "$RDKAFKA/.complete"), not $RDKAFKA_VERSION (run scripts/setup.sh)"

# librdkafka, statically: a pkg-config folder whose rdkafka.pc points at a lib folder holding
# only librdkafka.a, so the -lrdkafka that SwiftPM adds (pkgConfig "rdkafka" and the module
# map) can only find the archive. The libraries the archive needs come from the real .pc.
STATIC="$WORK/rdkafka-static"
rm -rf "$STATIC"; mkdir -p "$STATIC/lib/pkgconfig"
cp "$RDKAFKA/lib/librdkafka.a" "$STATIC/lib/"
# (Requires.private, one level: the direct libraries, not theirs; and Libs.private.)
RDKAFKA_LIBS="$(PKG_CONFIG_PATH="$RDKAFKA/lib/pkgconfig" pkg-config --libs-only-l \
  $(PKG_CONFIG_PATH="$RDKAFKA/lib/pkgconfig" pkg-config --print-requires-private rdkafka)) \
  $(sed -n 's/^Libs.private://p' "$RDKAFKA/lib/pkgconfig/rdkafka.pc")"
cat > "$STATIC/lib/pkgconfig/rdkafka.pc" <<EOF
Name: librdkafka
Description: The Apache Kafka C library, statically (for scripts/package.sh)
Version: $(PKG_CONFIG_PATH="$RDKAFKA/lib/pkgconfig" pkg-config --modversion rdkafka)
Cflags: -I$RDKAFKA/include
Libs: -L$STATIC/lib -lrdkafka $RDKAFKA_LIBS
EOF

# The release build, in its own scratch folder: no rpath (KAFKAOPS_RDKAFKA_LIBDIR unset), the
# Swift runtime and Foundation linked in, no debug information, no $ORIGIN run path (nothing
# is shipped beside the binary). Hardened as Debian builds its packages: position-independent
# (-pie, so the loader places it at a random address), RELRO and bind-now (-z relro -z now: the
# relocated data is made read-only before main), and _FORTIFY_SOURCE with the stack protector
# for the C shims. PIE costs the loader ~101,000 relative relocations at start-up; measured on
# 2026-12-07 (two interleaved runs of 41, stripped binaries, idle machine) the difference is
# below the noise: kafkaops --version median 19.6/17.2 ms PIE vs 15.5/21.8 ms -no-pie,
# --demo topics -o json 35.0/33.3 ms vs 29.8/34.7 ms. Not a reason to give up ASLR.
log "building kafkaops $VERSION (release, static librdkafka)"
env -u KAFKAOPS_RDKAFKA_LIBDIR PKG_CONFIG_PATH="$STATIC/lib/pkgconfig" \
  swift build -c release --product kafkaops --scratch-path "$WORK/swift" --disable-local-rpath \
  -Xswiftc -static-stdlib -Xswiftc -gnone \
  -Xlinker -pie -Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now \
  -Xcc -D_FORTIFY_SOURCE=2 -Xcc -fstack-protector-strong >&2
BIN="$WORK/swift/release/kafkaops"

# Every Swift package the build resolved is linked in statically, so debian/copyright names each
# (its Files: paragraph and licence, or the header's list of packages resolved but not linked).
for pkg in $(sed -n 's/.*"identity"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ROOT/Package.resolved"); do
  grep -qi -- "$pkg" debian/copyright || fail "debian/copyright does not name the Swift package $pkg (Package.resolved): add its licence"
done

# What the binary must not carry: a path on this machine, or a dynamic librdkafka.
if readelf -d "$BIN" | grep -E '\((RUNPATH|RPATH)\)' >&2; then fail "the binary has a run path"; fi
if readelf -d "$BIN" | grep -q 'NEEDED.*librdkafka'; then fail "the binary needs a shared librdkafka"; fi
# Position-independent (ELF type DYN) with RELRO and bind-now, as Debian's hardening expects.
readelf -h "$BIN" | grep -Eq 'Type:[[:space:]]+DYN' || fail "the binary is not position-independent (readelf -h: not DYN)"
readelf -l "$BIN" | grep -q 'GNU_RELRO' || fail "the binary has no RELRO segment"
readelf -d "$BIN" | grep -Eq '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW' || fail "the binary is not linked with -z now"
[ "$("$BIN" --version)" = "kafkaops $VERSION (librdkafka $RDKAFKA_VERSION)" ] \
  || fail "kafkaops --version does not say $VERSION and librdkafka $RDKAFKA_VERSION: $("$BIN" --version)"

# Man page: scripts/man.sh (swift-argument-parser's generate-manual plugin, from the command definitions).
log "generating the man page (scripts/man.sh)"
MAN=$(bash "$ROOT/scripts/man.sh" "$WORK/man")

# The tree every package holds, laid out as under /usr.
STAGE="$WORK/stage"
rm -rf "$STAGE"; mkdir -p "$STAGE"
install -D -m 0755 "$BIN" "$STAGE/usr/bin/kafkaops"
strip --strip-all --remove-section=.comment --remove-section=.note "$STAGE/usr/bin/kafkaops"
install -d "$STAGE/usr/share/man/man1"
gzip -9n < "$MAN" > "$STAGE/usr/share/man/man1/kafkaops.1.gz"
install -d "$STAGE/usr/share/bash-completion/completions" "$STAGE/usr/share/zsh/vendor-completions" \
  "$STAGE/usr/share/fish/vendor_completions.d"
# Completions are sourced, never run: no #! line (lintian: bash-completion-with-hashbang), mode 0644.
completion() { "$BIN" --generate-completion-script "$1" | sed '1{/^#!/d}' > "$2"; chmod 0644 "$2"; }
completion bash "$STAGE/usr/share/bash-completion/completions/kafkaops"
completion zsh "$STAGE/usr/share/zsh/vendor-completions/_kafkaops"
completion fish "$STAGE/usr/share/fish/vendor_completions.d/kafkaops.fish"
install -D -m 0644 -t "$STAGE/usr/share/kafkaops/themes" themes/*.yaml
install -D -m 0644 -t "$STAGE/usr/share/kafkaops/samples" samples/*.yaml samples/*.properties
install -D -m 0644 -t "$STAGE/usr/share/kafkaops/samples/prometheus" samples/prometheus/*.yml
install -D -m 0644 README.md "$STAGE/usr/share/doc/kafkaops/README.md"
install -D -m 0644 debian/copyright "$STAGE/usr/share/doc/kafkaops/copyright"
gzip -9n < debian/changelog > "$STAGE/usr/share/doc/kafkaops/changelog.Debian.gz"
find "$STAGE" -type d -exec chmod 0755 {} +
find "$STAGE" -type f ! -path "$STAGE/usr/bin/*" -exec chmod 0644 {} +

# Depends: from the libraries the binary really needs (dpkg-shlibdeps reads the ELF NEEDED
# entries and Debian's shlibs/symbols files of the packages that provide them).
SHLIB="$WORK/shlibdeps"
rm -rf "$SHLIB"; mkdir -p "$SHLIB/debian"
printf 'Source: kafkaops\n\nPackage: kafkaops\nArchitecture: any\n' > "$SHLIB/debian/control"
DEPENDS=$(cd "$SHLIB" && dpkg-shlibdeps -O "$STAGE/usr/bin/kafkaops" | sed -n 's/^shlibs:Depends=//p')
[ -n "$DEPENDS" ] || fail "dpkg-shlibdeps found no dependencies"
log "Depends: $DEPENDS"
# The record decoders link Debian's Avro C, protobuf (with its .proto parser) and curl libraries dynamically:
# each must be in Depends: so apt brings it on a clean machine (and the tarball finds it there).
for lib in libavro libprotobuf libprotoc libcurl; do
  case "$DEPENDS" in *"$lib"*) ;; *) fail "Depends: does not name $lib (the record decoders need it): $DEPENDS" ;; esac
done

rm -rf "$DIST"; mkdir -p "$DIST"
DEB="$DIST/kafkaops_${DEB_VERSION}_${ARCH}.deb"
TGZ="$DIST/kafkaops-${VERSION}-linux-${ARCH}.tar.gz"

# The .deb
DEBROOT="$WORK/deb"
rm -rf "$DEBROOT"; cp -a "$STAGE" "$DEBROOT"
install -d "$DEBROOT/DEBIAN"
# lintian's overrides, each with its reason (debian/kafkaops.lintian-overrides); the .deb only.
install -D -m 0644 debian/kafkaops.lintian-overrides "$DEBROOT/usr/share/lintian/overrides/kafkaops"
(cd "$DEBROOT" && find usr -type f -print0 | sort -z | xargs -0 md5sum) > "$DEBROOT/DEBIAN/md5sums"
chmod 0644 "$DEBROOT/DEBIAN/md5sums"
cat > "$DEBROOT/DEBIAN/control" <<EOF
Package: kafkaops
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: kafkaops maintainers <maintainers@kafkaops.dev>
Installed-Size: $(du -sk --apparent-size "$STAGE" | cut -f1)
Depends: $DEPENDS
Recommends: man-db, bash-completion
Section: admin
Priority: optional
Homepage: https://kafkaops.dev
Description: terminal operations console for Apache Kafka
 kafkaops shows brokers, topics, consumer groups and lag in a terminal console,
 and has a subcommand with table or JSON output for every screen. librdkafka is
 linked in; the configuration, themes and audit log of each user live in their
 XDG folders, not in this package.
EOF
dpkg-deb --root-owner-group --build -Zxz "$DEBROOT" "$DEB" >&2

# The tarball: the same files under one folder, bin/ and share/ as under /usr. man finds the
# page through PATH (<folder>/bin -> <folder>/share/man); themes/ beside bin/ is where the
# binary looks for its themes when it is not installed under /usr.
NAME="kafkaops-${VERSION}-linux-${ARCH}"
TARROOT="$WORK/tar"
rm -rf "$TARROOT"; mkdir -p "$TARROOT"
cp -a "$STAGE/usr" "$TARROOT/$NAME"
ln -s share/kafkaops/themes "$TARROOT/$NAME/themes"
tar --owner=0 --group=0 --numeric-owner -C "$TARROOT" -czf "$TGZ" "$NAME"

log "binary $(du -b "$STAGE/usr/bin/kafkaops" | cut -f1) bytes, .deb $(du -b "$DEB" | cut -f1) bytes"
echo "$DEB"
echo "$TGZ"
