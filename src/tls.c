/* tls.c: the TLS layer (OpenSSL), built as the module sockcat-tls.so. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sockcat.h"

/*
 * Only this file links OpenSSL. It is loaded by tls-load.c when an address
 * uses TLS, so a session without TLS never pays for mapping and relocating
 * libcrypto. It calls into the binary only through `bin`, which the
 * binary hands over when it loads the module (the binary exports nothing,
 * and the module is linked with -z defs to keep it so).
 */
static const struct tls_host	*bin;

#if OPENSSL_VERSION_NUMBER < 0x30000000L
/* OpenSSL 1.1.1 spells it the old way. */
#define SSL_get1_peer_certificate SSL_get_peer_certificate
#endif

/*
 * Handshake deadlines when connect-timeout= is not given, ms. A server
 * gives up sooner: a client that connects and never speaks TLS must not
 * hold a child for long. A client allows for slow servers and networks.
 */
#define TLS_SERVER_TIMEOUT_MS	30000
#define TLS_CLIENT_TIMEOUT_MS	60000

/*
 * OpenSSL's read buffer, bytes. With read-ahead, one read(2) takes up to
 * this much ciphertext (about eight 16 KiB records) instead of a 5-byte
 * header and then one record body: measured, this cuts the syscalls of a
 * TLS termination from four per record to about four per 128 KiB.
 */
#define TLS_READ_BUFFER		(128 * 1024)

/*
 * The end of input or error that a read or write met after it had moved
 * some bytes: those are returned first, this on the next call.
 */
struct tls_later {
	int		 set;
	ssize_t		 result;	/* 0 or EP_ERROR */
	int		 error;		/* errno of an EP_ERROR */
};

/* Per-endpoint TLS state, in ep->ctx. */
struct tls_state {
	SSL_CTX		*ctx;
	SSL		*ssl;
	BIO		*bio;		/* over the layer below, or NULL */
	int		 wired;		/* SSL connected to what is below */
	int		 server;	/* accepting, not connecting */
	int		 fatal;		/* SSL is in error: no close_notify */
	int		 shut;		/* SSL_shutdown has been called */
	int		 shut_pending;	/* close_notify waits for the socket */
	int		 got_notify;	/* the peer's close_notify arrived */
	int		 truncated;	/* "without close_notify" was said */
	int		 starved;	/* last read wanted more socket input */
	struct tls_later rd, wr;	/* results kept behind data moved */
	unsigned char	*alpn;		/* ALPN list in wire format */
	size_t		 alpn_len;
	int		 dtls;		/* a DTLS context (dtls.c) */
};

static ssize_t	tls_read(struct endpoint *, void *, size_t);
static ssize_t	tls_write(struct endpoint *, const void *, size_t);
static int	tls_shutdown_wr(struct endpoint *);
static size_t	tls_pending(struct endpoint *);
static void	tls_close(struct endpoint *);

static int	tls_handshake_step(struct endpoint *);
static void	tls_log_session(const struct endpoint *, SSL *);

static const struct ep_ops tls_ops = {
	.name = "TLS handshake",
	.handshake = tls_handshake_step,
	.read = tls_read,
	.write = tls_write,
	.shutdown_wr = tls_shutdown_wr,
	.pending = tls_pending,
	.close = tls_close,
};

/* Was option `id` given in `o`? The binary's opts_isset(). */
static int
tls_isset(const struct addr_opts *o, int id)
{
	return bin->opts_isset(o, id);
}

/*
 * The reason of the first queued OpenSSL error, for messages, or `dflt`
 * when the queue is empty. Only the reason string is used: it never holds
 * file contents or key material.
 */
static const char *
tls_err_reason(const char *dflt)
{
	unsigned long	 e;
	const char	*s;

	if ((e = ERR_peek_error()) == 0)
		return dflt;
	if ((s = ERR_reason_error_string(e)) == NULL)
		return dflt;
	return s;
}

/* Is `host` an IPv4 or IPv6 literal? */
static int
tls_is_ip(const char *host)
{
	struct in6_addr	 in6;
	struct in_addr	 in4;

	return inet_pton(AF_INET, host, &in4) == 1 ||
	    inet_pton(AF_INET6, host, &in6) == 1;
}

/*
 * Message callback: note a received close_notify alert, so that an end of
 * input OpenSSL reports as SSL_ERROR_ZERO_RETURN under
 * SSL_OP_IGNORE_UNEXPECTED_EOF can be told apart from a truncation.
 */
static void
tls_msg_cb(int write_p, int version __unused, int content_type,
    const void *buf, size_t len, SSL *ssl __unused, void *arg)
{
	struct tls_state	*t = arg;
	const unsigned char	*p = buf;

	if (!write_p && content_type == SSL3_RT_ALERT && len >= 2 &&
	    p[1] == SSL_AD_CLOSE_NOTIFY)
		t->got_notify = 1;
}

/* Refuse to prompt for a key passphrase: sockcat never reads the tty. */
static int
tls_passwd_cb(char *buf __unused, int size __unused, int rw __unused,
    void *arg __unused)
{
	return 0;
}

/*
 * Can `path` be opened for reading? Prints "ADDR: WHAT PATH: reason" when
 * not, so a missing file gets the system's words rather than OpenSSL's.
 */
static int
tls_check_file(const struct addr *a, const char *what, const char *path,
    int dir)
{
	struct stat	 sb;
	int		 fd;

	if (dir) {
		if (stat(path, &sb) == -1) {
			warn("%s: %s %s", a->text, what, path);
			return -1;
		}
		if (!S_ISDIR(sb.st_mode)) {
			warnx("%s: %s %s: %s", a->text, what, path,
			    strerror(ENOTDIR));
			return -1;
		}
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		warn("%s: %s %s", a->text, what, path);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Turn the alpn= list "h2+http/1.1" into the wire format of RFC 7301
 * (each name prefixed by its length). Returns 0, or -1 for an empty or
 * over-long name.
 */
static int
tls_alpn_wire(const char *list, unsigned char **out, size_t *outlen)
{
	const char	*p, *end;
	unsigned char	*w;
	size_t		 n, len;

	len = strlen(list);
	w = bin->xmalloc(len + 1);
	n = 0;
	for (p = list;; p = end + 1) {
		if ((end = strchr(p, '+')) == NULL)
			end = p + strlen(p);
		if (end == p || end - p > 255) {
			free(w);
			return -1;
		}
		w[n++] = (unsigned char)(end - p);
		memcpy(w + n, p, end - p);
		n += end - p;
		if (*end == '\0')
			break;
	}
	*out = w;
	*outlen = n;
	return 0;
}

/*
 * Server ALPN callback: pick our first preference that the client offers
 * (SSL_select_next_proto). With no overlap, go on without ALPN rather than
 * fail, as most servers do.
 */
static int
tls_alpn_select(SSL *ssl __unused, const unsigned char **out,
    unsigned char *outlen, const unsigned char *in, unsigned int inlen,
    void *arg)
{
	struct tls_state	*t = arg;
	unsigned char		*sel;

	if (SSL_select_next_proto(&sel, outlen, t->alpn,
	    (unsigned int)t->alpn_len, in, inlen) != OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;
	*out = sel;
	return SSL_TLSEXT_ERR_OK;
}

/*
 * Apply ciphers=: names starting with "TLS_" are TLS 1.3 suites
 * (SSL_CTX_set_ciphersuites), the rest a TLS 1.2 cipher string
 * (SSL_CTX_set_cipher_list). Returns 0 or -1.
 */
static int
tls_set_ciphers(SSL_CTX *ctx, const char *list)
{
	char		*v12, *v13, *tok, *p, *last, *dst;
	size_t		 len, n12, n13, *np;
	int		 r;

	len = strlen(list) + 1;
	v12 = bin->xcalloc(1, len);
	v13 = bin->xcalloc(1, len);
	n12 = n13 = 0;
	tok = bin->xstrdup(list);
	for (p = strtok_r(tok, ":", &last); p != NULL;
	    p = strtok_r(NULL, ":", &last)) {
		if (strncmp(p, "TLS_", 4) == 0) {
			dst = v13;
			np = &n13;
		} else {
			dst = v12;
			np = &n12;
		}
		/* Both fit: together they are no longer than the list. */
		if (*np > 0)
			dst[(*np)++] = ':';
		memcpy(dst + *np, p, strlen(p));
		*np += strlen(p);
	}
	r = 0;
	if (n12 > 0 && SSL_CTX_set_cipher_list(ctx, v12) != 1)
		r = -1;
	if (n13 > 0 && SSL_CTX_set_ciphersuites(ctx, v13) != 1)
		r = -1;
	if (n12 == 0 && n13 == 0)
		r = -1;
	free(tok);
	free(v12);
	free(v13);
	return r;
}

/*
 * Load cert= and key= (the key defaults to the cert file). Returns 0 or
 * an EXIT_* status after one message naming the file.
 */
static int
tls_load_cert(const struct addr *a, SSL_CTX *ctx)
{
	const char	*cert = a->opts.cert;
	const char	*key;

	key = tls_isset(&a->opts, OPT_KEY) ? a->opts.key : cert;
	if (tls_check_file(a, "cert", cert, 0) == -1)
		return EXIT_RUNTIME;
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		warnx("%s: cert %s: %s", a->text, cert,
		    tls_err_reason("cannot load certificate"));
		return EXIT_RUNTIME;
	}
	if (key != cert && tls_check_file(a, "key", key, 0) == -1)
		return EXIT_RUNTIME;
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		warnx("%s: key %s: %s", a->text, key, key == cert ?
		    "no usable private key in the cert file (use key=)" :
		    tls_err_reason("cannot load private key"));
		return EXIT_RUNTIME;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		warnx("%s: key %s: %s", a->text, key,
		    tls_err_reason("does not match the certificate"));
		return EXIT_RUNTIME;
	}
	return 0;
}

/*
 * Build the SSL_CTX of one connection from the address options. A fork
 * listener calls this in each child, so nothing is cached across
 * connections. Returns 0 or an EXIT_* status after printing the reason.
 */
static int
tls_ctx_new(const struct addr *a, int server, struct tls_state *t)
{
	const struct addr_opts	*o = &a->opts;
	SSL_CTX			*ctx;
	int			 ver, mode, r;

	if (t->dtls)
		ctx = SSL_CTX_new(server ? DTLS_server_method() :
		    DTLS_client_method());
	else
		ctx = SSL_CTX_new(server ? TLS_server_method() :
		    TLS_client_method());
	if (ctx == NULL) {
		warnx("%s: SSL_CTX_new: %s", a->text,
		    tls_err_reason("failed"));
		return EXIT_RUNTIME;
	}
	t->ctx = ctx;

	/* SPEC section 6: TLS 1.2 is the floor; DTLS 1.2 for DTLS. */
	ver = tls_isset(o, OPT_MIN_VERSION) ? o->min_version : TLS1_2_VERSION;
	if (ver < TLS1_2_VERSION)
		ver = TLS1_2_VERSION;
	if (t->dtls)
		ver = DTLS1_2_VERSION;
	if (SSL_CTX_set_min_proto_version(ctx, ver) != 1) {
		warnx("%s: min-version: %s", a->text,
		    tls_err_reason("not supported"));
		return EXIT_USAGE;
	}
	/*
	 * AUTO_RETRY (the default since 1.1.1) is relied upon: a read that
	 * wants more input has used up every whole record OpenSSL holds, so
	 * tls_pending() may then let the relay wait in poll.
	 */
	if (!t->dtls && tls_isset(o, OPT_MAX_VERSION) &&
	    (o->max_version < ver || SSL_CTX_set_max_proto_version(ctx,
	    o->max_version) != 1)) {
		warnx("%s: max-version: %s", a->text, o->max_version < ver ?
		    "below min-version" : tls_err_reason("not supported"));
		return EXIT_USAGE;
	}
	/* compress=auto lets OpenSSL compress where it can (socat). */
	if (tls_isset(o, OPT_COMPRESS)) {
		if (strcmp(o->compress, "auto") == 0)
			SSL_CTX_clear_options(ctx, SSL_OP_NO_COMPRESSION);
		else if (strcmp(o->compress, "none") == 0)
			SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION);
		else {
			warnx("%s: compress=%s: expects auto or none",
			    a->text, o->compress);
			return EXIT_USAGE;
		}
	}
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_AUTO_RETRY);
	SSL_CTX_set_read_ahead(ctx, 1);
	SSL_CTX_set_default_read_buffer_len(ctx, TLS_READ_BUFFER);
#ifdef SSL_OP_NO_RENEGOTIATION
	/* Renegotiation mid-stream only adds attack surface here. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
#endif
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
	/*
	 * A peer's EOF without close_notify ends its input like a
	 * close_notify, instead of making the whole SSL fail: the other
	 * direction keeps flowing. tls_read() still reports it under -v.
	 */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
	SSL_CTX_set_default_passwd_cb(ctx, tls_passwd_cb);
	if (server) {
		/*
		 * Each connection builds a fresh context (a new child with
		 * fork), so resumption could never work: send no session
		 * tickets. This also spares a client that only sends (-u)
		 * unread tickets that would turn its close(2) into a reset.
		 */
		SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
		SSL_CTX_set_num_tickets(ctx, 0);
	}

	if (tls_isset(o, OPT_CIPHERS) && tls_set_ciphers(ctx, o->ciphers)) {
		warnx("%s: ciphers %s: %s", a->text, o->ciphers,
		    tls_err_reason("no cipher match"));
		return EXIT_USAGE;
	}

	if (tls_isset(o, OPT_CERT)) {
		if ((r = tls_load_cert(a, ctx)) != 0)
			return r;
	} else if (tls_isset(o, OPT_KEY)) {
		warnx("%s: key= needs cert=", a->text);
		return EXIT_USAGE;
	} else if (server) {
		warnx("%s: a TLS listener needs cert=", a->text);
		return EXIT_USAGE;
	}

	if (tls_isset(o, OPT_CAFILE) &&
	    tls_check_file(a, "cafile", o->cafile, 0) == -1)
		return EXIT_RUNTIME;
	if (tls_isset(o, OPT_CAPATH) &&
	    tls_check_file(a, "capath", o->capath, 1) == -1)
		return EXIT_RUNTIME;
	if (tls_isset(o, OPT_CAFILE) || tls_isset(o, OPT_CAPATH)) {
		if (SSL_CTX_load_verify_locations(ctx,
		    tls_isset(o, OPT_CAFILE) ? o->cafile : NULL,
		    tls_isset(o, OPT_CAPATH) ? o->capath : NULL) != 1) {
			warnx("%s: %s %s: %s", a->text,
			    tls_isset(o, OPT_CAFILE) ? "cafile" : "capath",
			    tls_isset(o, OPT_CAFILE) ? o->cafile : o->capath,
			    tls_err_reason("cannot load trust anchors"));
			return EXIT_RUNTIME;
		}
	} else if (!server)
		SSL_CTX_set_default_verify_paths(ctx);

	/*
	 * Clients verify by default; a listener asks for client certificates
	 * only when given trust anchors (SPEC section 5).
	 */
	if (server) {
		mode = SSL_VERIFY_NONE;
		if (tls_isset(o, OPT_CAFILE) || tls_isset(o, OPT_CAPATH))
			mode = SSL_VERIFY_PEER |
			    SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
		if (tls_isset(o, OPT_VERIFY) && !o->verify)
			mode = SSL_VERIFY_NONE;
	} else {
		mode = SSL_VERIFY_PEER;
		if (tls_isset(o, OPT_VERIFY) && !o->verify)
			mode = SSL_VERIFY_NONE;
	}
	SSL_CTX_set_verify(ctx, mode, NULL);

	if (tls_isset(o, OPT_ALPN) && !t->dtls) {
		if (tls_alpn_wire(o->alpn, &t->alpn, &t->alpn_len) == -1) {
			warnx("%s: alpn %s: empty or over-long protocol name",
			    a->text, o->alpn);
			return EXIT_USAGE;
		}
		if (server)
			SSL_CTX_set_alpn_select_cb(ctx, tls_alpn_select, t);
		else if (SSL_CTX_set_alpn_protos(ctx, t->alpn,
		    (unsigned int)t->alpn_len) != 0) {
			warnx("%s: alpn %s: %s", a->text, o->alpn,
			    tls_err_reason("rejected"));
			return EXIT_USAGE;
		}
	}
	return 0;
}

/*
 * Client only: SNI and the name the certificate must carry. sni= wins;
 * else `host` (the target's HOST) when it is a name; commonname= is
 * checked instead of either (socat's openssl-commonname). An IP literal
 * is checked against the certificate's IP addresses (RFC 6125; RFC 6066
 * forbids it in SNI).
 * Returns 0 or an EXIT_* status.
 */
static int
tls_client_names(const struct addr *a, const char *host, SSL *ssl,
    int verify)
{
	char		 buf[NI_MAXHOST];
	size_t		 len;

	/* The parser normally strips [v6] brackets; be safe if it did not. */
	len = strlen(host);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']' &&
	    len - 2 < sizeof(buf)) {
		memcpy(buf, host + 1, len - 2);
		buf[len - 2] = '\0';
		host = buf;
	}
	if (tls_isset(&a->opts, OPT_SNI))
		host = a->opts.sni;

	if (!tls_is_ip(host) &&
	    SSL_set_tlsext_host_name(ssl, host) != 1) {
		warnx("%s: sni %s: %s", a->text, host,
		    tls_err_reason("invalid server name"));
		return EXIT_USAGE;
	}
	if (!verify)
		return 0;
	/* commonname= is the name to check, whatever is sent (socat). */
	if (tls_isset(&a->opts, OPT_COMMONNAME))
		host = a->opts.commonname;
	if (tls_is_ip(host)) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
		    host) != 1) {
			warnx("%s: %s: %s", a->text, host,
			    tls_err_reason("bad IP address"));
			return EXIT_USAGE;
		}
	} else {
		SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (SSL_set1_host(ssl, host) != 1) {
			warnx("%s: %s: %s", a->text, host,
			    tls_err_reason("bad host name"));
			return EXIT_USAGE;
		}
	}
	return 0;
}

/*
 * Why the handshake failed, in OpenSSL's words: the verification result
 * for certificate problems, else the first queued error, else the system
 * error, else an unexpected end of the connection.
 */
static void
tls_handshake_reason(SSL *ssl, int sslerr, int saved_errno, char *buf,
    size_t len)
{
	unsigned long	 e;
	long		 vr;
	const char	*s;

	vr = SSL_get_verify_result(ssl);
	e = ERR_peek_error();
	/* With verify=0 a bad chain is recorded but is not the reason. */
	if (vr != X509_V_OK && SSL_get_verify_mode(ssl) != SSL_VERIFY_NONE &&
	    (e == 0 || ERR_GET_REASON(e) == SSL_R_CERTIFICATE_VERIFY_FAILED)) {
		snprintf(buf, len, "certificate verify failed: %s",
		    X509_verify_cert_error_string(vr));
		return;
	}
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
	if (e != 0 && ERR_GET_LIB(e) == ERR_LIB_SSL &&
	    ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		snprintf(buf, len, "peer closed the connection");
		return;
	}
#endif
	if (e != 0 && (s = ERR_reason_error_string(e)) != NULL) {
		snprintf(buf, len, "%s", s);
		return;
	}
	if (sslerr == SSL_ERROR_SYSCALL && saved_errno != 0) {
		snprintf(buf, len, "%s", strerror(saved_errno));
		return;
	}
	snprintf(buf, len, "peer closed the connection");
}

/*
 * A BIO over the layer below the TLS layer, for TLS that does not sit
 * on a plain socket (over an HTTPS proxy's tunnel, over another TLS
 * layer): reads and writes go through the lower layer's ep_ops, whose
 * want codes become BIO retries. The BIO's data is the TLS layer's
 * endpoint, set before every OpenSSL call (tls_bind), since the struct
 * may move when a layer is pushed on top of it.
 */
static BIO_METHOD	*tls_bio_method;

/* Point t's BIO (if any) at the endpoint ep of the TLS layer. */
static void
tls_bind(struct tls_state *t, struct endpoint *ep)
{
	if (t->bio != NULL)
		BIO_set_data(t->bio, ep);
}

/* BIO read: the lower layer's read; EP_WANT_* become retries. */
static int
tls_bio_read(BIO *b, char *buf, int len)
{
	struct endpoint	*ep = BIO_get_data(b);
	ssize_t		 n;

	BIO_clear_retry_flags(b);
	n = ep->below->ops->read(ep->below, buf, (size_t)len);
	if (n >= 0)
		return (int)n;
	if (n == EP_WANT_READ)
		BIO_set_retry_read(b);
	else if (n == EP_WANT_WRITE)
		BIO_set_flags(b, BIO_FLAGS_WRITE | BIO_FLAGS_SHOULD_RETRY);
	else {
		/* The lower layer's reason, for tls_fail(). */
		memcpy(ep->errmsg, ep->below->errmsg, sizeof(ep->errmsg));
		if (errno == 0)
			errno = EPROTO;
	}
	return -1;
}

/* BIO write: the lower layer's write; EP_WANT_* become retries. */
static int
tls_bio_write(BIO *b, const char *buf, int len)
{
	struct endpoint	*ep = BIO_get_data(b);
	ssize_t		 n;

	BIO_clear_retry_flags(b);
	n = ep->below->ops->write(ep->below, buf, (size_t)len);
	if (n >= 0)
		return (int)n;
	if (n == EP_WANT_WRITE)
		BIO_set_retry_write(b);
	else if (n == EP_WANT_READ)
		BIO_set_flags(b, BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY);
	else {
		memcpy(ep->errmsg, ep->below->errmsg, sizeof(ep->errmsg));
		if (errno == 0)
			errno = EPIPE;
	}
	return -1;
}

/* BIO control: flush is a no-op (the layer below sends at once). */
static long
tls_bio_ctrl(BIO *b __unused, int cmd, long num __unused, void *ptr __unused)
{
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

/* BIO create: nothing of its own to set up. */
static int
tls_bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/*
 * Connect the SSL to what is below it, now that that is ready: the socket
 * itself when it is a plain one (OpenSSL's own socket BIO, the fast path),
 * else a BIO over the layer below. Returns 0, or -1 (OpenSSL error queued).
 */
static int
tls_wire(struct endpoint *ep, struct tls_state *t)
{
	struct endpoint	*below = ep->below;

	t->wired = 1;
	if ((below->flags & EP_PLAIN) && below->below == NULL)
		return SSL_set_fd(t->ssl, below->rfd) == 1 ? 0 : -1;
	if ((t->bio = BIO_new(tls_bio_method)) == NULL)
		return -1;
	/* The SSL owns the BIO from here (both directions). */
	SSL_set_bio(t->ssl, t->bio, t->bio);
	return 0;
}

/*
 * One step of the handshake (the layer's handshake op): 0 when done,
 * EP_WANT_READ/EP_WANT_WRITE, or EP_ERROR with "TLS handshake: reason" in
 * ep->errmsg and EXIT_TLS in ep->errexit.
 */
static int
tls_handshake_step(struct endpoint *ep)
{
	struct tls_state	*t = ep->ctx;
	char			 reason[200];
	int			 r, e, saved;

	if (!t->wired && tls_wire(ep, t) == -1) {
		snprintf(ep->errmsg, sizeof(ep->errmsg), "TLS: %s",
		    tls_err_reason("cannot set up the connection"));
		ERR_clear_error();
		ep->errexit = EXIT_RUNTIME;
		return EP_ERROR;
	}
	tls_bind(t, ep);
	ERR_clear_error();
	errno = 0;
	if ((r = SSL_do_handshake(t->ssl)) == 1) {
		tls_log_session(ep, t->ssl);
		return 0;
	}
	saved = errno;
	e = SSL_get_error(t->ssl, r);
	if (e == SSL_ERROR_WANT_READ)
		return EP_WANT_READ;
	if (e == SSL_ERROR_WANT_WRITE)
		return EP_WANT_WRITE;
	if (t->bio != NULL && e == SSL_ERROR_SYSCALL && ep->errmsg[0] != '\0')
		snprintf(reason, sizeof(reason), "%.*s",
		    (int)sizeof(reason) - 1, ep->errmsg);
	else
		tls_handshake_reason(t->ssl, e, saved, reason,
		    sizeof(reason));
	snprintf(ep->errmsg, sizeof(ep->errmsg), "TLS handshake: %s", reason);
	ERR_clear_error();
	ep->errexit = EXIT_TLS;
	return EP_ERROR;
}

/* Log the outcome of a handshake: one line at -v, the peer at -vv. */
static void
tls_log_session(const struct endpoint *ep, SSL *ssl)
{
	const unsigned char	*alpn;
	unsigned int		 alpnlen;
	X509			*peer;
	char			 subj[256];

	if (bin->cfg->verbose < 1)
		return;
	SSL_get0_alpn_selected(ssl, &alpn, &alpnlen);
	if (alpnlen > 0)
		bin->log_verbose(1, "TLS established: %s, %s, ALPN %.*s",
		    SSL_get_version(ssl), SSL_get_cipher_name(ssl),
		    (int)alpnlen, (const char *)alpn);
	else
		bin->log_verbose(1, "TLS established: %s, %s",
		    SSL_get_version(ssl), SSL_get_cipher_name(ssl));
	if (bin->cfg->verbose < 2)
		return;
	if ((peer = SSL_get1_peer_certificate(ssl)) == NULL) {
		bin->log_verbose(2, "%s: TLS peer sent no certificate",
		    ep->name);
		return;
	}
	X509_NAME_oneline(X509_get_subject_name(peer), subj, sizeof(subj));
	bin->log_verbose(2, "%s: TLS peer certificate %s (verify: %s)",
	    ep->name, subj,
	    X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
	X509_free(peer);
}

static void
tls_state_free(struct tls_state *t)
{
	SSL_free(t->ssl);
	SSL_CTX_free(t->ctx);
	free(t->alpn);
	free(t);
}

/*
 * Put a TLS layer on the stream endpoint ep (TLS_MODULE's attach): build
 * the context from the options of `a` (cert, key, cafile, capath, verify,
 * sni, alpn, min-version, ciphers) for a client (server == 0) that checks
 * the name `host` (NULL: HOST, a->params[0]; sni= wins), or for a server
 * (server == 1), and push the layer whose handshake op then runs the
 * handshake, non-blocking, when layer_handshake() gets to it. Over a
 * plain socket OpenSSL uses the descriptor itself; over another layer (a
 * proxy tunnel, TLS to an HTTPS proxy) it goes through a BIO over that
 * layer. The handshake is bounded by connect-timeout= (the caller's
 * deadline) when given, else by the layer's own deadline: 60 s on clients,
 * 30 s on servers.
 *
 * Returns 0; else prints one line naming the address and the reason and
 * returns EXIT_RUNTIME (cert/key/CA file unusable) or EXIT_USAGE (bad
 * option value), leaving ep as it was. A failed handshake later is
 * EXIT_TLS with "TLS handshake: reason" (see tls_handshake_step()).
 *
 * Behaviour after nc's tls_setup_client()/tls_setup_server() and socat's
 * OPENSSL addresses; name checks are OpenSSL's X509_VERIFY_PARAM host/IP
 * checks (RFC 6125). tls_attach() in the binary calls it.
 */
static int
tls_mod_attach(struct endpoint *ep, const struct addr *a, const char *host,
    int server)
{
	struct tls_state	*t;
	int			 r, verify;

	t = bin->xcalloc(1, sizeof(*t));
	t->server = server;
	if ((r = tls_ctx_new(a, server, t)) != 0)
		goto fail;

	verify = !(tls_isset(&a->opts, OPT_VERIFY) && !a->opts.verify);
	if (!verify && (!server || tls_isset(&a->opts, OPT_CAFILE) ||
	    tls_isset(&a->opts, OPT_CAPATH)))
		warnx("%s: certificate verification disabled (verify=0)",
		    a->text);

	if ((t->ssl = SSL_new(t->ctx)) == NULL) {
		warnx("%s: SSL_new: %s", a->text, tls_err_reason("failed"));
		r = EXIT_RUNTIME;
		goto fail;
	}
	SSL_set_msg_callback(t->ssl, tls_msg_cb);
	SSL_set_msg_callback_arg(t->ssl, t);
	if (server) {
		SSL_set_accept_state(t->ssl);
		/* commonname=: the client's certificate must carry it. */
		if (tls_isset(&a->opts, OPT_COMMONNAME) &&
		    SSL_set1_host(t->ssl, a->opts.commonname) != 1) {
			warnx("%s: commonname %s: %s", a->text,
			    a->opts.commonname, tls_err_reason("bad name"));
			r = EXIT_USAGE;
			goto fail;
		}
	} else {
		SSL_set_connect_state(t->ssl);
		if ((r = tls_client_names(a, host != NULL ? host :
		    a->params[0], t->ssl, verify)) != 0)
			goto fail;
	}

	bin->layer_push(ep, &tls_ops, t);
	/* A failure of this layer, from the handshake on, is a TLS one. */
	ep->errexit = EXIT_TLS;
	if (!tls_isset(&a->opts, OPT_CONNECT_TIMEOUT))
		ep->deadline = bin->now_ms() + (server ?
		    TLS_SERVER_TIMEOUT_MS : TLS_CLIENT_TIMEOUT_MS);
	return 0;

fail:
	ERR_clear_error();
	tls_state_free(t);
	return r;
}

/*
 * Fill ep->errmsg from the OpenSSL error queue and set errno for an
 * EP_ERROR return.
 */
static ssize_t
tls_fail(struct endpoint *ep, struct tls_state *t, int saved_errno)
{
	t->fatal = 1;
	/* A system error (ECONNRESET, EPIPE) speaks for itself via errno. */
	if (saved_errno != 0 && ERR_peek_error() == 0)
		ep->errmsg[0] = '\0';
	else
		snprintf(ep->errmsg, sizeof(ep->errmsg), "TLS: %s",
		    tls_err_reason("protocol error"));
	ERR_clear_error();
	errno = saved_errno != 0 ? saved_errno : EPROTO;
	return EP_ERROR;
}

/*
 * End of input without close_notify: report it, and treat it as EOF.
 * `fatal` says OpenSSL gave up on the connection, so no close_notify can
 * follow.
 */
static ssize_t
tls_truncated(struct endpoint *ep, struct tls_state *t, int fatal)
{
	if (fatal)
		t->fatal = 1;
	ERR_clear_error();
	/* Said once, however often the relay reads the EOF again. */
	if (!t->truncated)
		bin->log_verbose(1, "%s: peer closed without close_notify "
		    "(truncation)", ep->name);
	t->truncated = 1;
	return 0;
}

/* Retry sending a close_notify that found the socket full. */
static void
tls_flush_shutdown(struct endpoint *ep, struct tls_state *t)
{
	int	 r;

	tls_bind(t, ep);
	ERR_clear_error();
	r = SSL_shutdown(t->ssl);
	if (r < 0 && SSL_get_error(t->ssl, r) == SSL_ERROR_WANT_WRITE) {
		ERR_clear_error();
		return;
	}
	ERR_clear_error();
	t->shut_pending = 0;
	ep->below->ops->shutdown_wr(ep->below);
}

/* Keep `result` (0 or EP_ERROR, errno as set now) for the next call. */
static void
tls_later_keep(struct tls_later *l, ssize_t result)
{
	l->set = 1;
	l->result = result;
	l->error = errno;
}

/* Return a kept result, with its errno. */
static ssize_t
tls_later_take(struct tls_later *l)
{
	l->set = 0;
	errno = l->error;
	return l->result;
}

/*
 * Turn a failed SSL_read_ex into the result of tls_read: 0 (end of input,
 * maybe truncated), EP_WANT_* or EP_ERROR with errno and ep->errmsg set.
 */
static ssize_t
tls_read_result(struct endpoint *ep, struct tls_state *t, int e, int saved)
{
	unsigned long	 ee;

	switch (e) {
	case SSL_ERROR_ZERO_RETURN:
		/* close_notify: the peer's half-close. */
		if (!t->got_notify)
			return tls_truncated(ep, t, 0);
		return 0;
	case SSL_ERROR_WANT_READ:
		t->starved = 1;
		return EP_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return EP_WANT_WRITE;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_error() == 0 && saved == 0)
			return tls_truncated(ep, t, 1);
		return tls_fail(ep, t, saved);
	case SSL_ERROR_SSL:
		ee = ERR_peek_error();
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
		if (ERR_GET_LIB(ee) == ERR_LIB_SSL &&
		    ERR_GET_REASON(ee) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return tls_truncated(ep, t, 1);
#endif
		return tls_fail(ep, t, 0);
	default:
		return tls_fail(ep, t, saved);
	}
}

/*
 * Read: decrypt every record OpenSSL already holds (read-ahead buffers
 * several), up to len bytes, so one call moves as much as one read(2)
 * brought in. An end of input or an error met after some data is kept
 * for the next call, which returns it.
 */
static ssize_t
tls_read(struct endpoint *ep, void *buf, size_t len)
{
	struct tls_state	*t = ep->ctx;
	unsigned char		*p = buf;
	size_t			 n, total;
	ssize_t			 r;
	int			 saved;

	if (t->rd.set)
		return tls_later_take(&t->rd);
	tls_bind(t, ep);
	if (t->shut_pending)
		tls_flush_shutdown(ep, t);
	t->starved = 0;
	for (total = 0;;) {
		ERR_clear_error();
		errno = 0;
		if (SSL_read_ex(t->ssl, p + total, len - total, &n) == 1) {
			total += n;
			/* Stop before OpenSSL would have to read(2) again. */
			if (total == len || !SSL_has_pending(t->ssl))
				return (ssize_t)total;
			continue;
		}
		saved = errno;
		r = tls_read_result(ep, t, SSL_get_error(t->ssl, 0), saved);
		if (total == 0)
			return r;
		/* Deliver the data first, then the EOF or error. */
		if (r == 0 || r == EP_ERROR)
			tls_later_keep(&t->rd, r);
		return (ssize_t)total;
	}
}

/*
 * Write: as many 16 KiB records as the socket takes (with
 * SSL_MODE_ENABLE_PARTIAL_WRITE each SSL_write_ex sends one), so a full
 * relay buffer needs no poll between records. A want or an error after
 * some records is left for the next call, which retries from there.
 */
static ssize_t
tls_write(struct endpoint *ep, const void *buf, size_t len)
{
	struct tls_state	*t = ep->ctx;
	const unsigned char	*p = buf;
	size_t			 n, total;
	ssize_t			 r;
	int			 saved;

	if (t->wr.set)
		return tls_later_take(&t->wr);
	tls_bind(t, ep);
	for (total = 0; total < len; total += n) {
		ERR_clear_error();
		errno = 0;
		if (SSL_write_ex(t->ssl, p + total, len - total, &n) == 1)
			continue;
		saved = errno;
		switch (SSL_get_error(t->ssl, 0)) {
		case SSL_ERROR_WANT_READ:
			r = EP_WANT_READ;
			break;
		case SSL_ERROR_WANT_WRITE:
			r = EP_WANT_WRITE;
			break;
		case SSL_ERROR_SYSCALL:
			/* A peer that went away without a word: EPIPE. */
			r = tls_fail(ep, t, saved != 0 ? saved : EPIPE);
			break;
		default:
			r = tls_fail(ep, t, 0);
			break;
		}
		if (total == 0)
			return r;
		if (r == EP_ERROR)
			tls_later_keep(&t->wr, r);
		break;
	}
	return (ssize_t)total;
}

/*
 * Half-close: send close_notify, then shut the socket for writing. The
 * peer's close_notify is not awaited: the other direction keeps flowing.
 * When the socket is full the alert stays queued in OpenSSL and is sent
 * from a later read, pending or close call, followed by SHUT_WR.
 */
static int
tls_shutdown_wr(struct endpoint *ep)
{
	struct tls_state	*t = ep->ctx;
	int			 r;

	if (t->shut)
		return 0;
	t->shut = 1;
	if (t->fatal)
		return ep->below->ops->shutdown_wr(ep->below);
	tls_bind(t, ep);
	ERR_clear_error();
	r = SSL_shutdown(t->ssl);
	if (r < 0 && SSL_get_error(t->ssl, r) == SSL_ERROR_WANT_WRITE) {
		ERR_clear_error();
		t->shut_pending = 1;
		return 0;
	}
	ERR_clear_error();
	return ep->below->ops->shutdown_wr(ep->below);
}

static size_t
tls_pending(struct endpoint *ep)
{
	struct tls_state	*t = ep->ctx;
	int			 n;

	tls_bind(t, ep);
	if (t->shut_pending)
		tls_flush_shutdown(ep, t);
	/* An EOF or error kept behind data, or a close_notify processed. */
	if (t->rd.set || (SSL_get_shutdown(t->ssl) & SSL_RECEIVED_SHUTDOWN))
		return 1;
	if ((n = SSL_pending(t->ssl)) > 0)
		return (size_t)n;
	/*
	 * Read-ahead: ciphertext OpenSSL already took from the socket (the
	 * next records, or a close_notify) would never wake poll. Unless the
	 * last read found it too short for a whole record.
	 */
	if (!t->starved && SSL_has_pending(t->ssl))
		return 1;
	return 0;
}

/* bin->ep_linger() hook: flush a queued close_notify; 1 while it waits. */
static int
tls_linger_flush(void *arg)
{
	struct endpoint		*ep = arg;
	struct tls_state	*t = ep->ctx;

	if (t->shut_pending)
		tls_flush_shutdown(ep, t);
	return t->shut_pending;
}

/*
 * Close the layer and every layer below it. After our close_notify, a
 * socket right below lingers (bin->ep_linger) so the alert is flushed and
 * unread input cannot turn the close into a reset; a failed session just
 * closes.
 */
static void
tls_close(struct endpoint *ep)
{
	struct tls_state	*t = ep->ctx;
	struct endpoint		*below = ep->below;
	int			 saved = errno;

	if (t->shut && !t->fatal && below->below == NULL &&
	    (below->flags & EP_SOCKET)) {
		bin->ep_linger(below->rfd, tls_linger_flush, ep);
		below->wr_shut = 0;	/* done: no second linger */
	}
	tls_state_free(t);
	ep->ctx = NULL;
	bin->layer_close_below(ep);
	errno = saved;
}

/*
 * For dtls.c: the SSL_CTX of address a as tls_ctx_new() builds it (cert,
 * key, trust anchors, verify, ciphers, compress), for DTLS 1.2: client
 * (server == 0) or server. Returns 0 with *ctxp set, or an EXIT_* status
 * after the message.
 */
int
tls_dtls_ctx(const struct addr *a, int server, SSL_CTX **ctxp)
{
	struct tls_state	*t;
	int			 r;

	t = bin->xcalloc(1, sizeof(*t));
	t->dtls = 1;
	r = tls_ctx_new(a, server, t);
	*ctxp = NULL;
	if (r == 0) {
		*ctxp = t->ctx;
		t->ctx = NULL;
	}
	tls_state_free(t);
	return r;
}

/* For dtls.c: tls_client_names(): SNI and the name to check. */
int
tls_dtls_names(const struct addr *a, const char *host, SSL *ssl, int verify)
{
	return tls_client_names(a, host, ssl, verify);
}

/* For dtls.c: why a handshake failed (tls_handshake_reason()). */
void
tls_dtls_reason(SSL *ssl, int sslerr, int saved_errno, char *buf, size_t len)
{
	tls_handshake_reason(ssl, sslerr, saved_errno, buf, len);
}

/* For dtls.c: the binary's helpers. */
const struct tls_host *
tls_dtls_host(void)
{
	return bin;
}

/* The OpenSSL version string for -V, e.g. "OpenSSL 3.0.19 27 Jan 2026". */
static const char *
tls_mod_version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

/*
 * SHA-1 for the WebSocket handshake (RFC 6455 section 4.2.2). The
 * low-level calls, deprecated in OpenSSL 3 but kept there: EVP_Digest()
 * would set up the provider machinery first, 2 MiB more of RSS in every
 * WebSocket server (measured), for 60 bytes hashed once.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static int
tls_sha1(const void *p, size_t len, unsigned char *md)
{
	SHA_CTX	c;

	if (SHA1_Init(&c) != 1 || SHA1_Update(&c, p, len) != 1 ||
	    SHA1_Final(md, &c) != 1)
		return -1;
	return 0;
}
#pragma GCC diagnostic pop

/* Base64 (RFC 4648) for the WebSocket handshake: EVP_EncodeBlock. */
static size_t
tls_base64(const void *p, size_t len, char *out)
{
	return (size_t)EVP_EncodeBlock((unsigned char *)out, p, (int)len);
}

/* Random bytes for WebSocket keys and masks (RFC 6455 section 5.3). */
static int
tls_random(void *p, size_t len)
{
	return RAND_bytes(p, (int)len) == 1 ? 0 : -1;
}

static const struct tls_crypto tls_crypto_ops = {
	.sha1 = tls_sha1,
	.base64 = tls_base64,
	.random = tls_random,
};

/* Take the binary's helpers: all the module needs before its first use. */
static void
tls_mod_init(const struct tls_host *h)
{
	bin = h;
}

/*
 * Initialise OpenSSL for TLS (its configuration file, error strings, our
 * BIO method) once, before the first TLS address, so each child of a
 * fork listener starts from there instead of doing it per connection.
 * A WebSocket address without TLS never calls it: its SHA-1 and base64
 * need none of it.
 */
static void
tls_mod_ssl_init(void)
{
	if (tls_bio_method != NULL)
		return;
	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG, NULL);
	tls_bio_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
	    "sockcat layer");
	if (tls_bio_method != NULL) {
		BIO_meth_set_read(tls_bio_method, tls_bio_read);
		BIO_meth_set_write(tls_bio_method, tls_bio_write);
		BIO_meth_set_ctrl(tls_bio_method, tls_bio_ctrl);
		BIO_meth_set_create(tls_bio_method, tls_bio_create);
	}
}

/*
 * The module's entry point, found by tls-load.c with dlsym(3) under
 * TLS_MODULE_SYMBOL: its ABI tag and its functions. The only symbol the
 * module exports (it is built with -fvisibility=hidden).
 */
__attribute__((__visibility__("default")))
const struct tls_module sockcat_tls_module = {
	.abi = TLS_MODULE_ABI,
	.init = tls_mod_init,
	.ssl_init = tls_mod_ssl_init,
	.attach = tls_mod_attach,
	.version = tls_mod_version,
	.crypto = &tls_crypto_ops,
	.dtls_attach = dtls_mod_attach,
};
