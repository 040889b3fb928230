#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Makes the reference platform's test certificates into DIR, with the
# openssl command line only, so that nothing secret is ever committed:
#
#   ca.pem            the test CA a client is told to trust (--ca)
#   server.pem/.key   localhost, 127.0.0.1 and ::1, signed by the test CA
#   expired.pem/.key  the same names, signed by the test CA, expired in 2021
#   wrong-ca.pem/.key the same names, signed by another CA nobody trusts
#   wrong-host.pem/.key  signed by the test CA for wrong-host.invalid only
#   server.pin        curl-style public-key pin of server.key (sha256//...)
#
# Usage: make-ca.sh DIR [--force]
# Existing certificates are kept while the server certificate is valid for
# another day (a terminal provisioned with ca.pem keeps trusting it across
# `make platform` runs); --force makes new ones.
set -eu

dir=${1:?usage: make-ca.sh DIR [--force]}
force=${2:-}
command -v openssl >/dev/null 2>&1 || {
  echo "make-ca.sh: the openssl command is missing; install the openssl package." >&2
  exit 1
}
mkdir -p "$dir"
cd "$dir"

if [ "$force" != "--force" ] && [ -s ca.pem ] && [ -s server.pem ] &&
   [ -s expired.pem ] && [ -s wrong-ca.pem ] && [ -s wrong-host.pem ] &&
   [ -s server.pin ] &&
   openssl x509 -checkend 86400 -noout -in server.pem >/dev/null 2>&1; then
  exit 0
fi

umask 077
rm -rf work && mkdir work

# EC keys: a fraction of RSA's cost, so a test can make them every run.
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
serial() { echo "0x$(openssl rand -hex 8)"; }

# Own config files, so the system openssl.cnf's defaults cannot add
# duplicate extensions.
cat > work/ca.cnf <<'EOF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = Minyin Test CA
O = Minyin reference platform (test only)
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
EOF
sed 's/^CN = .*/CN = Some Other CA (not trusted)/' work/ca.cnf > work/other-ca.cnf

cat > work/leaf.cnf <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = localhost
EOF

cat > work/ext.cnf <<'EOF'
[v3_srv]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
authorityKeyIdentifier = keyid
[v3_wrong_host]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong-host.invalid
authorityKeyIdentifier = keyid
EOF

# `openssl ca` is the only 3.0 command that signs with dates in the past.
mkdir work/newcerts
: > work/index.txt
cat > work/sign.cnf <<EOF
[ca]
default_ca = test_ca
[test_ca]
database = work/index.txt
new_certs_dir = work/newcerts
serial = work/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[policy_any]
commonName = supplied
EOF
openssl rand -hex 8 > work/serial

key ca.key
openssl req -x509 -new -config work/ca.cnf -key ca.key -sha256 -days 3650 \
  -set_serial "$(serial)" -out ca.pem
key work/other-ca.key
openssl req -x509 -new -config work/other-ca.cnf -key work/other-ca.key \
  -sha256 -days 3650 -set_serial "$(serial)" -out other-ca.pem

leaf() { # name signer-cert signer-key extensions
  key "$1.key"
  openssl req -new -config work/leaf.cnf -key "$1.key" -out "work/$1.csr"
  openssl x509 -req -in "work/$1.csr" -CA "$2" -CAkey "$3" -set_serial "$(serial)" \
    -days 825 -sha256 -extfile work/ext.cnf -extensions "$4" -out "$1.pem" 2>/dev/null
}
leaf server ca.pem ca.key v3_srv
leaf wrong-ca other-ca.pem work/other-ca.key v3_srv
leaf wrong-host ca.pem ca.key v3_wrong_host

key expired.key
openssl req -new -config work/leaf.cnf -key expired.key -out work/expired.csr
openssl ca -batch -notext -config work/sign.cnf -cert ca.pem -keyfile ca.key \
  -in work/expired.csr -out expired.pem -startdate 20200101000000Z \
  -enddate 20210101000000Z -extfile work/ext.cnf -extensions v3_srv 2>/dev/null

printf 'sha256//%s\n' "$(openssl pkey -in server.key -pubout -outform DER |
  openssl dgst -sha256 -binary | openssl base64 -A)" > server.pin

rm -rf work
chmod 644 ca.pem other-ca.pem server.pem expired.pem wrong-ca.pem wrong-host.pem server.pin
