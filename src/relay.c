/* relay.c: the pump that moves bytes between two endpoints with poll(2). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

/* Default relay buffer, bytes, when -b is not given. */
#define RELAY_BUFSIZE		(128 * 1024)
/* Largest chunk a stream source hands to a datagram sink (socat: 8192). */
#define RELAY_DGRAM_CHUNK	8192
/* Largest UDP payload over IPv4 (65535 - 20 - 8). */
#define RELAY_DGRAM_PAYLOAD	65507
/* Whether a direction may splice: never, once it has filled a read, now. */
#define RELAY_SPLICE_NEVER	0
#define RELAY_SPLICE_LATER	1
#define RELAY_SPLICE_NOW	2
/* Bytes a direction copies before it switches to splice(2). */
#define RELAY_SPLICE_AFTER	(256 * 1024)
/* Largest splice pipe, bytes: grown to as transfers fill it. */
#define RELAY_PIPE_MAX		(1024 * 1024)
/* Default -t when the remaining source can never end (datagrams), ms. */
#define RELAY_DGRAM_LINGER	500

static void	relay_finish(struct relay *, struct relay_dir *);
#ifdef HAVE_SPLICE
static void	relay_splice_grow(struct relay_dir *);
#endif

/* Bytes a direction holds that its sink has not taken yet. */
static size_t
relay_inflight(const struct relay_dir *d)
{
#ifdef HAVE_SPLICE
	return d->len + d->inpipe;
#else
	return d->len;
#endif
}

/*
 * Copy buffers of the default size that no direction holds right now,
 * kept for the next one that needs a buffer: a session that gives its
 * buffers back whenever they empty (an idle session in the event loop)
 * then costs no malloc(3) or page faults when data flows again.
 */
#define RELAY_POOL_MAX		32
static char	*relay_pool[RELAY_POOL_MAX];
static size_t	 relay_npool;

/* The default copy buffer size, bytes: -b, else RELAY_BUFSIZE. */
size_t
relay_bufsize(void)
{
	return cfg.bufsize ? cfg.bufsize : RELAY_BUFSIZE;
}

/* Give d a buffer of d->size bytes (from the pool when it fits). */
static void
relay_buf_get(struct relay_dir *d)
{
	if (d->size == relay_bufsize() && relay_npool > 0)
		d->buf = relay_pool[--relay_npool];
	else
		d->buf = xmalloc(d->size);
	d->off = 0;
}

/* Take d's (empty) buffer back; the pool keeps it if it has room. */
static void
relay_buf_put(struct relay_dir *d)
{
	if (d->buf == NULL)
		return;
	if (d->size == relay_bufsize() && relay_npool < RELAY_POOL_MAX)
		relay_pool[relay_npool++] = d->buf;
	else
		free(d->buf);
	d->buf = NULL;
	d->off = 0;
}

/*
 * Free the buffers the pool keeps (at exit, or when an event loop has
 * gone quiet), so valgrind sees no leak and an idle process gives the
 * memory back.
 */
void
relay_pool_trim(void)
{
	while (relay_npool > 0)
		free(relay_pool[--relay_npool]);
}

/* The exit status an error of endpoint ep maps to, given errno. */
static int
relay_error_status(const struct endpoint *ep, int error)
{
	if (error == ECONNRESET || error == EPIPE)
		return EXIT_LOST;
	if (error == ECONNREFUSED)
		return EXIT_CONNECT;
	if (ep->errexit != 0)
		return ep->errexit;
	return EXIT_RUNTIME;
}

/* Record a status; the first failure wins, data loss outranks the rest. */
static void
relay_set_status(struct relay *r, int status)
{
	if (status == EXIT_LOST || r->status == 0)
		r->status = status;
}

/* Print why an endpoint failed: its own message, or the errno text. */
static void
relay_report(const struct endpoint *ep, const char *call, int error)
{
	if (ep->errmsg[0] != '\0')
		warnx("%s: %s", ep->name, ep->errmsg);
	else {
		errno = error;
		warn("%s: %s", ep->name, call);
	}
}

/*
 * The source of d failed (not an end of input). A broken socket is broken
 * both ways, so the direction that writes to it ends as well.
 */
static void
relay_read_failed(struct relay *r, struct relay_dir *d, int error)
{
	struct relay_dir	*o = (d == &r->d[0]) ? &r->d[1] : &r->d[0];

	relay_report(d->src, "read", error);
	relay_set_status(r, relay_error_status(d->src, error));
	d->eof = 1;
	d->done = 1;
	if (!o->done && (d->src->flags & EP_SOCKET) &&
	    !(d->src->flags & EP_CONNLESS)) {
		if (relay_inflight(o) > 0)
			relay_set_status(r, EXIT_LOST);
		o->done = 1;
	}
	/* What was read before the failure still goes out. */
	if (relay_inflight(d) > 0)
		d->done = 0;
	else
		relay_finish(r, d);
}

/*
 * The direction's source has ended and its buffer is empty: pass the
 * half-close on (shutdown(SHUT_WR), close_notify, closing a pipe), mark it
 * done and start the -t timer for the other direction.
 */
static void
relay_finish(struct relay *r, struct relay_dir *d)
{
	struct relay_dir	*o = (d == &r->d[0]) ? &r->d[1] : &r->d[0];
	long			 linger;

	d->done = 1;
	if (!(d->dst->flags & EP_CONNLESS) &&
	    d->dst->ops->shutdown_wr(d->dst) == -1)
		warn("%s: shutdown", d->dst->name);
	log_verbose(2, "end of input from %s: socket %d (fd %d) is at EOF",
	    d->src->name, d == &r->d[0] ? 1 : 2, d->src->rfd);
	if (d->dst->flags & EP_INTERACTIVE) {
		/*
		 * Someone at a terminal (SPEC 9): the other side has ended,
		 * so does the session, as telnet does; what is typed from
		 * now on has nowhere to go.
		 */
		if (r->status == 0 && (d->src->flags & EP_SOCKET))
			warnx("%s: connection closed by peer", d->src->name);
		o->done = 1;
		return;
	}
	if (o->done || r->linger_at != -1)
		return;
	linger = cfg.linger_ms;
	if (linger < 0 && (o->src->flags & EP_CONNLESS))
		linger = RELAY_DGRAM_LINGER;
	if (linger >= 0)
		r->linger_at = now_ms() + linger;
}

/*
 * Expand LF into CRLF in place for the crlf option: n new bytes sit at p,
 * with at least n more bytes of room after them. Returns the new length.
 */
static size_t
relay_crlf(char *p, size_t n)
{
	size_t	lf = 0, i, j;

	for (i = 0; i < n; i++)
		if (p[i] == '\n')
			lf++;
	if (lf == 0)
		return n;
	j = n + lf;
	for (i = n; i-- > 0;) {
		p[--j] = p[i];
		if (p[i] == '\n')
			p[--j] = '\r';
	}
	return n + lf;
}

/* The crlf option on d's sink: relay_crlf() when it has it. */
static size_t
relay_crlf_out(const struct relay_dir *d, char *p, size_t n)
{
	return (d->dst->flags & EP_CRLF) ? relay_crlf(p, n) : n;
}

/*
 * Turn CRLF into LF in place for the crlf option on the source: the n
 * bytes at p are the new ones (the first may be a CR held from the last
 * read, see relay_read()). A CR that ends them is held back (d->crheld)
 * unless the source carries datagrams or messages, each of which stands
 * alone.
 * Returns the new length.
 */
static size_t
relay_uncrlf(struct relay_dir *d, char *p, size_t n)
{
	size_t	i, j;

	for (i = j = 0; i < n; i++) {
		if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
			continue;
		p[j++] = p[i];
	}
	d->crheld = 0;
	if (j > 0 && p[j - 1] == '\r' &&
	    !(d->src->flags & (EP_DGRAM | EP_CONNLESS))) {
		d->crheld = 1;
		j--;
	}
	return j;
}

/* Read once from d's source into the free end of its buffer. */
static void
relay_read(struct relay *r, struct relay_dir *d)
{
	size_t	room, want;
	ssize_t	n;
	char	*p;

	if (d->buf == NULL)
		relay_buf_get(d);
	/* Keep unwritten bytes at the front so the free space is one piece. */
	if (d->off > 0) {
		memmove(d->buf, d->buf + d->off, d->len);
		d->off = 0;
	}
	room = d->size - d->off - d->len;
	want = room;
	if (d->dst->flags & EP_CRLF)
		want = room / 2;	/* leave room for a CR before each LF */
	if (want > d->chunk)
		want = d->chunk;
	if (want <= (size_t)d->crheld)
		return;
	p = d->buf + d->off + d->len;
	/* A CR held by relay_uncrlf() goes first, before the new bytes. */
	if (d->crheld)
		*p = '\r';
	n = d->src->ops->read(d->src, p + d->crheld, want - d->crheld);
	d->rwant = 0;
	if (n == EP_WANT_READ || n == EP_WANT_WRITE) {
		d->rwant = (int)n;
		return;
	}
	if (n == EP_CLOSE) {
		/* The escape key (SPEC 9): the session ends now, status 0. */
		log_verbose(1, "%s: escape key: ending the session",
		    d->src->name);
		r->d[0].done = r->d[1].done = 1;
		return;
	}
	if (n == EP_ERROR) {
		relay_read_failed(r, d, errno);
		return;
	}
	if (n == 0) {
		/* An empty datagram is a message, not an end of input. */
		if (d->src->flags & EP_CONNLESS)
			return;
		d->eof = 1;
		/* A held CR had no LF after it: it is data. */
		if (d->crheld) {
			d->crheld = 0;
			d->len += relay_crlf_out(d, p, 1);
		}
		if (d->len == 0)
			relay_finish(r, d);
		return;
	}
	r->last_move = now_ms();
#ifdef HAVE_SPLICE
	/* A bulk transfer: now worth the splice pipes. */
	if (d->splice == RELAY_SPLICE_LATER &&
	    d->readbytes + (uint64_t)n >= RELAY_SPLICE_AFTER)
		d->splice = RELAY_SPLICE_NOW;
#endif
	if (cfg.hexdump)
		log_hexdump(d->marker, p + d->crheld, (size_t)n, d->readbytes);
	d->readbytes += (uint64_t)n;
	n += d->crheld;
	if (d->src->flags & EP_CRLF_IN)
		n = (ssize_t)relay_uncrlf(d, p, (size_t)n);
	d->len += relay_crlf_out(d, p, (size_t)n);
}

/* Write once from d's buffer to its sink. */
static void
relay_write(struct relay *r, struct relay_dir *d)
{
	ssize_t	n;

	n = d->dst->ops->write(d->dst, d->buf + d->off, d->len);
	d->wwant = 0;
	if (n == EP_WANT_READ || n == EP_WANT_WRITE) {
		d->wwant = (int)n;
		return;
	}
	if (n == EP_ERROR) {
		relay_report(d->dst, "write", errno);
		/* The bytes in the buffer can no longer be delivered. */
		relay_set_status(r, (errno == EPIPE || errno == ECONNRESET) ?
		    EXIT_LOST : relay_error_status(d->dst, errno));
		d->done = 1;
		return;
	}
	r->last_move = now_ms();
	d->off += (size_t)n;
	d->len -= (size_t)n;
	d->bytes += (uint64_t)n;
	if (d->len == 0) {
		d->off = 0;
		if (r->lazy)
			relay_buf_put(d);
		if (d->eof)
			relay_finish(r, d);
	}
}

#ifdef HAVE_SPLICE
/*
 * Zero-copy step for a direction whose two ends are plain descriptors:
 * splice(2) source -> pipe, then pipe -> sink. Returns 1 when it handled the
 * step, 0 when splice was refused (EINVAL) and the direction must fall back
 * to read/write, which is safe because the pipe is then empty.
 */
static int
relay_splice(struct relay *r, struct relay_dir *d, int readable, int writable)
{
	ssize_t	n;

	if (readable && !d->eof && d->inpipe < d->size) {
		n = splice(d->src->rfd, NULL, d->pipe[1], NULL,
		    d->size - d->inpipe, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n > 0) {
			if ((size_t)n == d->size - d->inpipe)
				relay_splice_grow(d);
			d->inpipe += (size_t)n;
			d->readbytes += (uint64_t)n;
			r->last_move = now_ms();
			writable = 1;	/* try to pass it on at once */
		} else if (n == -1 && errno == EAGAIN && d->inpipe > 0) {
			/*
			 * A readable source and EAGAIN: the pipe's slots are
			 * full before its byte capacity is (partial pages).
			 * Stop polling the source until the sink drains some,
			 * or poll would wake at once, forever.
			 */
			d->pipefull = 1;
		} else if (n == 0) {
			d->eof = 1;
		} else if (errno == EINVAL) {
			return 0;
		} else if (errno != EAGAIN && errno != EINTR) {
			relay_read_failed(r, d, errno);
			return 1;
		}
	}
	if (writable && d->inpipe > 0) {
		n = splice(d->pipe[0], NULL, d->dst->wfd, NULL, d->inpipe,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n > 0) {
			d->inpipe -= (size_t)n;
			d->bytes += (uint64_t)n;
			d->pipefull = 0;
			r->last_move = now_ms();
		} else if (n == -1 && errno == EINVAL) {
			return 0;
		} else if (n == -1 && errno != EAGAIN && errno != EINTR) {
			relay_report(d->dst, "write", errno);
			relay_set_status(r, (errno == EPIPE ||
			    errno == ECONNRESET) ? EXIT_LOST :
			    relay_error_status(d->dst, errno));
			d->done = 1;
			return 1;
		}
	}
	if (d->eof && d->inpipe == 0 && !d->done)
		relay_finish(r, d);
	return 1;
}

/*
 * Zero-copy step when one end already is a pipe (stdin, a program, echo):
 * one splice(2) straight from source to sink, no pipe of ours, nothing held
 * in between. EAGAIN after the source polled readable means the sink is
 * full, so the next wait is for the sink; EAGAIN then means the source is
 * empty after all. Each wait is on one condition, so poll never spins.
 * Returns 1 when handled, 0 when splice is refused (EINVAL: nothing was
 * moved, the copy path takes over).
 */
static int
relay_splice_direct(struct relay *r, struct relay_dir *d, int readable,
    int writable)
{
	ssize_t	n;
	char	c;

	if (d->dwait == 0 ? !readable : !writable)
		return 1;
	n = splice(d->src->rfd, NULL, d->dst->wfd, NULL, d->size,
	    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	if (n > 0) {
		d->readbytes += (uint64_t)n;
		d->bytes += (uint64_t)n;
		r->last_move = now_ms();
		d->dwait = 0;
	} else if (n == 0) {
		d->eof = 1;
		relay_finish(r, d);
	} else if (errno == EAGAIN) {
		d->dwait = !d->dwait;
	} else if (errno == EINVAL) {
		return 0;
	} else if (errno == EPIPE) {
		/*
		 * The sink is gone. Bytes are lost only if the source still
		 * had some for it (a program that exits unread): the kernel
		 * says EPIPE before it looks at the source, so look once.
		 */
		if (read(d->src->rfd, &c, 1) == 1) {
			relay_report(d->dst, "write", errno);
			relay_set_status(r, EXIT_LOST);
		} else
			log_verbose(2, "%s: closed its input", d->dst->name);
		d->done = 1;
	} else if (errno != EINTR)
		relay_read_failed(r, d, errno);
	return 1;
}

/* Is fd a pipe (or FIFO)? */
static int
relay_is_pipe(int fd)
{
	struct stat	sb;

	return fd != -1 && fstat(fd, &sb) == 0 && S_ISFIFO(sb.st_mode);
}

/*
 * A splice filled d's pipe: double it, up to RELAY_PIPE_MAX (or -b when
 * larger), so bulk transfers make fewer calls while short sessions keep
 * the small default. The kernel may refuse (pipe-user-pages-soft): fine.
 */
static void
relay_splice_grow(struct relay_dir *d)
{
	size_t	max = cfg.bufsize > RELAY_PIPE_MAX ? cfg.bufsize :
		    RELAY_PIPE_MAX;
	int	sz;

	if (d->size >= max || fcntl(d->pipe[1], F_SETPIPE_SZ,
	    (int)(d->size * 2)) == -1)
		return;
	if ((sz = fcntl(d->pipe[1], F_GETPIPE_SZ)) > 0)
		d->size = (size_t)sz;
}

/* May d splice? Only plain descriptors, no datagrams, no crlf, no -x. */
static int
relay_splice_eligible(const struct relay_dir *d)
{
	return (d->src->flags & EP_PLAIN) && (d->dst->flags & EP_PLAIN) &&
	    !(d->src->flags & EP_DGRAM) && !(d->dst->flags & EP_DGRAM) &&
	    !(d->dst->flags & EP_CRLF) && !(d->src->flags & EP_CRLF_IN) &&
	    !cfg.hexdump;
}

/*
 * Switch d, whose buffer is empty, to the splice path: straight from
 * source to sink when one end is a pipe, else through a pipe of ours.
 * This waits until RELAY_SPLICE_AFTER bytes went the copy way, so a short
 * session (a request and a reply) never pays for pipes and their calls.
 * Where nothing can be set up, d keeps copying.
 */
static void
relay_splice_start(struct relay_dir *d)
{
	d->splice = RELAY_SPLICE_NEVER;
	if (relay_is_pipe(d->src->rfd) || relay_is_pipe(d->dst->wfd)) {
		d->direct = 1;
		d->size = RELAY_PIPE_MAX;
		/* Their pipe, our gain: a larger one moves more per call. */
		if (relay_is_pipe(d->src->rfd))
			fcntl(d->src->rfd, F_SETPIPE_SZ, RELAY_PIPE_MAX);
		if (relay_is_pipe(d->dst->wfd))
			fcntl(d->dst->wfd, F_SETPIPE_SZ, RELAY_PIPE_MAX);
		relay_buf_put(d);
		return;
	}
	if (pipe2(d->pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		d->pipe[0] = d->pipe[1] = -1;
		return;
	}
	relay_buf_put(d);
	/* A larger pipe moves more per call; the kernel may refuse. */
	if (fcntl(d->pipe[1], F_SETPIPE_SZ, (int)d->size) > 0) {
		int sz = fcntl(d->pipe[1], F_GETPIPE_SZ);
		if (sz > 0)
			d->size = (size_t)sz;
	} else
		d->size = 65536;
}

/* Close d's splice pipe, if any. */
static void
relay_splice_close(struct relay_dir *d)
{
	if (d->pipe[0] != -1) {
		close(d->pipe[0]);
		close(d->pipe[1]);
		d->pipe[0] = d->pipe[1] = -1;
	}
}

/*
 * splice(2) was refused (EINVAL: a terminal, an O_APPEND file, ...): move
 * whatever the pipe holds into a buffer and copy with read/write from now on,
 * so no byte is lost or reordered.
 */
static void
relay_splice_fallback(struct relay_dir *d)
{
	size_t	size = cfg.bufsize ? cfg.bufsize : RELAY_BUFSIZE;
	ssize_t	n;

	if (size < d->inpipe)
		size = d->inpipe;
	d->buf = xmalloc(size);
	d->size = d->chunk = size;
	d->off = d->len = 0;
	while (d->inpipe > 0) {
		n = read(d->pipe[0], d->buf + d->len, d->inpipe);
		if (n <= 0)
			break;
		d->len += (size_t)n;
		d->inpipe -= (size_t)n;
	}
	relay_splice_close(d);
	d->inpipe = 0;
}
#endif

/*
 * A timer or a signal ends the session: every byte still held for a sink
 * is lost, which is said on stderr (naming the sink and why) and makes the
 * exit status EXIT_LOST, so a reply is never dropped silently. Both
 * directions are done afterwards. why: the reason, e.g. "-T: idle
 * timeout" or a signal's name.
 */
void
relay_cut(struct relay *r, const char *why)
{
	size_t	i, n;

	for (i = 0; i < 2; i++) {
		if (r->d[i].done || (n = relay_inflight(&r->d[i])) == 0) {
			r->d[i].done = 1;
			continue;
		}
		warnx("%s: %s: %zu bytes not delivered", r->d[i].dst->name,
		    why, n);
		relay_set_status(r, EXIT_LOST);
		r->d[i].done = 1;
	}
}

/* Is d draining its buffer to switch to splice? Then it reads no more. */
static int
relay_splice_due(const struct relay_dir *d)
{
#ifdef HAVE_SPLICE
	return d->splice == RELAY_SPLICE_NOW;
#else
	(void)d;
	return 0;
#endif
}

/*
 * Set d up: its buffer size (datagram directions hold the largest
 * datagram); the buffer itself comes when data does (relay_buf_get).
 */
static void
relay_dir_init(struct relay_dir *d, struct endpoint *src,
    struct endpoint *dst, int marker, int active)
{
	size_t	size = relay_bufsize();

	memset(d, 0, sizeof(*d));
	d->src = src;
	d->dst = dst;
	d->marker = marker;
	d->rslot = d->wslot = -1;
	d->pipe[0] = d->pipe[1] = -1;
	if (!active || (src->flags & EP_WRONLY) || (dst->flags & EP_RDONLY)) {
		d->done = d->eof = 1;
		return;
	}
	if (src->flags & EP_DGRAM) {
		if (size < DGRAM_MAX)
			size = DGRAM_MAX;
	}
	d->chunk = size;
	if (!(src->flags & EP_DGRAM) && (dst->flags & EP_DGRAM)) {
		/* A stream cut into datagrams: socat's chunk, or -b. */
		d->chunk = cfg.bufsize ? cfg.bufsize : RELAY_DGRAM_CHUNK;
		if (d->chunk > RELAY_DGRAM_PAYLOAD)
			d->chunk = RELAY_DGRAM_PAYLOAD;
	}
	if (dst->flags & EP_CRLF) {
		/* Room for a CR before every LF of a whole datagram. */
		size *= 2;
	}
	d->size = size;
#ifdef HAVE_SPLICE
	if (relay_splice_eligible(d))
		d->splice = RELAY_SPLICE_LATER;
#endif
}

/*
 * A message endpoint (EP_MESSAGES: WebSocket) facing a datagram endpoint
 * or another message endpoint keeps boundaries: it becomes EP_DGRAM, so
 * that one message is one datagram both ways (SPEC section 8).
 */
static void
relay_messages(struct endpoint *ep, const struct endpoint *other)
{
	if ((ep->flags & EP_MESSAGES) &&
	    (other->flags & (EP_DGRAM | EP_MESSAGES)))
		ep->flags |= EP_DGRAM;
}

/* Add a pollfd slot; returns its index. */
static int
relay_slot(struct pollfd *pfd, int *n, int fd, short events)
{
	pfd[*n].fd = fd;
	pfd[*n].events = events;
	pfd[*n].revents = 0;
	return (*n)++;
}

/* Milliseconds until deadline `at`, at least 0; -1 for no deadline. */
static long
relay_until(long at, long now)
{
	if (at == -1)
		return -1;
	return at > now ? at - now : 0;
}

/*
 * Start relaying between ep1 (ADDRESS1) and ep2 (ADDRESS2) in the
 * directions cfg.dirs allows, with -t (cfg.linger_ms) and -T
 * (cfg.idle_ms). lazy: give each copy buffer back whenever it empties (an
 * event loop holding many idle sessions); else keep it for the session.
 * The endpoints stay the caller's; r only points at them.
 */
void
relay_init(struct relay *r, struct endpoint *ep1, struct endpoint *ep2,
    int lazy)
{
	memset(r, 0, sizeof(*r));
	relay_messages(ep1, ep2);
	relay_messages(ep2, ep1);
	relay_dir_init(&r->d[0], ep1, ep2, '>', cfg.dirs & DIR_FWD);
	relay_dir_init(&r->d[1], ep2, ep1, '<', cfg.dirs & DIR_REV);
	r->lazy = lazy;
	r->linger_at = -1;
	r->idle_ms = cfg.idle_ms;
	r->start = r->last_move = now_ms();
}

/* Is the session over: both directions finished (or cut)? */
int
relay_done(const struct relay *r)
{
	return r->d[0].done && r->d[1].done;
}

/*
 * What the session waits for: fills pfd (room for RELAY_NFDS) with the
 * descriptors and events each direction needs now, and *timeout with the
 * milliseconds until its next timer (-t, -T; -1 for none, 0 when a layer
 * already holds input, so there is no waiting at all). Back-pressure: a
 * direction asks for input only while its buffer has room. Returns the
 * number of slots used; the same descriptor may be in two slots.
 */
int
relay_poll(struct relay *r, struct pollfd *pfd, long *timeout)
{
	struct relay_dir	*d;
	long			 now, wait, t, wake = -1;
	int			 i, n = 0, ready = 0;
	short			 ev;

	for (i = 0; i < 2; i++) {
		d = &r->d[i];
		d->rslot = d->wslot = -1;
		if (d->done)
			continue;
#ifdef HAVE_SPLICE
		if (d->splice == RELAY_SPLICE_NOW && d->len == 0 && !d->eof)
			relay_splice_start(d);
		if (d->direct) {
			if (d->dwait == 0)
				d->rslot = relay_slot(pfd, &n, d->src->rfd,
				    POLLIN);
			else
				d->wslot = relay_slot(pfd, &n, d->dst->wfd,
				    POLLOUT);
			continue;
		}
		if (d->pipe[0] != -1) {
			if (!d->eof && d->inpipe < d->size && !d->pipefull)
				d->rslot = relay_slot(pfd, &n, d->src->rfd,
				    POLLIN);
			if (d->inpipe > 0)
				d->wslot = relay_slot(pfd, &n, d->dst->wfd,
				    POLLOUT);
			continue;
		}
#endif
		/*
		 * Back-pressure: ask for input only while the buffer has room
		 * (for crlf, room for the CR too, and for a held CR); a
		 * datagram direction holds one datagram at a time.
		 */
		if (!d->eof && d->size - d->len >=
		    ((d->dst->flags & EP_CRLF) ? 2 : 1) *
		    (1 + (size_t)d->crheld) &&
		    (d->len == 0 || !(d->src->flags & EP_DGRAM)) &&
		    !relay_splice_due(d)) {
			/* Data the layer already holds needs no poll. */
			if (d->src->ops->pending(d->src) > 0)
				ready = 1;
			ev = d->rwant == EP_WANT_WRITE ? POLLOUT : POLLIN;
			d->rslot = relay_slot(pfd, &n, ev == POLLOUT ?
			    d->src->wfd : d->src->rfd, ev);
			/* A layer's timer (ping=): read when it is due. */
			if (d->src->wake_at != -1 && (wake == -1 ||
			    d->src->wake_at < wake))
				wake = d->src->wake_at;
		}
		if (d->len > 0) {
			ev = d->wwant == EP_WANT_READ ? POLLIN : POLLOUT;
			d->wslot = relay_slot(pfd, &n, ev == POLLIN ?
			    d->dst->rfd : d->dst->wfd, ev);
		}
	}

	now = now_ms();
	wait = relay_until(r->linger_at, now);
	if (r->idle_ms >= 0) {
		t = relay_until(r->last_move + r->idle_ms, now);
		if (wait == -1 || t < wait)
			wait = t;
	}
	if (wake != -1) {
		t = relay_until(wake, now);
		if (wait == -1 || t < wait)
			wait = t;
	}
	if (ready)
		wait = 0;
	*timeout = wait;
	return n;
}

/*
 * Act on what poll reported for the slots relay_poll() filled last (their
 * revents; all zero when only a timer ran out): end the session when -t
 * or -T ran out, else read and write each direction that can move.
 */
void
relay_step(struct relay *r, const struct pollfd *pfd)
{
	struct relay_dir	*d;
	long			 now;
	int			 i, readable, writable, due;

	now = now_ms();
	if (r->linger_at != -1 && now >= r->linger_at) {
		log_verbose(2, "-t ran out after end of input");
		relay_cut(r, "-t ran out after end of input");
		return;
	}
	if (r->idle_ms >= 0 && now - r->last_move >= r->idle_ms) {
		log_verbose(1, "idle for %ld ms (-T): ending session",
		    r->idle_ms);
		relay_cut(r, "-T: idle timeout");
		return;
	}

	for (i = 0; i < 2; i++) {
		d = &r->d[i];
		if (d->done)
			continue;
		readable = d->rslot != -1 && pfd[d->rslot].revents != 0;
		writable = d->wslot != -1 && pfd[d->wslot].revents != 0;
#ifdef HAVE_SPLICE
		if (d->direct) {
			if (relay_splice_direct(r, d, readable, writable))
				continue;
			/* Refused before any byte: copy instead. */
			d->direct = 0;
			d->size = d->chunk = relay_bufsize();
		}
		if (d->pipe[0] != -1) {
			if (relay_splice(r, d, readable, writable))
				continue;
			relay_splice_fallback(d);
		}
#endif
		due = d->src->wake_at != -1 && now >= d->src->wake_at;
		if (d->rslot != -1 && (readable || due ||
		    d->src->ops->pending(d->src) > 0))
			relay_read(r, d);
		/* Fresh data is written at once: saves a poll. */
		if (!d->done && d->len > 0 && (writable || d->wslot == -1))
			relay_write(r, d);
	}
}

/*
 * The session is over (or is being abandoned): free its buffers and
 * splice pipes, fill st (bytes delivered per direction, duration in ms)
 * and return its status: 0, or an EXIT_* status: EXIT_LOST when bytes
 * read were not delivered (peer reset, a timer or a signal cut it), else
 * the status of the first endpoint error (whose reason was printed).
 */
int
relay_end(struct relay *r, struct relay_stats *st)
{
	int	i;

	for (i = 0; i < 2; i++) {
		st->bytes[i] = r->d[i].bytes;
		relay_buf_put(&r->d[i]);
#ifdef HAVE_SPLICE
		relay_splice_close(&r->d[i]);
#endif
	}
	st->ms = now_ms() - r->start;
	return r->status;
}

/*
 * Relay between ep1 (ADDRESS1) and ep2 (ADDRESS2) with ppoll(2) until both
 * directions are finished, -t runs out after the first end of input, -T
 * finds no byte moved for that long, or SIGINT/SIGTERM arrive (sig_term):
 * the single-session driver of relay_init/relay_poll/relay_step. The
 * endpoints stay open; the caller closes them. Fills st; returns what
 * relay_end() returns.
 */
int
relay_run(struct endpoint *ep1, struct endpoint *ep2, struct relay_stats *st)
{
	struct relay	 r;
	struct pollfd	 pfd[RELAY_NFDS];
	struct timespec	 ts, *tsp;
	long		 wait;
	int		 n;

	relay_init(&r, ep1, ep2, 0);
	while (!relay_done(&r)) {
		if (sig_term) {
			relay_cut(&r, strsignal(sig_term));
			break;
		}
		n = relay_poll(&r, pfd, &wait);
		tsp = NULL;
		if (wait >= 0) {
			ts.tv_sec = wait / 1000;
			ts.tv_nsec = (wait % 1000) * 1000000;
			tsp = &ts;
		}
		if (ppoll(pfd, (nfds_t)n, tsp, signals_pollmask()) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			warn("poll");
			relay_set_status(&r, EXIT_RUNTIME);
			break;
		}
		relay_step(&r, pfd);
	}
	n = relay_end(&r, st);
	relay_pool_trim();
	return n;
}
