/* fuzz-ws-http.c: libFuzzer target for the WebSocket upgrade heads. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * The first byte picks what the rest is: a request head for
 * ws_http_parse() and ws_request_check() under listener addresses with
 * and without path=, origin= and protocol= (bit 0 clear), or a response
 * head for ws_response_check() (bit 0 set); the head is cut after its
 * first empty line, or given one. Then the whole input is served, split
 * by a generator seeded by the second byte, to the handshake op of a
 * WebSocket layer (layer-ws.c) as server (bit 0 clear) or client (bit 0
 * set), followed by its read op, which covers reading the head in
 * pieces, the answers and the frames after the head. Checks: a parsed
 * head has token names and no control bytes in its values; 101 comes
 * with a key; the handshake ends (done or failed) with a reason.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "sockcat.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz-ws-http: check failed: %s\n", #c); \
		abort();						\
	}								\
} while (0)

struct fuzz_below {
	const uint8_t	*in;
	size_t		 len, off;
	uint32_t	 rng;
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

	if (b->rng != 0 && fuzz_next(&b->rng) % 4 == 0)
		return EP_WANT_READ;
	if (b->off == b->len)
		return 0;
	n = b->len - b->off;
	if (b->rng != 0)
		n = 1 + fuzz_next(&b->rng) % n;
	if (n > len)
		n = len;
	memcpy(buf, b->in + b->off, n);
	b->off += n;
	return (ssize_t)n;
}

static ssize_t
fuzz_write(struct endpoint *ep, const void *buf __unused, size_t len)
{
	struct fuzz_below	*b = ep->ctx;

	if (b->rng != 0 && fuzz_next(&b->rng) % 4 == 0)
		return EP_WANT_WRITE;
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

/*
 * Fixed "random" bytes: the client's key is then always
 * "AAECAwQFBgcICQoLDA0ODw==", so a seed can hold its right accept,
 * "Bz3qJYTGdOe8gUSpLosEdiLKDrk=".
 */
static int
fuzz_random(void *p, size_t len)
{
	unsigned char	*c = p;
	size_t		 i;

	for (i = 0; i < len; i++)
		c[i] = (unsigned char)i;
	return 0;
}

static const struct tls_crypto fuzz_crypto = {
	.sha1 = fuzz_sha1,
	.base64 = fuzz_base64,
	.random = fuzz_random,
};

#define FUZZ_NADDR	4

static struct addr	fuzz_addr[FUZZ_NADDR];

static void
fuzz_init(void)
{
	static const char *const text[FUZZ_NADDR] = {
		"ws-listen:1",
		"ws-listen:1,path=/chat,origin=http://a.example+null",
		"ws-listen:1,protocol=chat+superchat,header=X-A:1+X-B:2",
		"ws://h:1/chat,protocol=chat+v2,origin=http://o",
	};
	struct addr_error	e;
	int			i;

	for (i = 0; i < FUZZ_NADDR; i++)
		FUZZ_CHECK(addr_parse(text[i], &fuzz_addr[i], &e) == 0);
}

/* Invariants of a parsed head. */
static void
fuzz_check_head(const struct ws_http *h)
{
	size_t		 i;
	const char	*p;

	FUZZ_CHECK(h->nhdr <= WS_HTTP_MAXHDR);
	for (i = 0; i < h->nhdr; i++) {
		FUZZ_CHECK(h->name[i][0] != '\0');
		for (p = h->name[i]; *p != '\0'; p++)
			FUZZ_CHECK(*p != ':' && *p > ' ');
		for (p = h->value[i]; *p != '\0'; p++)
			FUZZ_CHECK((unsigned char)*p >= ' ' || *p == '\t');
		(void)ws_http_get(h, h->name[i], NULL);
		(void)ws_http_has_token(h, h->name[i], "upgrade");
	}
}

/* Drive a layer's handshake, then its reads, over the input. */
static void
fuzz_layer(const uint8_t *data, size_t size, int server, uint32_t seed)
{
	struct fuzz_below	 b;
	struct endpoint		 ep;
	char			 buf[4096];
	ssize_t			 n;
	int			 r = EP_WANT_READ, rounds;

	memset(&b, 0, sizeof(b));
	b.in = data;
	b.len = size;
	b.rng = seed;
	ep_init(&ep, "fuzz", -1, -1, EP_SOCKET, &fuzz_ops);
	ep.ctx = &b;
	ws_push(&ep, &fuzz_addr[server ? 2 : 3], server, &fuzz_crypto, 0);
	for (rounds = 0; rounds < 100000; rounds++) {
		r = layer_handshake(&ep);
		if (r == 0 || r == EP_ERROR)
			break;
	}
	FUZZ_CHECK(r == 0 || r == EP_ERROR);
	if (r == EP_ERROR)
		FUZZ_CHECK(ep.errmsg[0] != '\0');
	else
		for (rounds = 0; rounds < 100000; rounds++) {
			n = ep.ops->read(&ep, buf, sizeof(buf));
			if (n == 0 || n == EP_ERROR)
				break;
		}
	b.rng = 0;
	ep.ops->close(&ep);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 done;
	struct ws_http		 h;
	struct ws_answer	 ans;
	char			*head, why[200], proto[128];
	const char		*end;
	size_t			 n, i;
	int			 response;

	if (!done) {
		fuzz_init();
		done = 1;
	}
	if (size < 2 || size > 20000)
		return 0;
	response = data[0] & 1;
	head = malloc(size + 5);
	FUZZ_CHECK(head != NULL);
	memcpy(head, data + 2, size - 2);
	head[size - 2] = '\0';
	/* The caller hands over a head that ends with its empty line. */
	n = size - 2;
	end = memmem(head, n, "\r\n\r\n", 4);
	if (end != NULL)
		n = (size_t)(end - head) + 4;
	else {
		memcpy(head + n, "\r\n\r\n", 4);
		n += 4;
	}
	head[n] = '\0';
	if (strlen(head) == n &&
	    ws_http_parse(head, response, &h, why, sizeof(why)) == 0) {
		fuzz_check_head(&h);
		if (response)
			(void)ws_response_check(&h,
			    "Bz3qJYTGdOe8gUSpLosEdiLKDrk=", "chat+v2", proto,
			    sizeof(proto), why, sizeof(why));
		else
			for (i = 0; i < 3; i++) {
				ws_request_check(&h, &fuzz_addr[i], &ans);
				FUZZ_CHECK(ans.status != 101 ||
				    ans.key != NULL);
				FUZZ_CHECK(ans.status == 101 ||
				    ans.why[0] != '\0');
			}
	}
	free(head);
	fuzz_layer(data + 2, size - 2, !response, 1 + data[1]);
	return 0;
}
