/* ws-frames.c: sockcat's WebSocket framing against wslay's, in memory. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * The measurement behind the choice of layer-ws.c's own frame code over
 * wslay (Debian libwslay-dev, STYLE section 9). Both do the same work with
 * no I/O: a client encodes 1 GiB as 64 KiB binary messages (masked with
 * a fresh key each), and a server decodes a stream of such frames into a
 * 128 KiB buffer of the application (unmasking); then 1 GiB of text is
 * checked as UTF-8 (sockcat only: wslay's frame API does not check it).
 * sockcat runs its real layer ops (ws_push, read, write) over a fake layer
 * below; wslay runs wslay_frame_send/wslay_frame_recv with callbacks.
 *
 * Build from a configured and built tree (links sockcat's objects):
 *   cc -O2 -Isrc -I. -o bench/bin/ws-frames bench/ws-frames.c \
 *       $(ls src/sockcat-*.o | grep -v main.o) fuzz/stubs.c \
 *       -lwslay -lcrypto
 * Run: bench/bin/ws-frames [GiB]
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <wslay/wslay.h>

#include "sockcat.h"

#define MSG	65536
#define FRAMES	64		/* frames in the decode stream */

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- sockcat's layer over a fake layer below ---- */

struct below {
	const uint8_t	*in;		/* decode: the stream, served cyclic */
	size_t		 len, off;
	uint64_t	 written;	/* encode: bytes the layer sent */
};

static ssize_t
below_read(struct endpoint *ep, void *buf, size_t len)
{
	struct below	*b = ep->ctx;
	size_t		 n = b->len - b->off;

	if (n > len)
		n = len;
	memcpy(buf, b->in + b->off, n);
	b->off = (b->off + n) % b->len;
	return (ssize_t)n;
}

static ssize_t
below_write(struct endpoint *ep, const void *buf __unused, size_t len)
{
	struct below	*b = ep->ctx;

	b->written += len;
	return (ssize_t)len;
}

static int
below_shut(struct endpoint *ep __unused)
{
	return 0;
}

static size_t
below_pending(struct endpoint *ep __unused)
{
	return 0;
}

static void
below_close(struct endpoint *ep __unused)
{
}

static const struct ep_ops below_ops = {
	.name = "memory", .read = below_read, .write = below_write,
	.shutdown_wr = below_shut, .pending = below_pending,
	.close = below_close,
};

static int
c_sha1(const void *p, size_t n, unsigned char *md)
{
	return EVP_Digest(p, n, md, NULL, EVP_sha1(), NULL) == 1 ? 0 : -1;
}

static size_t
c_base64(const void *p, size_t n, char *out)
{
	return (size_t)EVP_EncodeBlock((unsigned char *)out, p, (int)n);
}

static int
c_random(void *p, size_t n)
{
	return RAND_bytes(p, (int)n) == 1 ? 0 : -1;
}

static const struct tls_crypto crypto = {
	.sha1 = c_sha1, .base64 = c_base64, .random = c_random,
};

static void
sockcat_endpoint(struct endpoint *ep, struct below *b, const char *text,
    struct addr *a, int server)
{
	struct addr_error	e;

	if (addr_parse(text, a, &e) != 0)
		abort();
	ep_init(ep, "bench", -1, -1, EP_SOCKET, &below_ops);
	ep->ctx = b;
	ws_push(ep, a, server, &crypto, 1);
}

/* A stream of FRAMES masked 64 KiB binary frames, as a client sends. */
static uint8_t *
client_stream(size_t *len)
{
	struct endpoint	ep;
	struct below	b;
	struct addr	a;
	uint8_t		*msg, *out;
	size_t		 i, n = 0;

	/* Capture what the client layer writes. */
	memset(&b, 0, sizeof(b));
	sockcat_endpoint(&ep, &b, "ws://h/,binary", &a, 0);
	msg = malloc(MSG);
	out = malloc(FRAMES * (MSG + 14));
	for (i = 0; i < MSG; i++)
		msg[i] = (uint8_t)(i * 7);
	for (i = 0; i < FRAMES; i++) {
		/* Header: 0x82, 127, 8-byte length, 4-byte key. */
		uint8_t	key[4];

		RAND_bytes(key, 4);
		out[n++] = 0x82;
		out[n++] = 0x80 | 127;
		memset(out + n, 0, 8);
		out[n + 5] = MSG >> 16;
		out[n + 6] = (MSG >> 8) & 0xff;
		out[n + 7] = MSG & 0xff;
		n += 8;
		memcpy(out + n, key, 4);
		n += 4;
		ws_mask(out + n, msg, MSG, key, 0);
		n += MSG;
	}
	free(msg);
	*len = n;
	return out;
}

static double
sockcat_encode(uint64_t total)
{
	struct endpoint	ep;
	struct below	b;
	struct addr	a;
	uint8_t		*msg = calloc(1, MSG);
	uint64_t	 done;
	double		 t0;

	memset(&b, 0, sizeof(b));
	sockcat_endpoint(&ep, &b, "ws://h/,binary", &a, 0);
	t0 = now();
	for (done = 0; done < total; done += MSG)
		if (ep.ops->write(&ep, msg, MSG) != MSG)
			abort();
	t0 = now() - t0;
	free(msg);
	return (double)total / t0 / 1e9;
}

static double
sockcat_decode(uint64_t total, const uint8_t *stream, size_t len)
{
	struct endpoint	ep;
	struct below	b;
	struct addr	a;
	uint8_t		*buf = malloc(131072);
	uint64_t	 done = 0;
	ssize_t		 n;
	double		 t0;

	memset(&b, 0, sizeof(b));
	b.in = stream;
	b.len = len;
	sockcat_endpoint(&ep, &b, "ws-listen:1,binary", &a, 1);
	t0 = now();
	while (done < total) {
		if ((n = ep.ops->read(&ep, buf, 131072)) <= 0)
			abort();
		done += (uint64_t)n;
	}
	t0 = now() - t0;
	free(buf);
	return (double)done / t0 / 1e9;
}

static double
sockcat_utf8(uint64_t total, int ascii)
{
	uint8_t		*p = malloc(MSG);
	uint64_t	 done;
	uint32_t	 st = 0;
	size_t		 i;
	double		 t0;

	/* Mostly ASCII with a two-byte character every 64 bytes. */
	for (i = 0; i < MSG; i++)
		p[i] = 'a' + i % 26;
	for (i = 0; !ascii && i + 1 < MSG; i += 64) {
		p[i] = 0xc3;
		p[i + 1] = 0xa9;
	}
	t0 = now();
	for (done = 0; done < total; done += MSG)
		st = ws_utf8(st, p, MSG);
	t0 = now() - t0;
	if (st != 0)
		abort();
	free(p);
	return (double)total / t0 / 1e9;
}

/* ---- wslay's frame API doing the same ---- */

struct wsl {
	const uint8_t	*in;
	size_t		 len, off;
	uint64_t	 written;
};

static ssize_t
wsl_send(const uint8_t *data __unused, size_t len, int flags __unused,
    void *u)
{
	((struct wsl *)u)->written += len;
	return (ssize_t)len;
}

static ssize_t
wsl_recv(uint8_t *buf, size_t len, int flags __unused, void *u)
{
	struct wsl	*w = u;
	size_t		 n = w->len - w->off;

	if (n > len)
		n = len;
	memcpy(buf, w->in + w->off, n);
	w->off = (w->off + n) % w->len;
	return (ssize_t)n;
}

static int
wsl_genmask(uint8_t *buf, size_t len, void *u __unused)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

static const struct wslay_frame_callbacks wsl_cb = {
	wsl_send, wsl_recv, wsl_genmask,
};

static double
wslay_encode(uint64_t total)
{
	wslay_frame_context_ptr	 ctx;
	struct wslay_frame_iocb	 io;
	struct wsl		 w;
	uint8_t			*msg = calloc(1, MSG);
	uint64_t		 done;
	ssize_t			 n;
	size_t			 off;
	double			 t0;

	memset(&w, 0, sizeof(w));
	wslay_frame_context_init(&ctx, &wsl_cb, &w);
	t0 = now();
	for (done = 0; done < total; done += MSG) {
		for (off = 0; off < MSG; off += (size_t)n) {
			memset(&io, 0, sizeof(io));
			io.fin = 1;
			io.opcode = WSLAY_BINARY_FRAME;
			io.mask = 1;
			io.payload_length = MSG;
			io.data = msg + off;
			io.data_length = MSG - off;
			if ((n = wslay_frame_send(ctx, &io)) <= 0)
				abort();
		}
	}
	t0 = now() - t0;
	wslay_frame_context_free(ctx);
	free(msg);
	return (double)total / t0 / 1e9;
}

static double
wslay_decode(uint64_t total, const uint8_t *stream, size_t len)
{
	wslay_frame_context_ptr	 ctx;
	struct wslay_frame_iocb	 io;
	struct wsl		 w;
	uint8_t			*buf = malloc(131072);
	uint64_t		 done = 0;
	size_t			 used = 0;
	ssize_t			 n;
	double			 t0;

	memset(&w, 0, sizeof(w));
	w.in = stream;
	w.len = len;
	wslay_frame_context_init(&ctx, &wsl_cb, &w);
	t0 = now();
	while (done < total) {
		memset(&io, 0, sizeof(io));
		if ((n = wslay_frame_recv(ctx, &io)) < 0)
			abort();
		/* The application takes the payload into its buffer. */
		if (used + io.data_length > 131072)
			used = 0;
		memcpy(buf + used, io.data, io.data_length);
		used += io.data_length;
		done += io.data_length;
	}
	t0 = now() - t0;
	wslay_frame_context_free(ctx);
	free(buf);
	return (double)done / t0 / 1e9;
}

int
main(int argc, char *argv[])
{
	uint64_t	 total = (uint64_t)(argc > 1 ? atof(argv[1]) : 1) *
			    (1ULL << 30);
	uint8_t		*stream;
	size_t		 len;
	int		 round;

	stream = client_stream(&len);
	printf("GB/s (10^9 bytes/s) over %.2f GiB, 64 KiB messages; "
	    "best of 3\n", (double)total / (1ULL << 30));
	double se = 0, we = 0, sd = 0, wd = 0, su = 0, sa = 0, v;
	for (round = 0; round < 3; round++) {
		if ((v = sockcat_encode(total)) > se) se = v;
		if ((v = wslay_encode(total)) > we) we = v;
		if ((v = sockcat_decode(total, stream, len)) > sd) sd = v;
		if ((v = wslay_decode(total, stream, len)) > wd) wd = v;
		if ((v = sockcat_utf8(total, 0)) > su) su = v;
		if ((v = sockcat_utf8(total, 1)) > sa) sa = v;
	}
	printf("encode, client (masking):  sockcat %6.2f   wslay %6.2f\n",
	    se, we);
	printf("decode, server (unmasking): sockcat %6.2f   wslay %6.2f\n",
	    sd, wd);
	printf("UTF-8 check, ASCII text:    sockcat %6.2f   (wslay's frame "
	    "API has none)\n", sa);
	printf("UTF-8 check, 1 in 32 chars non-ASCII: sockcat %6.2f\n", su);
	free(stream);
	return 0;
}
