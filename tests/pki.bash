# pki.bash: test certificates for tls.bats and dtls.bats: a P-256 key, a
# self-signed CA, a leaf certificate signed by it.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

# mk_key FILE: a P-256 private key (fast to make).
mk_key()
{
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1" 2>/dev/null
}

# mk_ca NAME CN: a self-signed CA in NAME.pem / NAME.key.
mk_ca()
{
	mk_key "$1.key"
	openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 30 \
	    -subj "/CN=$2" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

# mk_leaf NAME CA CN SAN: a certificate signed by CA, valid for 30 days;
# NAME.both holds certificate and key in one file.
mk_leaf()
{
	mk_key "$1.key"
	openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$3" \
	    2>/dev/null
	printf '%s\n' "subjectAltName=$4" basicConstraints=CA:FALSE \
	    extendedKeyUsage=serverAuth,clientAuth >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" \
	    -CAcreateserial -days 30 -extfile "$1.ext" -out "$1.pem" \
	    2>/dev/null
	cat "$1.pem" "$1.key" >"$1.both"
}
