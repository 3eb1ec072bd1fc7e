/* fuzz-ws-frame.c: libFuzzer target for the WebSocket frame parser. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * Drives the read op of the WebSocket layer (layer-ws.c) over a fake
 * layer below that serves the input as the peer's bytes, split anywhere:
 * read sizes, "would block" answers and the caller's buffer sizes come
 * from a generator seeded by the input. The same bytes are then read
 * again in one piece into a large buffer, and the two runs must agree:
 * the same bytes out (when one run failed, one output is a prefix of the
 * other, since text is checked as it streams), the same end (end of
 * input or error) and the same message. A third part writes the input
 * through a client layer, in pieces, and reads the frames it made back
 * through a server layer: the bytes must come back (text mode: with the
 * newline of a last partial line).
 *
 * First byte: bit 0 server role, bit 1 binary, bit 2 datagram mode, bit
 * 3 max-message=1000; second byte: the split seed.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "sockcat.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-ws-frame: check failed: %s\n", #c); \
		abort();						\
	}								\
} while (0)

/* The fake layer below: serves in[], collects what is written. */
struct fuzz_below {
	const uint8_t	*in;
	size_t		 len, off;
	uint32_t	 rng;		/* split generator, 0: whole reads */
	uint8_t		*out;
	size_t		 olen, ocap;
	int		 eof_sent;
};

static uint32_t
fuzz_next(uint32_t *r)
{
	*r = *r * 1103515245 + 12345;
	return *r >> 16;
}

static ssize_t
fuzz_read(struct endpoint *ep, void *buf, size_t len)
{
	struct fuzz_below	*b = ep->ctx;
	size_t			 n;

	if (b->rng != 0 && fuzz_next(&b->rng) % 5 == 0)
		return EP_WANT_READ;
	if (b->off == b->len) {
		b->eof_sent = 1;
		return 0;
	}
	n = b->len - b->off;
	if (b->rng != 0)
		n = 1 + fuzz_next(&b->rng) % (n < 300 ? n : 300);
	if (n > len)
		n = len;
	memcpy(buf, b->in + b->off, n);
	b->off += n;
	return (ssize_t)n;
}

static ssize_t
fuzz_write(struct endpoint *ep, const void *buf, size_t len)
{
	struct fuzz_below	*b = ep->ctx;

	if (b->rng != 0 && fuzz_next(&b->rng) % 4 == 0)
		return EP_WANT_WRITE;
	if (b->rng != 0 && len > 1)
		len = 1 + fuzz_next(&b->rng) % len;
	if (b->olen + len > b->ocap) {
		b->ocap = (b->olen + len) * 2;
		b->out = realloc(b->out, b->ocap);
		FUZZ_CHECK(b->out != NULL);
	}
	memcpy(b->out + b->olen, buf, len);
	b->olen += len;
	return (ssize_t)len;
}

static int
fuzz_shutdown_wr(struct endpoint *ep __unused)
{
	return 0;
}

static size_t
fuzz_pending(struct endpoint *ep __unused)
{
	return 0;
}

static void
fuzz_close(struct endpoint *ep __unused)
{
}

static const struct ep_ops fuzz_ops = {
	.name = "fuzz",
	.read = fuzz_read,
	.write = fuzz_write,
	.shutdown_wr = fuzz_shutdown_wr,
	.pending = fuzz_pending,
	.close = fuzz_close,
};

/* Crypto for the layer: OpenSSL's SHA-1 and base64, fixed "random". */
static uint8_t	fuzz_rnd;

static int
fuzz_sha1(const void *p, size_t len, unsigned char *md)
{
	return EVP_Digest(p, len, md, NULL, EVP_sha1(), NULL) == 1 ? 0 : -1;
}

static size_t
fuzz_base64(const void *p, size_t len, char *out)
{
	return (size_t)EVP_EncodeBlock((unsigned char *)out, p, (int)len);
}

static int
fuzz_random(void *p, size_t len)
{
	unsigned char	*c = p;
	size_t		 i;

	for (i = 0; i < len; i++)
		c[i] = fuzz_rnd++ * 37 + 11;
	return 0;
}

static const struct tls_crypto fuzz_crypto = {
	.sha1 = fuzz_sha1,
	.base64 = fuzz_base64,
	.random = fuzz_random,
};

/* The result of reading a stream through a layer. */
struct fuzz_run {
	uint8_t		*out;
	size_t		 len;
	int		 end;		/* 0 end of input, -1 error, 1 stuck */
	char		 msg[256];
};

/* An endpoint: the fake layer below with the WebSocket layer on top. */
static void
fuzz_endpoint(struct endpoint *ep, struct fuzz_below *b,
    const struct addr *a, int server, int dgram)
{
	ep_init(ep, "fuzz", -1, -1, EP_SOCKET, &fuzz_ops);
	ep->ctx = b;
	ws_push(ep, a, server, &fuzz_crypto, 1);
	if (dgram)
		ep->flags |= EP_DGRAM;
}

/* Read ep to its end; caller buffers from rng (0: 128 KiB each). */
static void
fuzz_read_all(struct endpoint *ep, uint32_t rng, int dgram,
    struct fuzz_run *r)
{
	uint8_t		*buf;
	size_t		 want, cap = 0;
	ssize_t		 n;
	int		 rounds;

	memset(r, 0, sizeof(*r));
	buf = malloc(131072);
	FUZZ_CHECK(buf != NULL);
	r->end = 1;
	for (rounds = 0; rounds < 100000; rounds++) {
		want = 131072;
		if (rng != 0 && !dgram)
			want = 1 + fuzz_next(&rng) % 200;
		n = ep->ops->read(ep, buf, want);
		if (n == EP_WANT_READ || n == EP_WANT_WRITE)
			continue;
		if (n <= 0) {
			r->end = n == 0 ? 0 : -1;
			snprintf(r->msg, sizeof(r->msg), "%s", ep->errmsg);
			break;
		}
		FUZZ_CHECK((size_t)n <= want);
		if (r->len + (size_t)n > cap) {
			cap = (r->len + (size_t)n) * 2;
			r->out = realloc(r->out, cap);
			FUZZ_CHECK(r->out != NULL);
		}
		memcpy(r->out + r->len, buf, (size_t)n);
		r->len += (size_t)n;
	}
	free(buf);
}

/* The addresses whose options the layers take, parsed once. */
static struct addr	fuzz_addr[4];

static void
fuzz_init(void)
{
	static const char *const text[4] = {
		"ws-listen:1", "ws-listen:1,binary",
		"ws-listen:1,max-message=1000",
		"ws-listen:1,binary,max-message=1000",
	};
	struct addr_error	e;
	int			i;

	for (i = 0; i < 4; i++)
		FUZZ_CHECK(addr_parse(text[i], &fuzz_addr[i], &e) == 0);
}

/* Two runs of the same stream must agree (see the file's comment). */
static void
fuzz_compare(const struct fuzz_run *x, const struct fuzz_run *y)
{
	size_t	n = x->len < y->len ? x->len : y->len;

	FUZZ_CHECK(x->end == y->end);
	FUZZ_CHECK(strcmp(x->msg, y->msg) == 0);
	if (x->end == 0)
		FUZZ_CHECK(x->len == y->len);
	FUZZ_CHECK(n == 0 || memcmp(x->out, y->out, n) == 0);
}

/*
 * Write data through a client layer (in pieces of rng sizes), half-close
 * it, then read what it sent through a server layer.
 */
static void
fuzz_roundtrip(const uint8_t *data, size_t size, const struct addr *a,
    int binary, uint32_t rng)
{
	struct fuzz_below	 wb, rb;
	struct endpoint		 wep, rep;
	struct fuzz_run		 r;
	size_t			 off = 0, n;
	ssize_t			 w;
	int			 rounds = 0;

	memset(&wb, 0, sizeof(wb));
	wb.rng = rng;
	fuzz_endpoint(&wep, &wb, a, 0, 0);
	n = 0;
	while (off < size && rounds++ < 100000) {
		/* As the relay: after a want, the same bytes again. */
		if (n == 0) {
			n = size - off;
			if (rng != 0)
				n = 1 + fuzz_next(&rng) % (n < 5000 ? n :
				    5000);
		}
		w = wep.ops->write(&wep, data + off, n);
		if (w == EP_WANT_WRITE || w == EP_WANT_READ)
			continue;
		FUZZ_CHECK(w > 0 && (size_t)w <= n);
		off += (size_t)w;
		n = 0;
	}
	FUZZ_CHECK(off == size);
	FUZZ_CHECK(wep.ops->shutdown_wr(&wep) == 0);
	/* What the flush did not get out: the close op sends it. */
	wb.rng = 0;
	wep.ops->close(&wep);

	memset(&rb, 0, sizeof(rb));
	rb.in = wb.out;
	rb.len = wb.olen;
	fuzz_endpoint(&rep, &rb, a, 1, 0);
	fuzz_read_all(&rep, 0, 0, &r);
	FUZZ_CHECK(r.end == 0);
	if (binary)
		FUZZ_CHECK(r.len == size);
	else
		FUZZ_CHECK(r.len == size + (size > 0 &&
		    data[size - 1] != '\n'));
	FUZZ_CHECK(size == 0 || memcmp(r.out, data, size) == 0);
	rep.ops->close(&rep);
	free(r.out);
	free(wb.out);
	free(rb.out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 done;
	struct fuzz_below	 b1, b2;
	struct endpoint		 ep1, ep2;
	struct fuzz_run		 r1, r2;
	const struct addr	*a;
	int			 server, binary, dgram;
	uint32_t		 seed;

	if (!done) {
		fuzz_init();
		done = 1;
	}
	if (size < 2 || size > 200000)
		return 0;
	server = data[0] & 1;
	binary = (data[0] >> 1) & 1;
	dgram = (data[0] >> 2) & 1;
	a = &fuzz_addr[binary + 2 * ((data[0] >> 3) & 1)];
	seed = 1 + data[1];
	data += 2;
	size -= 2;

	fuzz_rnd = 0;
	memset(&b1, 0, sizeof(b1));
	b1.in = data;
	b1.len = size;
	b1.rng = seed;
	fuzz_endpoint(&ep1, &b1, a, server, dgram);
	fuzz_read_all(&ep1, seed * 7 + 1, dgram, &r1);
	b1.rng = 0;
	ep1.ops->close(&ep1);

	memset(&b2, 0, sizeof(b2));
	b2.in = data;
	b2.len = size;
	fuzz_endpoint(&ep2, &b2, a, server, dgram);
	fuzz_read_all(&ep2, 0, dgram, &r2);
	ep2.ops->close(&ep2);

	FUZZ_CHECK(r1.end != 1 && r2.end != 1);
	fuzz_compare(&r1, &r2);
	free(r1.out);
	free(r2.out);
	free(b1.out);
	free(b2.out);

	/*
	 * A text line past WS_FRAG (64 KiB) goes out in fragments as it
	 * comes, typed by its first one: only valid UTF-8 comes back whole.
	 */
	if (binary || size <= 65536 || ws_utf8(0, data, size) == 0)
		fuzz_roundtrip(data, size, &fuzz_addr[binary], binary, seed);
	return 0;
}
