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

volatile sig_atomic_t sig_child;

/* The fork children of a listener, to reap and to pass signals on to. */
struct listen_children {
	pid_t	*pid;
	size_t	 n;
	size_t	 cap;
};

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

/* Close the listening socket and remove its file (unix-listen). */
static void
listen_close(struct listener *l)
{
	if (l->fd != -1)
		close(l->fd);
	l->fd = -1;
	if (l->unlink_path != NULL) {
		unlink(l->unlink_path);
		free(l->unlink_path);
		l->unlink_path = NULL;
	}
}

/* Sleep for ms milliseconds, or until a deferred signal arrives. */
static void
listen_pause(long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	ppoll(NULL, 0, ms < 0 ? NULL : &ts, signals_pollmask());
}

/*
 * Wait for the next peer of l: accept4(2) on a stream or seqpacket
 * listener; on a datagram listener, peek at the first datagram and connect
 * the socket to its sender (socat's UDP-LISTEN), handing the socket itself
 * over. Peers outside allow= are closed (or their datagram dropped) and
 * logged. Returns the connected socket, -1 to try again (EINTR, a refused
 * peer, no descriptors left), or -2 after a fatal error message.
 */
static int
listen_next(const struct addr *a, struct listener *l)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	struct pollfd		 pfd;
	char			 peer[160], local[160], c;
	int			 fd = -1;
	static long		 emfile_logged = -1000000;

	pfd.fd = l->fd;
	pfd.events = POLLIN;
	if (ppoll(&pfd, 1, NULL, signals_pollmask()) == -1) {
		if (errno == EINTR)
			return -1;
		warn("%s: poll", a->text);
		return -2;
	}
	if (l->socktype == SOCK_DGRAM) {
		if (recvfrom(l->fd, &c, 1, MSG_PEEK, (struct sockaddr *)&ss,
		    &sslen) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return -1;
			warn("%s: recvfrom", a->text);
			return -2;
		}
	} else {
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
				return -2;
			}
		}
	}
	log_sockaddr((struct sockaddr *)&ss, sslen, peer, sizeof(peer));
	if (l->family != AF_UNIX &&
	    !opts_cidr_match(&a->opts.allow, (struct sockaddr *)&ss)) {
		log_verbose(1, "refused %s: not in allow=", peer);
		if (l->socktype == SOCK_DGRAM)
			recv(l->fd, &c, 1, 0);	/* drop the datagram */
		else
			close(fd);
		return -1;
	}
	if (l->socktype == SOCK_DGRAM) {
		if (connect(l->fd, (struct sockaddr *)&ss, sslen) == -1) {
			warn("%s: connect to %s", a->text, peer);
			return -2;
		}
		fd = l->fd;
		l->fd = -1;
	}
	log_verbose(1, "accepted %s on %s", peer, log_sockaddr(
	    (struct sockaddr *)&l->local, l->locallen, local, sizeof(local)));
	return fd;
}

/*
 * Turn an accepted socket into endpoint 1 of a session, with TLS on top
 * for tls-listen. Returns 0 or an EXIT_* status after a message.
 */
static int
listen_endpoint(const struct addr *a, int fd, struct endpoint *ep)
{
	int	r;

	if ((r = ep_socket_endpoint(a, fd, ep)) != 0)
		return r;
	if ((a->type->flags & AT_TLS) && (r = tls_attach(ep, a, 1)) != 0) {
		ep->ops->close(ep);
		return r;
	}
	return 0;
}

/*
 * A datagram listener that handed its socket to a session binds a new one
 * to the same address, so the next peer has somewhere to send. Returns 0
 * or -1 after a message.
 */
static int
listen_rebind(const struct addr *a, struct listener *l)
{
	int	fd, on = 1;

	fd = socket(l->family, l->socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    l->protocol);
	if (fd == -1) {
		warn("%s: socket", a->text);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (l->family == AF_INET6) {
		on = a->opts.ipv6only;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	}
	if (opts_apply(fd, a, PH_SOCKET) == -1 ||
	    bind(fd, (struct sockaddr *)&l->local, l->locallen) == -1) {
		warn("%s: bind", a->text);
		close(fd);
		return -1;
	}
	l->fd = fd;
	return 0;
}

/*
 * A listener as one side of a single session (no fork): listen, take the
 * first peer, stop listening. Fills ep. Returns 0, or an EXIT_* status
 * after a message.
 */
int
listen_accept_one(const struct addr *a, struct endpoint *ep)
{
	struct listener	l;
	int		r, fd;

	memset(&l, 0, sizeof(l));
	l.fd = -1;
	if ((r = a->type->listen(a, &l)) != 0)
		return r;
	while ((fd = listen_next(a, &l)) == -1 && !sig_term)
		;
	listen_close(&l);
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

/* Reap every finished child and forget it. */
static void
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
 * The child side of a fork listener: run one session on the accepted
 * socket fd and exit with its status. Never returns.
 */
static __dead void
listen_child(const struct addr *a1, const struct addr *a2, int fd)
{
	struct endpoint	ep;
	int		r;

	log_set_pid((int)getpid());
	signal(SIGCHLD, SIG_DFL);
	signals_defer(0);
	r = listen_endpoint(a1, fd, &ep);
	if (r == 0)
		r = session_run(&ep, a2);
	fflush(NULL);
	_exit(r);
}

/*
 * A listener with fork as ADDRESS1: accept every peer and serve each in its
 * own child, which opens ADDRESS2 and relays; the parent never touches
 * ADDRESS2. max-children=N stops accepting while N children run (the rest
 * wait in the backlog); children are reaped as they end; SIGINT/SIGTERM
 * stop accepting and are passed on to the children. Returns only on a fatal
 * listener error (an EXIT_* status); a signal ends the program by that
 * signal once the children are gone.
 */
int
listen_run(const struct addr *a1, const struct addr *a2)
{
	struct listen_children	 c;
	struct listener		 l;
	struct sigaction	 sa;
	pid_t			 pid;
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
	while (!sig_term) {
		if (sig_child)
			listen_reap(&c);
		if (a1->opts.max_children > 0 &&
		    c.n >= a1->opts.max_children) {
			listen_pause(-1);	/* until SIGCHLD */
			continue;
		}
		if (l.fd == -1 && listen_rebind(a1, &l) == -1) {
			r = EXIT_RUNTIME;
			break;
		}
		fd = listen_next(a1, &l);
		if (fd == -1)
			continue;
		if (fd == -2) {
			r = EXIT_RUNTIME;
			break;
		}
		fflush(NULL);	/* no buffered output written twice */
		pid = fork();
		if (pid == 0) {
			if (l.fd != -1)
				close(l.fd);
			free(l.unlink_path);
			free(c.pid);
			listen_child(a1, a2, fd);
		}
		if (pid == -1)
			warn("%s: fork", a1->text);
		else {
			if (c.n == c.cap) {
				c.cap = c.cap ? c.cap * 2 : 16;
				c.pid = xreallocarray(c.pid, c.cap,
				    sizeof(*c.pid));
			}
			c.pid[c.n++] = pid;
			log_verbose(2, "child %ld started", (long)pid);
		}
		close(fd);
	}
	listen_close(&l);
	if (sig_term)
		listen_stop_children(&c, sig_term);
	free(c.pid);
	return r;
}
