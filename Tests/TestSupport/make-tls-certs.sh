#!/usr/bin/env bash
# Makes the certificates the TLS tests use, with openssl, into DIR (never committed):
#   ca.pem / ca.key            the test CA
#   other-ca.pem               a CA that signed nothing the broker presents
#   server.pem / server.key    the broker, SAN DNS:localhost, IP:127.0.0.1, signed by ca
#   wronghost.pem / .key       signed by ca, SAN DNS:other.example only
#   expired.pem / .key         signed by ca, SAN DNS:localhost, expired on 2024-01-02
#   client.pem / client.key    a client certificate signed by ca (mutual TLS)
#   client-enc.key             client.key encrypted with the password in client-key-password
#   client.p12                 client.pem + client.key as PKCS#12, password in client-p12-password
#   truststore.p12             ca.pem alone as a PKCS#12 truststore (as Java's), password in truststore-password
set -euo pipefail
DIR=$1
mkdir -p "$DIR"
cd "$DIR"
q() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@" >&2; exit 1; }; }

q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=kafkaops test CA"
q openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 30 -subj "/CN=another CA"

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = test
[ test ]
dir = .
database = index.txt
new_certs_dir = .
certificate = ca.pem
private_key = ca.key
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
CNF
: > index.txt
echo 1000 > serial

# sign NAME "SUBJECT" "SAN" [extra openssl ca args]
sign() {
  local name=$1 subj=$2 san=$3; shift 3
  q openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subj" -addext "subjectAltName=$san"
  q openssl ca -batch -config ca.cnf -in "$name.csr" -out "$name.pem" -notext "$@"
}
sign server "/CN=localhost" "DNS:localhost,IP:127.0.0.1" -days 20
sign wronghost "/CN=other.example" "DNS:other.example" -days 20
sign expired "/CN=localhost" "DNS:localhost,IP:127.0.0.1" -startdate 20230101000000Z -enddate 20240102000000Z
sign client "/CN=kafkaops-client" "DNS:kafkaops-client" -days 20

echo "s3cret-key-pass" > client-key-password
q openssl pkey -in client.key -out client-enc.key -aes256 -passout file:client-key-password
echo "p12-pass" > client-p12-password
q openssl pkcs12 -export -in client.pem -inkey client.key -certfile ca.pem -out client.p12 -passout file:client-p12-password
echo "trust-pass" > truststore-password
q openssl pkcs12 -export -nokeys -in ca.pem -out truststore.p12 -passout file:truststore-password
chmod 600 ./*.key client-key-password client-p12-password client.p12
