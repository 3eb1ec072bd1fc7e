/* ep-fd.c: endpoint operations shared by every plain descriptor. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/sockios.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

/*
 * How long a lingering close may wait, ms, and its poll step. close(2) on a
 * socket with unread input sends a RST, and the peer may then lose what it
 * had not read yet, so the close of a half-closed socket first discards
 * input until the peer closes or all we sent is acknowledged.
 */
#define EP_LINGER_MS		5000
#define EP_LINGER_STEP_MS	20

int	ep_close_nowait;

const struct ep_ops fd_ops = {
	.name = "descriptor",
	.read = ep_fd_read,
	.write = ep_fd_write,
	.shutdown_wr = ep_fd_shutdown_wr,
	.pending = ep_fd_pending,
	.close = ep_fd_close,
};

/*
 * Fill in an endpoint: name is the address text used in messages, rfd and
 * wfd the descriptors to poll for input and output (the same for sockets),
 * flags the EP_* bits and ops its operations. No return value.
 */
void
ep_init(struct endpoint *ep, const char *name, int rfd, int wfd, int flags,
    const struct ep_ops *ops)
{
	memset(ep, 0, sizeof(*ep));
	ep->name = name;
	ep->rfd = rfd;
	ep->wfd = wfd;
	ep->flags = flags;
	ep->ops = ops;
	ep->pid = -1;
	ep->ready = ops->handshake == NULL;
	ep->wake_at = -1;
	ep->deadline = -1;
}

/*
 * read(2) up to len bytes from ep->rfd. Returns the bytes read, 0 at end of
 * input, EP_WANT_READ when nothing is there yet (EAGAIN), or EP_ERROR with
 * errno set. EINTR is retried, never reported.
 */
ssize_t
ep_fd_read(struct endpoint *ep, void *buf, size_t len)
{
	ssize_t	n;

	for (;;) {
		n = read(ep->rfd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return EP_WANT_READ;
		return EP_ERROR;
	}
}

/*
 * write(2) up to len bytes to ep->wfd. Returns the bytes written (possibly
 * fewer than len), EP_WANT_WRITE when the descriptor is full (EAGAIN), or
 * EP_ERROR with errno set (EPIPE, ECONNRESET, ENOSPC, ...).
 */
ssize_t
ep_fd_write(struct endpoint *ep, const void *buf, size_t len)
{
	ssize_t	n;

	for (;;) {
		n = write(ep->wfd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return EP_WANT_WRITE;
		return EP_ERROR;
	}
}

/*
 * Half-close: shutdown(SHUT_WR) on a socket; on a separate write descriptor
 * (a pipe to a program) close it so the reader sees end of input; nothing on
 * a file read and written through one descriptor. Returns 0, or -1 with
 * errno from shutdown(2).
 */
int
ep_fd_shutdown_wr(struct endpoint *ep)
{
	if (ep->wfd == -1)
		return 0;
	if (ep->flags & EP_SOCKET) {
		ep->wr_shut = 1;
		/* The peer may already be gone; that is not our error. */
		if (shutdown(ep->wfd, SHUT_WR) == -1 && errno != ENOTCONN)
			return -1;
		return 0;
	}
	if (ep->wfd != ep->rfd) {
		close(ep->wfd);
		ep->wfd = -1;
	}
	return 0;
}

/* Plain descriptors hold no data of their own: always 0 bytes. */
size_t
ep_fd_pending(__unused struct endpoint *ep)
{
	return 0;
}

/*
 * Close the endpoint's descriptors (once each) and reap its child program,
 * if any. The child's stdin closes first; its stdout stays open for a
 * grace period, so a program still writing output nobody reads (-u) is not
 * killed by SIGPIPE before it has consumed its input. A child still running
 * after that gets SIGPIPE's chance, then SIGTERM, then SIGKILL, so nothing
 * the session started outlives it.
 */
void
ep_fd_close(struct endpoint *ep)
{
	int	saved = errno, status, i;
	pid_t	r;

	if (ep->wr_shut && (ep->flags & EP_SOCKET) &&
	    !(ep->flags & EP_CONNLESS))
		ep_linger(ep->rfd, NULL, NULL);
	if (ep->wfd != -1 && ep->wfd != ep->rfd)
		close(ep->wfd);
	ep->wfd = -1;
	if (ep->pid > 0) {
		/* 1 ms steps at first, 20 ms later; 0.2 s, 0.4 s, 1.4 s. */
		for (i = 0; i < 120; i++) {
			r = waitpid(ep->pid, &status, WNOHANG);
			if (r == ep->pid || (r == -1 && errno != EINTR))
				break;
			if (i == 60 && ep->rfd != -1) {
				close(ep->rfd);
				ep->rfd = -1;
			}
			if (i == 70)
				kill(ep->pid, SIGTERM);
			if (i == 119)
				kill(ep->pid, SIGKILL);
			usleep(i < 50 ? 1000 : 20000);
		}
		if (i == 120)
			waitpid(ep->pid, &status, 0);
		ep->pid = -1;
	}
	if (ep->rfd != -1)
		close(ep->rfd);
	ep->rfd = -1;
	errno = saved;
}

/*
 * The lingering close of a stream socket fd that was half-closed (see
 * EP_LINGER_MS): discard input until the peer closes, or until the send
 * queue is empty (SIOCOUTQ, tcp(7)), at most EP_LINGER_MS or until
 * SIGINT/SIGTERM. flush, when not NULL, runs each round and returns 1 while
 * it still has output queued (a TLS close_notify that found the socket
 * full). With ep_close_nowait set (the event loop, which lingers
 * without blocking itself) it only flushes once. The caller closes fd
 * afterwards.
 */
void
ep_linger(int fd, int (*flush)(void *), void *arg)
{
	struct pollfd	pfd;
	char		buf[4096];
	long		deadline = now_ms() + EP_LINGER_MS, left;
	ssize_t		n;
	int		more, unacked;

	while ((left = deadline - now_ms()) > 0 && !sig_term) {
		more = flush != NULL ? flush(arg) : 0;
		/* The event loop lingers itself: one look, no wait. */
		if (ep_close_nowait)
			return;
		while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR))
			return;		/* the peer closed, or is gone */
		if (!more && (ioctl(fd, SIOCOUTQ, &unacked) == -1 ||
		    unacked == 0))
			return;		/* nothing of ours left to lose */
		pfd.fd = fd;
		pfd.events = more ? POLLIN | POLLOUT : POLLIN;
		poll(&pfd, 1, (int)(left < EP_LINGER_STEP_MS ? left :
		    EP_LINGER_STEP_MS));
	}
}

/*
 * Make ep the endpoint of a connected (or accepted) socket fd of address a:
 * non-blocking, the PH_CONNECTED options applied, and the flags its socket
 * type implies (datagram sockets keep message boundaries; UDP and unix
 * datagram sockets have no end of input). Returns 0, or EXIT_RUNTIME after
 * a message (the socket is closed then).
 */
int
ep_socket_endpoint(const struct addr *a, int fd, struct endpoint *ep)
{
	int		type = SOCK_STREAM, flags = EP_SOCKET | EP_PLAIN;
	socklen_t	len = sizeof(type);

	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
	if (type == SOCK_DGRAM || type == SOCK_RAW)
		flags |= EP_DGRAM | EP_CONNLESS;
	else if (type == SOCK_SEQPACKET)
		flags |= EP_DGRAM;
	if (a->opts.crlf)
		flags |= EP_CRLF_BOTH;
	if (set_nonblock(fd, 1) == -1 || opts_apply(fd, a, PH_CONNECTED) ==
	    -1) {
		close(fd);
		return EXIT_RUNTIME;
	}
	ep_init(ep, a->text, fd, fd, flags, &fd_ops);
	return 0;
}
