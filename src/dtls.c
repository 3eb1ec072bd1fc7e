/* dtls.c: the DTLS layer (OpenSSL DTLS 1.2), built into sockcat-tls.so. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/time.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "sockcat.h"

/*
 * socat's OPENSSL-DTLS-CLIENT and -SERVER: DTLS 1.2 records in UDP
 * datagrams, as a layer on the datagram endpoint of the UDP socket (a
 * connected udp client, or the socket a datagram listener connected to
 * its first peer), done as tls.c does TLS: the context from the same
 * options (tls_dtls_ctx), the handshake one non-blocking step at a time,
 * through a BIO over the layer below, each BIO read or write one datagram.
 * The handshake's retransmissions are timed by ep->wake_at.
 */

/* The largest record payload we let OpenSSL build, bytes: fits 1500. */
#define DTLS_MTU		1400
/* Bytes of IPv4 and UDP headers around a datagram, for OpenSSL. */
#define DTLS_OVERHEAD		28
/* Handshake deadlines without connect-timeout=, ms (as tls.c). */
#define DTLS_SERVER_TIMEOUT_MS	30000
#define DTLS_CLIENT_TIMEOUT_MS	60000

/* Per-endpoint DTLS state, in ep->ctx. */
struct dtls_state {
	SSL_CTX		*ctx;
	SSL		*ssl;
	int		 fatal;		/* no close_notify at the end */
	int		 shut;		/* close_notify sent */
	int		 io_errno;	/* errno of the last datagram error */
};

static int	dtls_handshake_step(struct endpoint *);
static ssize_t	dtls_read(struct endpoint *, void *, size_t);
static ssize_t	dtls_write(struct endpoint *, const void *, size_t);
static int	dtls_shutdown_wr(struct endpoint *);
static size_t	dtls_pending(struct endpoint *);
static void	dtls_close(struct endpoint *);

static const struct ep_ops dtls_ops = {
	.name = "DTLS handshake",
	.handshake = dtls_handshake_step,
	.read = dtls_read,
	.write = dtls_write,
	.shutdown_wr = dtls_shutdown_wr,
	.pending = dtls_pending,
	.close = dtls_close,
};

/* The datagram BIO over the layer below, made once. */
static BIO_METHOD	*dtls_bio_method;

/* BIO read: one datagram from the layer below, or a retry. */
static int
dtls_bio_read(BIO *b, char *buf, int len)
{
	struct endpoint	*ep = BIO_get_data(b);
	ssize_t		 n;

	BIO_clear_retry_flags(b);
	n = ep->below->ops->read(ep->below, buf, (size_t)len);
	if (n > 0)
		return (int)n;
	if (n == 0 || n == EP_WANT_READ || n == EP_WANT_WRITE) {
		/* An empty datagram carries no record: nothing yet. */
		BIO_set_retry_read(b);
		return -1;
	}
	((struct dtls_state *)ep->ctx)->io_errno = errno;
	memcpy(ep->errmsg, ep->below->errmsg, sizeof(ep->errmsg));
	return -1;
}

/* BIO write: one datagram to the layer below, or a retry. */
static int
dtls_bio_write(BIO *b, const char *buf, int len)
{
	struct endpoint	*ep = BIO_get_data(b);
	ssize_t		 n;

	BIO_clear_retry_flags(b);
	n = ep->below->ops->write(ep->below, buf, (size_t)len);
	if (n >= 0)
		return (int)n;
	if (n == EP_WANT_WRITE || n == EP_WANT_READ) {
		BIO_set_retry_write(b);
		return -1;
	}
	((struct dtls_state *)ep->ctx)->io_errno = errno;
	memcpy(ep->errmsg, ep->below->errmsg, sizeof(ep->errmsg));
	return -1;
}

/*
 * BIO control: what OpenSSL's DTLS asks of a datagram BIO. The MTU is
 * fixed (SSL_set_mtu), timers are ours (DTLSv1_get_timeout), a flush is
 * a no-op.
 */
static long
dtls_bio_ctrl(BIO *b __unused, int cmd, long num __unused,
    void *ptr __unused)
{
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
		return DTLS_OVERHEAD;
	default:
		return 0;
	}
}

/* BIO create: nothing of its own to set up. */
static int
dtls_bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/* Point the SSL's BIO at the endpoint ep of the DTLS layer. */
static void
dtls_bind(struct dtls_state *d, struct endpoint *ep)
{
	BIO_set_data(SSL_get_rbio(d->ssl), ep);
}

/* Set ep->wake_at to the next retransmission of the handshake, if any. */
static void
dtls_timer(struct endpoint *ep, struct dtls_state *d)
{
	struct timeval	tv;

	if (DTLSv1_get_timeout(d->ssl, &tv) == 1)
		ep->wake_at = tls_dtls_host()->now_ms() +
		    (long)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
	else
		ep->wake_at = -1;
}

/*
 * One step of the handshake: 0 when done, EP_WANT_READ (with ep->wake_at
 * set to the next retransmission), EP_WANT_WRITE, or EP_ERROR with "DTLS
 * handshake: reason" in ep->errmsg and EXIT_TLS in ep->errexit (nobody
 * there, as a refusing or unreachable port: EXIT_CONNECT).
 */
static int
dtls_handshake_step(struct endpoint *ep)
{
	struct dtls_state	*d = ep->ctx;
	char			 reason[200];
	int			 r, e, saved;

	dtls_bind(d, ep);
	/* A lost flight: send it again when its timer ran out. */
	if (ep->wake_at != -1 && tls_dtls_host()->now_ms() >= ep->wake_at)
		DTLSv1_handle_timeout(d->ssl);
	ERR_clear_error();
	errno = 0;
	if ((r = SSL_do_handshake(d->ssl)) == 1) {
		ep->wake_at = -1;
		tls_dtls_host()->log_verbose(1, "DTLS established: %s, %s",
		    SSL_get_version(d->ssl), SSL_get_cipher_name(d->ssl));
		return 0;
	}
	saved = errno;
	e = SSL_get_error(d->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		dtls_timer(ep, d);
		return e == SSL_ERROR_WANT_READ ? EP_WANT_READ :
		    EP_WANT_WRITE;
	}
	tls_dtls_reason(d->ssl, e, saved, reason, sizeof(reason));
	snprintf(ep->errmsg, sizeof(ep->errmsg), "DTLS handshake: %s",
	    reason);
	ERR_clear_error();
	d->fatal = 1;
	ep->errexit = (d->io_errno == ECONNREFUSED ||
	    d->io_errno == EHOSTUNREACH || d->io_errno == ENETUNREACH) ?
	    EXIT_CONNECT : EXIT_TLS;
	return EP_ERROR;
}

/*
 * Read one record's data. The peer's close_notify is the end of input.
 * Returns bytes, 0, EP_WANT_READ, or EP_ERROR with ep->errmsg set.
 */
static ssize_t
dtls_read(struct endpoint *ep, void *buf, size_t len)
{
	struct dtls_state	*d = ep->ctx;
	size_t			 n;
	int			 e;

	dtls_bind(d, ep);
	ERR_clear_error();
	if (SSL_read_ex(d->ssl, buf, len, &n) == 1)
		return (ssize_t)n;
	e = SSL_get_error(d->ssl, 0);
	switch (e) {
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_WANT_READ:
		return EP_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return EP_WANT_WRITE;
	default:
		d->fatal = 1;
		snprintf(ep->errmsg, sizeof(ep->errmsg), "DTLS: %s",
		    ERR_peek_error() != 0 ? ERR_reason_error_string(
		    ERR_peek_error()) : "protocol error");
		ERR_clear_error();
		errno = EPROTO;
		return EP_ERROR;
	}
}

/* Write len bytes as one record (a datagram). */
static ssize_t
dtls_write(struct endpoint *ep, const void *buf, size_t len)
{
	struct dtls_state	*d = ep->ctx;
	size_t			 n;
	int			 e;

	dtls_bind(d, ep);
	ERR_clear_error();
	if (SSL_write_ex(d->ssl, buf, len, &n) == 1)
		return (ssize_t)n;
	e = SSL_get_error(d->ssl, 0);
	if (e == SSL_ERROR_WANT_WRITE)
		return EP_WANT_WRITE;
	if (e == SSL_ERROR_WANT_READ)
		return EP_WANT_READ;
	d->fatal = 1;
	snprintf(ep->errmsg, sizeof(ep->errmsg), "DTLS: %s",
	    ERR_peek_error() != 0 ? ERR_reason_error_string(
	    ERR_peek_error()) : "cannot send");
	ERR_clear_error();
	errno = EPROTO;
	return EP_ERROR;
}

/* The half-close: a close_notify alert. Returns 0. */
static int
dtls_shutdown_wr(struct endpoint *ep)
{
	struct dtls_state	*d = ep->ctx;

	ep->wr_shut = 1;
	if (d->shut || d->fatal)
		return 0;
	d->shut = 1;
	dtls_bind(d, ep);
	ERR_clear_error();
	SSL_shutdown(d->ssl);
	ERR_clear_error();
	return 0;
}

/* Decrypted bytes OpenSSL holds. */
static size_t
dtls_pending(struct endpoint *ep)
{
	struct dtls_state	*d = ep->ctx;
	int			 n;

	if ((n = SSL_pending(d->ssl)) > 0)
		return (size_t)n;
	return 0;
}

/* Say goodbye (close_notify) unless done or failed, free, close below. */
static void
dtls_close(struct endpoint *ep)
{
	struct dtls_state	*d = ep->ctx;
	int			 saved = errno;

	if (ep->ready && !d->shut && !d->fatal)
		dtls_shutdown_wr(ep);
	SSL_free(d->ssl);
	SSL_CTX_free(d->ctx);
	free(d);
	ep->ctx = NULL;
	tls_dtls_host()->layer_close_below(ep);
	errno = saved;
}

/*
 * Put a DTLS layer on the datagram endpoint ep of address a (the
 * module's dtls_attach): client (server == 0), which checks HOST
 * (commonname=, sni= as for tls), or server. The handshake runs later as
 * the layer's handshake op. The layer has an end of input (close_notify),
 * so the endpoint is no longer "connectionless". Returns 0, or an EXIT_*
 * status after one line naming the address and the reason.
 */
int
dtls_mod_attach(struct endpoint *ep, const struct addr *a, int server)
{
	const struct tls_host	*bin = tls_dtls_host();
	struct dtls_state	*d;
	BIO			*b;
	int			 r, verify;

	if (dtls_bio_method == NULL) {
		dtls_bio_method = BIO_meth_new(BIO_get_new_index() |
		    BIO_TYPE_SOURCE_SINK, "sockcat datagram layer");
		if (dtls_bio_method == NULL) {
			warnx("%s: BIO_meth_new: failed", a->text);
			return EXIT_RUNTIME;
		}
		BIO_meth_set_read(dtls_bio_method, dtls_bio_read);
		BIO_meth_set_write(dtls_bio_method, dtls_bio_write);
		BIO_meth_set_ctrl(dtls_bio_method, dtls_bio_ctrl);
		BIO_meth_set_create(dtls_bio_method, dtls_bio_create);
	}
	d = bin->xcalloc(1, sizeof(*d));
	if ((r = tls_dtls_ctx(a, server, &d->ctx)) != 0)
		goto fail;
	verify = !(bin->opts_isset(&a->opts, OPT_VERIFY) && !a->opts.verify);
	if (!verify && !server)
		warnx("%s: certificate verification disabled (verify=0)",
		    a->text);
	if ((d->ssl = SSL_new(d->ctx)) == NULL ||
	    (b = BIO_new(dtls_bio_method)) == NULL) {
		warnx("%s: SSL_new: failed", a->text);
		r = EXIT_RUNTIME;
		goto fail;
	}
	SSL_set_bio(d->ssl, b, b);
	SSL_set_options(d->ssl, SSL_OP_NO_QUERY_MTU);
	SSL_set_mtu(d->ssl, DTLS_MTU);
	if (server)
		SSL_set_accept_state(d->ssl);
	else {
		SSL_set_connect_state(d->ssl);
		if ((r = tls_dtls_names(a, a->params[0], d->ssl, verify)) != 0)
			goto fail;
	}
	bin->layer_push(ep, &dtls_ops, d);
	ep->flags &= ~EP_CONNLESS;
	ep->errexit = EXIT_TLS;
	if (!bin->opts_isset(&a->opts, OPT_CONNECT_TIMEOUT))
		ep->deadline = bin->now_ms() + (server ?
		    DTLS_SERVER_TIMEOUT_MS : DTLS_CLIENT_TIMEOUT_MS);
	return 0;
fail:
	ERR_clear_error();
	SSL_free(d->ssl);
	SSL_CTX_free(d->ctx);
	free(d);
	return r;
}
