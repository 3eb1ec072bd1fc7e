/* ep-fd.c: endpoint operations shared by every plain descriptor. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sockcat.h"

const struct ep_ops fd_ops = {
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
 * if any: a child still running shortly after its pipes are closed gets
 * SIGTERM, then SIGKILL, so nothing the session started outlives it.
 */
void
ep_fd_close(struct endpoint *ep)
{
	int	saved = errno, status, i;
	pid_t	r;

	if (ep->wfd != -1 && ep->wfd != ep->rfd)
		close(ep->wfd);
	if (ep->rfd != -1)
		close(ep->rfd);
	ep->rfd = ep->wfd = -1;
	if (ep->pid > 0) {
		/* 20 ms steps: 200 ms of grace, SIGTERM, 1 s more, SIGKILL. */
		for (i = 0; i < 70; i++) {
			r = waitpid(ep->pid, &status, WNOHANG);
			if (r == ep->pid || (r == -1 && errno != EINTR))
				break;
			if (i == 10)
				kill(ep->pid, SIGTERM);
			if (i == 60)
				kill(ep->pid, SIGKILL);
			usleep(20000);
		}
		if (i == 70)
			waitpid(ep->pid, &status, 0);
		ep->pid = -1;
	}
	errno = saved;
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
		flags |= EP_CRLF;
	if (set_nonblock(fd, 1) == -1 || opts_apply(fd, a, PH_CONNECTED) ==
	    -1) {
		close(fd);
		return EXIT_RUNTIME;
	}
	ep_init(ep, a->text, fd, fd, flags, &fd_ops);
	return 0;
}
