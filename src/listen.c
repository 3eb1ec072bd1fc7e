/* listen.c: listeners: accept one connection, or fork a child for each. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/* Pause after running out of descriptors before accepting again, ms. */
#define LISTEN_EMFILE_PAUSE	100
/* How long the parent waits for its children after SIGINT/SIGTERM, ms. */
#define LISTEN_TERM_WAIT	2000
/* Most "refused" lines (allow=) printed per second; the rest are counted. */
#define LISTEN_REFUSED_LINES	10

volatile sig_atomic_t sig_child;

/* The refused peers of this process's listener, for the rate limit. */
static struct {
	const char	*text;		/* the listener's address */
	long		 second;	/* now_ms() / 1000 of the last refusal */
	unsigned	 lines;		/* lines printed in that second */
	unsigned long	 hidden;	/* refusals not printed, not yet told */
} listen_refused;

/*
 * -v: "listening on ADDR:PORT" (or the socket path) with the address the
 * kernel really bound, so port 0 shows the port it picked.
 */
void
listen_log(const struct listener *l)
{
	char	buf[160];

	log_verbose(1, "listening on %s", log_sockaddr(
	    (const struct sockaddr *)&l->local, l->locallen, buf,
	    sizeof(buf)));
}

/* Say how many refused peers went unprinted, if any. */
static void
listen_refused_flush(void)
{
	if (listen_refused.hidden == 0)
		return;
	warnx("%s: %lu more peers refused, not in the allow= list (at most "
	    "%d lines a second)", listen_refused.text, listen_refused.hidden,
	    LISTEN_REFUSED_LINES);
	listen_refused.hidden = 0;
}

/*
 * Whether the peer sa (salen bytes) of listener l is refused: outside
 * allow=, range=, sourceport= or lowport= (opts_peer_ok()). A refused peer
 * is a security event, so it is logged whatever -v says (as sshd and ncat
 * --allow do), one line: "sockcat: ADDR: refused PEER: not in the allow=
 * list" (peer as log_sockaddr() prints it, then the reason); a flood
 * cannot fill a disk: past LISTEN_REFUSED_LINES in a second, refusals are
 * only counted, and the count is printed at the next second's first
 * refusal or when the listener closes. Unix listeners have none of these
 * options. Returns 1 if refused.
 */
int
listen_refuse(const struct addr *a, const struct listener *l,
    const struct sockaddr *sa, socklen_t salen, const char *peer)
{
	long	second = now_ms() / 1000;
	char	why[128];

	if (l->family == AF_UNIX || opts_peer_ok(a, sa, salen, why,
	    sizeof(why)))
		return 0;
	if (second != listen_refused.second) {
		listen_refused_flush();
		listen_refused.second = second;
		listen_refused.lines = 0;
	}
	listen_refused.text = a->text;
	if (listen_refused.lines < LISTEN_REFUSED_LINES) {
		listen_refused.lines++;
		warnx("%s: refused %s: %s", a->text, peer, why);
	} else
		listen_refused.hidden++;
	return 1;
}

/*
 * Close the listening socket of l and remove its file (unix-listen);
 * print the count of refused peers not yet told. No return value.
 */
void
listen_close(struct listener *l)
{
	listen_refused_flush();
	if (l->fd != -1)
		close(l->fd);
	l->fd = -1;
	if (l->unlink_path != NULL) {
		unlink(l->unlink_path);
		free(l->unlink_path);
		l->unlink_path = NULL;
	}
}

/*
 * Close a refused peer's socket fd with a FIN, not a reset: what it sent
 * already is read and dropped first (close(2) with unread input resets),
 * so the peer sees an orderly end of input.
 */
void
listen_close_refused(int fd)
{
	char	buf[4096];

	shutdown(fd, SHUT_WR);
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	close(fd);
}

/*
 * Sleep for ms milliseconds (-1: without limit), or until a signal that
 * signals_defer() holds back arrives (SIGCHLD, SIGINT, SIGTERM). No
 * return value.
 */
void
listen_pause(long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	ppoll(NULL, 0, ms < 0 ? NULL : &ts, signals_pollmask());
}

/*
 * Wait for the next peer of l, until deadline (now_ms clock, or -1):
 * accept4(2) on a stream or seqpacket listener (datagram listeners go
 * through listen_dgram_*). Peers outside allow=, range=, sourceport= or
 * lowport are closed and logged. Returns the connected socket, -1 to try
 * again (EINTR, a refused peer, no descriptors left; with -s also an
 * accept error), -2 after a fatal error message, or -3 when the deadline
 * (accept-timeout=) has passed.
 */
static int
listen_next(const struct addr *a, struct listener *l, long deadline)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	struct pollfd		 pfd;
	struct timespec		 ts;
	char			 peer[160], local[160];
	long			 left;
	int			 fd, n;
	static long		 emfile_logged = -1000000;

	pfd.fd = l->fd;
	pfd.events = POLLIN;
	if (deadline != -1) {
		left = deadline - now_ms();
		if (left < 0)
			left = 0;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
	}
	n = ppoll(&pfd, 1, deadline != -1 ? &ts : NULL, signals_pollmask());
	if (n == -1) {
		if (errno == EINTR)
			return -1;
		warn("%s: poll", a->text);
		return -2;
	}
	if (n == 0 && deadline != -1 && now_ms() >= deadline)
		return -3;	/* accept-timeout ran out */
	fd = accept4(l->fd, (struct sockaddr *)&ss, &sslen,
	    SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd == -1) {
		switch (errno) {
		case EINTR:
		case EAGAIN:
		case ECONNABORTED:
		case EPROTO:
			return -1;
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			/* Log once a second, slow down, never spin. */
			if (now_ms() - emfile_logged >= 1000) {
				warn("%s: accept", a->text);
				emfile_logged = now_ms();
			}
			listen_pause(LISTEN_EMFILE_PAUSE);
			return -1;
		default:
			warn("%s: accept", a->text);
			if (cfg.sloppy) {
				/* -s: a fork listener keeps serving. */
				listen_pause(LISTEN_EMFILE_PAUSE);
				return -1;
			}
			return -2;
		}
	}
	log_sockaddr((struct sockaddr *)&ss, sslen, peer, sizeof(peer));
	if (listen_refuse(a, l, (struct sockaddr *)&ss, sslen, peer)) {
		listen_close_refused(fd);
		return -1;
	}
	log_verbose(1, "accepted %s on %s", peer, log_sockaddr(
	    (struct sockaddr *)&l->local, l->locallen, local, sizeof(local)));
	return fd;
}

/*
 * Turn an accepted socket into endpoint 1 of a session, with the
 * address's layers on top (TLS for tls-listen, the proxy servers), their
 * handshakes done, and the peer a proxy server's client asked for open
 * (session_handshake()). Returns 0 or an EXIT_* status after a message.
 */
static int
listen_endpoint(const struct addr *a, int fd, struct endpoint *ep)
{
	int	r;

	if ((r = ep_socket_endpoint(a, fd, ep)) != 0)
		return r;
	if ((r = session_layers(a, ep, 1)) != 0)
		return r;
	return session_handshake(ep, -1);
}

/*
 * A listener as one side of a single session (no fork): listen, take the
 * first peer, stop listening. A WebSocket listener takes the first peer
 * whose handshake succeeds: one it refused (an HTTP error: a plain GET,
 * a wrong path= or origin=) or that failed is logged and the next one
 * taken (SPEC section 8: the listener keeps serving). Fills ep. Returns
 * 0, EXIT_NOSESSION when accept-timeout= ran out first, or an EXIT_*
 * status after a message.
 */
int
listen_accept_one(const struct addr *a, struct endpoint *ep)
{
	struct listener	l;
	long		deadline = -1;
	int		r, fd;

	memset(&l, 0, sizeof(l));
	l.fd = -1;
	/* SIGINT/SIGTERM while waiting: remove the socket file, then die. */
	signals_defer(1);
	if ((r = a->type->listen(a, &l)) != 0) {
		signals_defer(0);
		return r;
	}
	/* Datagram peers are told apart by their address. */
	if (l.socktype == SOCK_DGRAM) {
		r = listen_dgram_accept_one(a, &l, ep);
		signals_defer(0);
		return r;
	}
	if (opts_isset(&a->opts, OPT_ACCEPT_TIMEOUT))
		deadline = now_ms() + a->opts.accept_timeout_ms;
	while ((fd = listen_next(a, &l, deadline)) == -1 && !sig_term)
		;
	while ((a->type->groups & G_WSLISTEN) && fd >= 0) {
		if ((r = listen_endpoint(a, fd, ep)) == 0 || sig_term) {
			listen_close(&l);
			signals_defer(0);
			return r;
		}
		while ((fd = listen_next(a, &l, deadline)) == -1 && !sig_term)
			;
	}
	listen_close(&l);
	signals_defer(0);
	if (fd == -3) {
		/* socat ends without a session, and with status 0. */
		log_verbose(1, "%s: accept-timeout: no peer came", a->text);
		return EXIT_NOSESSION;
	}
	if (fd == -2)
		return EXIT_RUNTIME;
	if (fd == -1)
		return EXIT_RUNTIME;	/* interrupted by a signal */
	return listen_endpoint(a, fd, ep);
}

/* SIGCHLD: only note it; the accept loop reaps. */
static void
listen_sigchld(__unused int sig)
{
	sig_child = 1;
}

/* Note the new child pid in c, to reap it and pass signals on to it. */
void
listen_children_add(struct listen_children *c, pid_t pid)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->pid = xreallocarray(c->pid, c->cap, sizeof(*c->pid));
	}
	c->pid[c->n++] = pid;
	log_verbose(2, "child %ld started", (long)pid);
}

/*
 * Reap every finished child with waitpid(2), WNOHANG, and take it out of
 * c; clears sig_child. No return value.
 */
void
listen_reap(struct listen_children *c)
{
	pid_t	pid;
	size_t	i;
	int	status;

	sig_child = 0;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < c->n; i++)
			if (c->pid[i] == pid) {
				c->pid[i] = c->pid[--c->n];
				break;
			}
		log_verbose(2, "child %ld ended", (long)pid);
	}
}

/* Pass SIGINT/SIGTERM on to every child and wait for them, bounded. */
static void
listen_stop_children(struct listen_children *c, int sig)
{
	long	until = now_ms() + LISTEN_TERM_WAIT;
	size_t	i;

	for (i = 0; i < c->n; i++)
		kill(c->pid[i], sig);
	while (c->n > 0 && now_ms() < until) {
		listen_reap(c);
		if (c->n > 0)
			listen_pause(20);
	}
	for (i = 0; i < c->n; i++)
		kill(c->pid[i], SIGKILL);
	while (c->n > 0 && waitpid(-1, NULL, 0) > 0)
		listen_reap(c);
}

/*
 * The child side of a fork listener: run session number id on the
 * accepted socket fd and exit with its status; with first (the listener is
 * ADDRESS2), the session is between first, opened by the parent, and the
 * peer. Never returns.
 */
static __dead void
listen_child(const struct addr *a1, const struct addr *a2, int fd,
    uint64_t id, struct endpoint *first)
{
	struct endpoint	ep;
	int		r;

	log_set_session(fd, id);
	signal(SIGCHLD, SIG_DFL);
	signals_defer(0);
	r = listen_endpoint(a1, fd, &ep);
	if (r == 0 && first != NULL)
		r = session_relay(first, &ep);
	else if (r == 0)
		r = session_run(&ep, a2);
	fflush(NULL);
	_exit(r);
}

/*
 * A listener with fork as ADDRESS1 (a1): accept every peer and serve each
 * in its own child, which opens ADDRESS2 (a2) and relays; the parent never
 * touches ADDRESS2. Sessions that need no process of their own (no
 * program, no file: loop_eligible) are served by the event loop instead
 * (loop.c). With first (socat's fork on the second address), a1 is the
 * listener of ADDRESS2 and each child relays between first, ADDRESS1
 * opened once by the caller and shared by the children, and its peer.
 * max-children=N stops accepting while N children run (the rest wait in
 * the backlog); children are reaped as they end; SIGINT/SIGTERM stop
 * accepting and are passed on to the children; accept-timeout= stops
 * accepting when no peer came for that long (status 0). Returns 0 then,
 * or on a fatal listener error an EXIT_* status; a signal ends the program
 * by that signal once the children are gone.
 */
int
listen_run(const struct addr *a1, const struct addr *a2,
    struct endpoint *first)
{
	struct listen_children	 c;
	struct listener		 l;
	struct sigaction	 sa;
	pid_t			 pid;
	long			 deadline = -1;
	int			 r, fd;

	memset(&l, 0, sizeof(l));
	memset(&c, 0, sizeof(c));
	l.fd = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = listen_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	signals_defer(1);
	if ((r = a1->type->listen(a1, &l)) != 0)
		return r;

	r = 0;
	if (l.socktype == SOCK_DGRAM) {
		/* Datagram peers are told apart by their address. */
		r = listen_dgram_run(a1, a2, &l, &c, first);
		goto done;
	}
	log_started();
	if (first == NULL && (loop_eligible(a1, a2) || a1->opts.broker ||
	    a1->opts.chat)) {
		/* No program or file: every session in one event loop. */
		r = loop_run(a1, a2, &l);
		goto done;
	}
	while (!sig_term) {
		if (sig_child)
			listen_reap(&c);
		if (a1->opts.max_children > 0 &&
		    c.n >= a1->opts.max_children) {
			listen_pause(-1);	/* until SIGCHLD */
			continue;
		}
		if (opts_isset(&a1->opts, OPT_ACCEPT_TIMEOUT))
			deadline = now_ms() + a1->opts.accept_timeout_ms;
		fd = listen_next(a1, &l, deadline);
		if (fd == -1)
			continue;
		if (fd == -3) {
			/* No new peer for accept-timeout: stop listening. */
			log_verbose(1, "%s: accept-timeout: no more peers",
			    a1->text);
			listen_close(&l);
			while (c.n > 0 && waitpid(-1, NULL, 0) > 0)
				listen_reap(&c);
			break;
		}
		if (fd == -2) {
			r = EXIT_RUNTIME;
			break;
		}
		fflush(NULL);	/* no buffered output written twice */
		c.started++;
		pid = fork();
		if (pid == 0) {
			if (l.fd != -1)
				close(l.fd);
			free(l.unlink_path);
			free(c.pid);
			listen_child(a1, a2, fd, c.started, first);
		}
		if (pid == -1)
			warn("%s: fork", a1->text);
		else
			listen_children_add(&c, pid);
		close(fd);
	}
done:
	listen_close(&l);
	if (sig_term)
		listen_stop_children(&c, sig_term);
	free(c.pid);
	return r;
}

/*
 * A client with fork as ADDRESS1 (socat's fork on a connecting address):
 * connect, serve the connection in a child (which puts the address's
 * layers on, TLS, and opens ADDRESS2), and connect again, as long as the
 * connects succeed (retry=, interval=, forever apply to each). The parent
 * only connects: it closes its copy of each socket unused. max-children=N
 * waits while N children run. Returns the status of the connect that
 * failed once the children have ended, or when SIGINT/SIGTERM came, ends
 * the program by that signal after passing it on.
 */
int
listen_connect_run(const struct addr *a1, const struct addr *a2)
{
	struct listen_children	 c;
	struct sigaction	 sa;
	struct endpoint		 ep;
	pid_t			 pid;
	long			 deadline;
	int			 r;

	memset(&c, 0, sizeof(c));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = listen_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	for (;;) {
		if (sig_child)
			listen_reap(&c);
		if (a1->opts.max_children > 0 &&
		    c.n >= a1->opts.max_children) {
			signals_defer(1);
			listen_pause(-1);	/* until SIGCHLD */
			signals_defer(0);
			continue;
		}
		/*
		 * Connect here, so that a refused connect ends the loop (as
		 * socat's does); the TLS handshake is the child's.
		 */
		deadline = -1;
		if (opts_isset(&a1->opts, OPT_CONNECT_TIMEOUT))
			deadline = now_ms() + a1->opts.connect_timeout_ms;
		if ((r = a1->type->open(a1, NULL, &ep)) != 0)
			break;
		if ((r = layer_wait(&ep, deadline)) != 0) {
			ep.ops->close(&ep);
			break;
		}
		fflush(NULL);	/* no buffered output written twice */
		pid = fork();
		if (pid == 0) {
			free(c.pid);
			signal(SIGCHLD, SIG_DFL);
			if ((r = session_layers(a1, &ep, 0)) == 0 &&
			    (r = layer_wait(&ep, -1)) != 0)
				ep.ops->close(&ep);
			if (r == 0)
				r = session_run(&ep, a2);
			fflush(NULL);
			_exit(r);
		}
		if (pid == -1)
			warn("%s: fork", a1->text);
		else
			listen_children_add(&c, pid);
		/* The child has the connection; no half-close from here. */
		close(ep.rfd);
		if (ep.wfd != ep.rfd)
			close(ep.wfd);
	}
	signals_defer(1);
	while (c.n > 0 && !sig_term) {
		listen_reap(&c);
		if (c.n > 0)
			listen_pause(20);
	}
	if (sig_term)
		listen_stop_children(&c, sig_term);
	free(c.pid);
	return r;
}
