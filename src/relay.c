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

/* One direction of the session: src -> dst through buf. */
struct relay_dir {
	struct endpoint	*src;
	struct endpoint	*dst;
	char		*buf;
	size_t		 size;		/* bytes allocated */
	size_t		 chunk;		/* most bytes one read may take */
	size_t		 off;		/* first byte not yet written */
	size_t		 len;		/* bytes waiting from off */
	int		 eof;		/* src reached end of input */
	int		 done;		/* direction finished */
	int		 rwant;		/* last read result: EP_WANT_* or 0 */
	int		 wwant;		/* last write result: EP_WANT_* or 0 */
	int		 rslot;		/* pollfd index of the read, or -1 */
	int		 wslot;		/* pollfd index of the write, or -1 */
	int		 marker;	/* '>' or '<' for -x */
	uint64_t	 bytes;		/* delivered to dst */
	uint64_t	 readbytes;	/* taken from src, for -x offsets */
#ifdef HAVE_SPLICE
	int		 pipe[2];	/* splice(2) path: src -> pipe -> dst */
	size_t		 inpipe;	/* bytes sitting in the pipe */
	int		 pipefull;	/* the pipe took no more: wait for dst */
	int		 direct;	/* one end is a pipe: splice src -> dst */
	int		 splice;	/* RELAY_SPLICE_* */
	int		 dwait;		/* direct: 0 waits for src, 1 for dst */
#endif
};

struct relay {
	struct relay_dir d[2];
	int		 status;	/* EXIT_* so far */
	long		 linger_at;	/* -t deadline, ms, or -1 */
	long		 idle_ms;	/* -T, ms, or -1 */
	long		 last_move;	/* ms of the last byte moved */
};

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

/* Read once from d's source into the free end of its buffer. */
static void
relay_read(struct relay *r, struct relay_dir *d)
{
	size_t	room, want;
	ssize_t	n;
	char	*p;

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
	if (want == 0)
		return;
	p = d->buf + d->off + d->len;
	n = d->src->ops->read(d->src, p, want);
	d->rwant = 0;
	if (n == EP_WANT_READ || n == EP_WANT_WRITE) {
		d->rwant = (int)n;
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
		log_hexdump(d->marker, p, (size_t)n, d->readbytes);
	d->readbytes += (uint64_t)n;
	if (d->dst->flags & EP_CRLF)
		n = (ssize_t)relay_crlf(p, (size_t)n);
	d->len += (size_t)n;
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
	    !(d->dst->flags & EP_CRLF) && !cfg.hexdump;
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
		free(d->buf);
		d->buf = NULL;
		return;
	}
	if (pipe2(d->pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		d->pipe[0] = d->pipe[1] = -1;
		return;
	}
	free(d->buf);
	d->buf = NULL;
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
 * exit status EXIT_LOST, so a reply is never dropped silently.
 */
static void
relay_cut(struct relay *r, const char *why)
{
	size_t	i, n;

	for (i = 0; i < 2; i++) {
		if (r->d[i].done || (n = relay_inflight(&r->d[i])) == 0)
			continue;
		warnx("%s: %s: %zu bytes not delivered", r->d[i].dst->name,
		    why, n);
		relay_set_status(r, EXIT_LOST);
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

/* Allocate d's buffer; datagram directions hold the largest datagram. */
static void
relay_dir_init(struct relay_dir *d, struct endpoint *src,
    struct endpoint *dst, int marker, int active)
{
	size_t	size = cfg.bufsize ? cfg.bufsize : RELAY_BUFSIZE;

	memset(d, 0, sizeof(*d));
	d->src = src;
	d->dst = dst;
	d->marker = marker;
	d->rslot = d->wslot = -1;
	if (!active || (src->flags & EP_WRONLY) || (dst->flags & EP_RDONLY)) {
		d->done = d->eof = 1;
#ifdef HAVE_SPLICE
		d->pipe[0] = d->pipe[1] = -1;
#endif
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
	d->buf = xmalloc(size);
#ifdef HAVE_SPLICE
	d->pipe[0] = d->pipe[1] = -1;
	if (relay_splice_eligible(d))
		d->splice = RELAY_SPLICE_LATER;
#endif
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
 * Relay between ep1 (ADDRESS1) and ep2 (ADDRESS2) in both directions allowed
 * by cfg.dirs until both are finished, -t (cfg.linger_ms) runs out after the
 * first end of input, -T (cfg.idle_ms) finds no byte moved for that long,
 * or SIGINT/SIGTERM arrive (sig_term). Back-pressure: a direction asks for
 * input only while its buffer has room. End of input is passed on as a
 * half-close. The endpoints stay open; the caller closes them.
 *
 * Fills st (bytes delivered per direction, duration in ms). Returns 0, or an
 * EXIT_* status: EXIT_LOST when bytes read were not delivered (peer reset,
 * or a timer cut the session while data was in flight), else the status of
 * the first endpoint error (whose reason is printed on stderr).
 */
int
relay_run(struct endpoint *ep1, struct endpoint *ep2, struct relay_stats *st)
{
	struct relay		 r;
	struct relay_dir	*d;
	struct pollfd		 pfd[4];
	struct timespec		 ts, *tsp;
	long			 start, now, wait, t;
	int			 i, n, nready, ready, readable, writable;
	short			 ev;

	memset(&r, 0, sizeof(r));
	relay_dir_init(&r.d[0], ep1, ep2, '>', cfg.dirs & DIR_FWD);
	relay_dir_init(&r.d[1], ep2, ep1, '<', cfg.dirs & DIR_REV);
	r.linger_at = -1;
	r.idle_ms = cfg.idle_ms;
	start = r.last_move = now_ms();

	while (!(r.d[0].done && r.d[1].done)) {
		if (sig_term) {
			relay_cut(&r, strsignal(sig_term));
			break;
		}
		n = 0;
		ready = 0;
		for (i = 0; i < 2; i++) {
			d = &r.d[i];
			d->rslot = d->wslot = -1;
			if (d->done)
				continue;
#ifdef HAVE_SPLICE
			if (d->splice == RELAY_SPLICE_NOW && d->len == 0 &&
			    !d->eof)
				relay_splice_start(d);
			if (d->direct) {
				if (d->dwait == 0)
					d->rslot = relay_slot(pfd, &n,
					    d->src->rfd, POLLIN);
				else
					d->wslot = relay_slot(pfd, &n,
					    d->dst->wfd, POLLOUT);
				continue;
			}
			if (d->pipe[0] != -1) {
				if (!d->eof && d->inpipe < d->size &&
				    !d->pipefull)
					d->rslot = relay_slot(pfd, &n,
					    d->src->rfd, POLLIN);
				if (d->inpipe > 0)
					d->wslot = relay_slot(pfd, &n,
					    d->dst->wfd, POLLOUT);
				continue;
			}
#endif
			/*
			 * Back-pressure: ask for input only while the buffer
			 * has room (for crlf, room for the CR too); a
			 * datagram direction holds one datagram at a time.
			 */
			if (!d->eof && d->size - d->len >=
			    ((d->dst->flags & EP_CRLF) ? 2 : 1) &&
			    (d->len == 0 || !(d->src->flags & EP_DGRAM)) &&
			    !relay_splice_due(d)) {
				/* Data the layer already holds needs no poll. */
				if (d->src->ops->pending(d->src) > 0)
					ready = 1;
				ev = d->rwant == EP_WANT_WRITE ? POLLOUT :
				    POLLIN;
				d->rslot = relay_slot(pfd, &n, ev == POLLOUT ?
				    d->src->wfd : d->src->rfd, ev);
			}
			if (d->len > 0) {
				ev = d->wwant == EP_WANT_READ ? POLLIN :
				    POLLOUT;
				d->wslot = relay_slot(pfd, &n, ev == POLLIN ?
				    d->dst->rfd : d->dst->wfd, ev);
			}
		}

		now = now_ms();
		wait = relay_until(r.linger_at, now);
		if (r.idle_ms >= 0) {
			t = relay_until(r.last_move + r.idle_ms, now);
			if (wait == -1 || t < wait)
				wait = t;
		}
		if (ready)
			wait = 0;
		tsp = NULL;
		if (wait >= 0) {
			ts.tv_sec = wait / 1000;
			ts.tv_nsec = (wait % 1000) * 1000000;
			tsp = &ts;
		}
		nready = ppoll(pfd, (nfds_t)n, tsp, signals_pollmask());
		if (nready == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			warn("poll");
			relay_set_status(&r, EXIT_RUNTIME);
			break;
		}

		now = now_ms();
		if (r.linger_at != -1 && now >= r.linger_at) {
			log_verbose(2, "-t ran out after end of input");
			relay_cut(&r, "-t ran out after end of input");
			break;
		}
		if (r.idle_ms >= 0 && now - r.last_move >= r.idle_ms) {
			log_verbose(1, "idle for %ld ms (-T): ending session",
			    r.idle_ms);
			relay_cut(&r, "-T: idle timeout");
			break;
		}

		for (i = 0; i < 2; i++) {
			d = &r.d[i];
			if (d->done)
				continue;
			readable = d->rslot != -1 &&
			    pfd[d->rslot].revents != 0;
			writable = d->wslot != -1 &&
			    pfd[d->wslot].revents != 0;
#ifdef HAVE_SPLICE
			if (d->direct) {
				if (relay_splice_direct(&r, d, readable,
				    writable))
					continue;
				/* Refused before any byte: copy instead. */
				d->direct = 0;
				d->size = d->chunk = cfg.bufsize ?
				    cfg.bufsize : RELAY_BUFSIZE;
				d->buf = xmalloc(d->size);
			}
			if (d->pipe[0] != -1) {
				if (relay_splice(&r, d, readable, writable))
					continue;
				relay_splice_fallback(d);
			}
#endif
			if (d->rslot != -1 && (readable ||
			    d->src->ops->pending(d->src) > 0))
				relay_read(&r, d);
			/* Fresh data is written at once: saves a poll. */
			if (!d->done && d->len > 0 && (writable ||
			    d->wslot == -1))
				relay_write(&r, d);
		}
	}

	for (i = 0; i < 2; i++) {
		st->bytes[i] = r.d[i].bytes;
		free(r.d[i].buf);
#ifdef HAVE_SPLICE
		relay_splice_close(&r.d[i]);
#endif
	}
	st->ms = now_ms() - start;
	return r.status;
}
