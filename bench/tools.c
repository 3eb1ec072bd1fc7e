/* tools.c: sources, sinks and clients for the sockcat benchmark (bench/run). */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

/*
 * One binary, one mode per benchmark role. Listeners take tcp:HOST:0 (the
 * kernel picks the port) or unix:PATH and print "port N" on stdout before
 * they accept; results come as one "result ..." line on stdout. Every mode
 * exits non-zero with a message on stderr when a byte count is wrong.
 *
 *   tools freeport                    a free TCP port on 127.0.0.1
 *   tools waitlisten tcp PORT MS      wait until something listens on PORT
 *   tools waitlisten unix PATH MS     (read from /proc/net: never connects)
 *   tools sink SPEC N                 listen (or "-": stdin), take N bytes,
 *                                     print "result BYTES SECONDS"
 *   tools source SPEC N               connect (or "-": stdout), send N bytes,
 *                                     half-close, wait for the peer's EOF
 *   tools source-listen SPEC N        the same, as a one-shot listener
 *   tools tls-source SPEC N CIPHER    TLS client (verify off) sending N bytes
 *   tools echo SPEC                   echo server (epoll), runs until killed
 *   tools pingpong SPEC COUNT SIZE    round trips, "result COUNT USEC_PER_RT"
 *   tools ws-pingpong SPEC COUNT SIZE the same with WebSocket text
 *                                     messages (a masked frame out, the
 *                                     echoed frame back)
 *   tools shortconn SPEC K CONC       K connections (1 byte each way, close),
 *                                     CONC at a time, "result K CONN_PER_S"
 *   tools splice-relay LSPEC CSPEC    minimal splice(2) relay (the ceiling)
 *   tools spawnloop N [-s BYTES] -- CMD ARGS
 *                                     run CMD N times with "x\n" (or BYTES
 *                                     bytes ending in "\n") on stdin, check
 *                                     it echoes them back,
 *                                     "result N MS_PER_SESSION"
 *   tools socks5-rtt SPEC DELAY_MS    one-shot SOCKS5 server (no auth) that
 *                                     answers each message DELAY_MS late and
 *                                     counts the round trips its client
 *                                     waited for before the first data
 *                                     byte; echoes the data, "result RTTS"
 *
 * Environment: TOOLS_SINK_ZC=0 makes the sink read(2) instead of splice(2)
 * into /dev/null; TOOLS_SOURCE_ZC=0/1 makes the source write(2) or
 * vmsplice(2) (default: vmsplice into a pipe, write to a socket). The
 * defaults were the fastest on the reference machine (bench/README.md), so
 * that neither end limits the relay under test.
 */

#define _GNU_SOURCE

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define CHUNK		(1024 * 1024)	/* bytes per write/splice call */
#define PIPE_SIZE	(1024 * 1024)	/* wanted size of our own pipes */
#define ECHO_BUF	65536

extern char **environ;

static char	*chunkbuf;

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long
parse_num(const char *s, const char *what)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		errx(2, "bad %s: %s", what, s);
	return v;
}

/* Is zero-copy wanted for this role? env: "0" no, "1" yes, unset: dflt. */
static int
use_zc(const char *env, int dflt)
{
	const char	*e = getenv(env);

	if (e == NULL || *e == '\0')
		return dflt;
	return strcmp(e, "0") != 0;
}

static void
fill_chunk(void)
{
	size_t	i;

	/* Page aligned, so vmsplice(2) hands whole pages to the pipe. */
	if (posix_memalign((void **)&chunkbuf, 4096, CHUNK) != 0)
		errx(1, "out of memory");
	for (i = 0; i < CHUNK; i++)
		chunkbuf[i] = (char)('a' + i % 26);
}

/* Split "tcp:HOST:PORT" into host and port; returns 0, or -1 if not tcp. */
static int
spec_tcp(const char *spec, char *host, size_t hostlen, int *port)
{
	const char	*h, *c;

	if (strncmp(spec, "tcp:", 4) != 0)
		return -1;
	h = spec + 4;
	if ((c = strrchr(h, ':')) == NULL || (size_t)(c - h) >= hostlen)
		errx(2, "bad address: %s", spec);
	memcpy(host, h, (size_t)(c - h));
	host[c - h] = '\0';
	*port = (int)parse_num(c + 1, "port");
	return 0;
}

static void
spec_unix(const char *spec, struct sockaddr_un *sun)
{
	if (strncmp(spec, "unix:", 5) != 0)
		errx(2, "bad address (tcp:HOST:PORT or unix:PATH): %s", spec);
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(spec + 5) >= sizeof(sun->sun_path))
		errx(2, "path too long: %s", spec);
	memcpy(sun->sun_path, spec + 5, strlen(spec + 5));
}

static void
inet_addr_of(const char *host, int port, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		errx(2, "not an IPv4 literal: %s", host);
}

/* Listen on spec; prints "port N" (tcp) or "port 0" (unix) on stdout. */
static int
do_listen(const char *spec)
{
	struct sockaddr_in	sin;
	struct sockaddr_un	sun;
	socklen_t		len = sizeof(sin);
	char			host[64];
	int			fd, port, on = 1;

	if (spec_tcp(spec, host, sizeof(host), &port) == 0) {
		inet_addr_of(host, port, &sin);
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
			err(1, "socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			err(1, "bind %s", spec);
		if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
			err(1, "getsockname");
		port = ntohs(sin.sin_port);
	} else {
		spec_unix(spec, &sun);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
			err(1, "socket");
		unlink(sun.sun_path);
		if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
			err(1, "bind %s", spec);
		port = 0;
	}
	if (listen(fd, 4096) == -1)
		err(1, "listen %s", spec);
	printf("port %d\n", port);
	fflush(stdout);
	return fd;
}

/* Connect to spec, retrying a refused connect for up to 2 s. */
static int
do_dial(const char *spec)
{
	struct sockaddr_in	 sin;
	struct sockaddr_un	 sun;
	struct sockaddr		*sa;
	socklen_t		 salen;
	char			 host[64];
	int			 fd, port, tries;

	if (spec_tcp(spec, host, sizeof(host), &port) == 0) {
		inet_addr_of(host, port, &sin);
		sa = (struct sockaddr *)&sin;
		salen = sizeof(sin);
	} else {
		spec_unix(spec, &sun);
		sa = (struct sockaddr *)&sun;
		salen = sizeof(sun);
	}
	for (tries = 0;; tries++) {
		fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd == -1)
			err(1, "socket");
		if (connect(fd, sa, salen) == 0)
			return fd;
		if ((errno != ECONNREFUSED && errno != ENOENT) || tries >= 200)
			err(1, "connect %s", spec);
		close(fd);
		usleep(10000);
	}
}

static void
set_nodelay(int fd)
{
	int	on = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

static int
is_pipe(int fd)
{
	struct stat	st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* Read and discard from fd until EOF; returns bytes. */
static unsigned long long
drain(int fd)
{
	unsigned long long	total = 0;
	ssize_t			n;

	while ((n = read(fd, chunkbuf, CHUNK)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == ECONNRESET)
				break;
			err(1, "read");
		}
		total += (unsigned long long)n;
	}
	return total;
}

/* ---- sink ---- */

/*
 * Take everything from fd until EOF. Zero-copy by default: splice(2) into
 * /dev/null (through a pipe unless fd is one). *first is the time of the
 * first byte.
 */
static unsigned long long
sink_fd(int fd, double *first)
{
	unsigned long long	total = 0;
	ssize_t			n, m;
	int			p[2] = { -1, -1 }, null = -1, direct, zc;

	zc = use_zc("TOOLS_SINK_ZC", 1);
	direct = is_pipe(fd);
	if (zc) {
		if ((null = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1)
			err(1, "/dev/null");
		/* A pipe from the relay keeps its size: that is its job. */
		if (!direct) {
			if (pipe2(p, O_CLOEXEC) == -1)
				err(1, "pipe2");
			fcntl(p[1], F_SETPIPE_SZ, PIPE_SIZE);
		}
	}
	for (;;) {
		if (zc && direct)
			n = splice(fd, NULL, null, NULL, PIPE_SIZE, 0);
		else if (zc)
			n = splice(fd, NULL, p[1], NULL, PIPE_SIZE, 0);
		else
			n = read(fd, chunkbuf, CHUNK);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (zc && errno == EINVAL && total == 0) {
				zc = 0;		/* splice refused: plain reads */
				continue;
			}
			err(1, "sink: read");
		}
		if (n == 0)
			break;
		if (total == 0)
			*first = now_s();
		total += (unsigned long long)n;
		while (zc && !direct && n > 0) {
			m = splice(p[0], NULL, null, NULL, (size_t)n, 0);
			if (m == -1 && errno == EINTR)
				continue;
			if (m <= 0)
				err(1, "sink: splice to /dev/null");
			n -= m;
		}
	}
	if (p[0] != -1) {
		close(p[0]);
		close(p[1]);
	}
	if (null != -1)
		close(null);
	return total;
}

static int
cmd_sink(int argc, char **argv)
{
	unsigned long long	want, got;
	double			first = 0, end;
	int			lfd, fd;

	if (argc != 2)
		errx(2, "usage: sink SPEC|- BYTES");
	want = parse_num(argv[1], "byte count");
	if (strcmp(argv[0], "-") == 0)
		fd = 0;
	else {
		lfd = do_listen(argv[0]);
		while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
			if (errno != EINTR)
				err(1, "accept");
		close(lfd);
	}
	first = now_s();
	got = sink_fd(fd, &first);
	end = now_s();
	close(fd);
	if (strncmp(argv[0], "unix:", 5) == 0)
		unlink(argv[0] + 5);
	printf("result %llu %.6f\n", got, end - first);
	fflush(stdout);
	if (got != want)
		errx(1, "sink: received %llu bytes, expected %llu", got, want);
	return 0;
}

/* ---- source ---- */

/*
 * Send n bytes to fd: write(2), or zero-copy: vmsplice(2) the constant chunk
 * into a pipe (fd itself when it is a pipe) and splice(2) it on, so the
 * source costs no copy. The chunk is never written to after fill_chunk(),
 * so the pages the kernel still references hold the right bytes.
 */
static void
source_fd(int fd, unsigned long long n)
{
	struct iovec	iov;
	ssize_t		w, m;
	size_t		want;
	int		p[2] = { -1, -1 }, direct, zc, out;

	direct = is_pipe(fd);
	zc = use_zc("TOOLS_SOURCE_ZC", direct);
	if (zc && !direct) {
		if (pipe2(p, O_CLOEXEC) == -1)
			err(1, "pipe2");
		fcntl(p[1], F_SETPIPE_SZ, PIPE_SIZE);
	}
	out = direct ? fd : p[1];
	while (n > 0) {
		want = n < CHUNK ? (size_t)n : CHUNK;
		if (zc) {
			iov.iov_base = chunkbuf;
			iov.iov_len = want;
			w = vmsplice(out, &iov, 1, 0);
			if (w == -1 && errno == EINVAL && !direct) {
				zc = 0;
				continue;
			}
		} else
			w = write(fd, chunkbuf, want);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			err(1, "source: write");
		}
		n -= (unsigned long long)w;
		while (zc && !direct && w > 0) {
			m = splice(p[0], NULL, fd, NULL, (size_t)w,
			    SPLICE_F_MORE);
			if (m == -1 && errno == EINTR)
				continue;
			if (m <= 0)
				err(1, "source: splice");
			w -= m;
		}
	}
	if (p[0] != -1) {
		close(p[0]);
		close(p[1]);
	}
}

/* Send n bytes on a connected socket, half-close, wait for EOF. */
static void
source_sock(int fd, unsigned long long n)
{
	source_fd(fd, n);
	if (shutdown(fd, SHUT_WR) == -1)
		err(1, "shutdown");
	drain(fd);
	close(fd);
}

static int
cmd_source(int argc, char **argv)
{
	unsigned long long	n;

	if (argc != 2)
		errx(2, "usage: source SPEC|- BYTES");
	n = parse_num(argv[1], "byte count");
	if (strcmp(argv[0], "-") == 0) {
		source_fd(1, n);
		close(1);
	} else
		source_sock(do_dial(argv[0]), n);
	return 0;
}

static int
cmd_source_listen(int argc, char **argv)
{
	int	lfd, fd;

	if (argc != 2)
		errx(2, "usage: source-listen SPEC BYTES");
	lfd = do_listen(argv[0]);
	while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		if (errno != EINTR)
			err(1, "accept");
	close(lfd);
	source_sock(fd, parse_num(argv[1], "byte count"));
	return 0;
}

/* ---- TLS source ---- */

static void
ssl_die(const char *what)
{
	ERR_print_errors_fp(stderr);
	errx(1, "tls-source: %s failed", what);
}

static int
cmd_tls_source(int argc, char **argv)
{
	unsigned long long	 n;
	SSL_CTX			*ctx;
	SSL			*ssl;
	size_t			 want;
	char			 buf[16384];
	int			 fd, w;

	if (argc != 3)
		errx(2, "usage: tls-source tcp:HOST:PORT BYTES CIPHER");
	n = parse_num(argv[1], "byte count");
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		ssl_die("SSL_CTX_new");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (strncmp(argv[2], "TLS_", 4) == 0) {
		/* A TLS 1.3 suite name. */
		SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
		if (SSL_CTX_set_ciphersuites(ctx, argv[2]) != 1)
			ssl_die("SSL_CTX_set_ciphersuites");
	} else {
		SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
		if (SSL_CTX_set_cipher_list(ctx, argv[2]) != 1)
			ssl_die("SSL_CTX_set_cipher_list");
	}
	fd = do_dial(argv[0]);
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1)
		ssl_die("SSL_new");
	if (SSL_connect(ssl) != 1)
		ssl_die("handshake");
	fprintf(stderr, "tls-source: %s %s\n", SSL_get_version(ssl),
	    SSL_get_cipher_name(ssl));
	while (n > 0) {
		want = n < sizeof(buf) ? (size_t)n : sizeof(buf);
		if ((w = SSL_write(ssl, chunkbuf, (int)want)) <= 0)
			ssl_die("SSL_write");
		n -= (unsigned long long)w;
	}
	SSL_shutdown(ssl);	/* close_notify: the relay passes EOF on */
	while (SSL_read(ssl, buf, sizeof(buf)) > 0)
		;
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	return 0;
}

/* ---- echo server ---- */

struct echo_conn {
	char	*buf;
	size_t	 off;
	size_t	 len;
};

static void
echo_close(int ep, struct echo_conn *c, int fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

static int
cmd_echo(int argc, char **argv)
{
	struct epoll_event	 ev, evs[64];
	struct echo_conn	*conns;
	struct echo_conn	*c;
	char			 buf[ECHO_BUF];
	ssize_t			 r, w;
	int			 lfd, ep, fd, i, nev, maxfd = 65536;

	if (argc != 1)
		errx(2, "usage: echo SPEC");
	signal(SIGPIPE, SIG_IGN);
	if ((conns = calloc((size_t)maxfd, sizeof(*conns))) == NULL)
		errx(1, "out of memory");
	lfd = do_listen(argv[0]);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(1, "epoll_create1");
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		nev = epoll_wait(ep, evs, 64, -1);
		if (nev == -1) {
			if (errno == EINTR)
				continue;
			err(1, "epoll_wait");
		}
		for (i = 0; i < nev; i++) {
			fd = evs[i].data.fd;
			if (fd == lfd) {
				fd = accept4(lfd, NULL, NULL,
				    SOCK_CLOEXEC | SOCK_NONBLOCK);
				if (fd == -1)
					continue;
				if (fd >= maxfd) {
					close(fd);
					continue;
				}
				set_nodelay(fd);
				ev.events = EPOLLIN;
				ev.data.fd = fd;
				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				continue;
			}
			c = &conns[fd];
			if (c->len > 0) {
				/* Finish an earlier partial write first. */
				w = write(fd, c->buf + c->off, c->len);
				if (w == -1 && errno != EAGAIN) {
					echo_close(ep, c, fd);
					continue;
				}
				if (w > 0) {
					c->off += (size_t)w;
					c->len -= (size_t)w;
				}
				if (c->len > 0)
					continue;
				ev.events = EPOLLIN;
				ev.data.fd = fd;
				epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
			}
			r = read(fd, buf, sizeof(buf));
			if (r == -1 && errno == EAGAIN)
				continue;
			if (r <= 0) {
				echo_close(ep, c, fd);
				continue;
			}
			w = write(fd, buf, (size_t)r);
			if (w == -1 && errno != EAGAIN) {
				echo_close(ep, c, fd);
				continue;
			}
			if (w < 0)
				w = 0;
			if (w < r) {
				if (c->buf == NULL &&
				    (c->buf = malloc(ECHO_BUF)) == NULL)
					errx(1, "out of memory");
				memcpy(c->buf, buf + w, (size_t)(r - w));
				c->off = 0;
				c->len = (size_t)(r - w);
				ev.events = EPOLLOUT;
				ev.data.fd = fd;
				epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
			}
		}
	}
}

/* ---- request/response clients ---- */

static void
read_full(int fd, char *p, size_t n, const char *what)
{
	ssize_t	r;

	while (n > 0) {
		r = read(fd, p, n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			err(1, "%s: read", what);
		if (r == 0)
			errx(1, "%s: unexpected EOF", what);
		p += r;
		n -= (size_t)r;
	}
}

static void
write_full(int fd, const char *p, size_t n, const char *what)
{
	ssize_t	w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			err(1, "%s: write", what);
		p += w;
		n -= (size_t)w;
	}
}

static int
cmd_pingpong(int argc, char **argv)
{
	unsigned long long	 count, i;
	size_t			 size;
	char			*back;
	double			 t0, t1;
	int			 fd;

	if (argc != 3)
		errx(2, "usage: pingpong tcp:HOST:PORT COUNT SIZE");
	count = parse_num(argv[1], "count");
	size = (size_t)parse_num(argv[2], "size");
	if (size == 0 || size > CHUNK)
		errx(2, "bad size");
	if ((back = malloc(size)) == NULL)
		errx(1, "out of memory");
	fd = do_dial(argv[0]);
	set_nodelay(fd);
	for (i = 0; i < 200; i++) {	/* warm up: relay connected, caches */
		write_full(fd, chunkbuf, size, "pingpong");
		read_full(fd, back, size, "pingpong");
	}
	t0 = now_s();
	for (i = 0; i < count; i++) {
		write_full(fd, chunkbuf, size, "pingpong");
		read_full(fd, back, size, "pingpong");
	}
	t1 = now_s();
	if (memcmp(back, chunkbuf, size) != 0)
		errx(1, "pingpong: reply differs from request");
	shutdown(fd, SHUT_WR);
	drain(fd);
	close(fd);
	printf("result %llu %.3f\n", count, (t1 - t0) * 1e6 / (double)count);
	free(back);
	return 0;
}

/*
 * WebSocket round trips (RFC 6455): the opening handshake (only the 101
 * is checked: this is a load tool), then COUNT times one masked text
 * frame of SIZE letters out and the echoed, unmasked frame back.
 */
static int
cmd_ws_pingpong(int argc, char **argv)
{
	static const char	 req[] = "GET / HTTP/1.1\r\nHost: bench\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n";
	unsigned long long	 count, i;
	unsigned char		*out, *back, hdr[4], key[4];
	size_t			 size, hl, n, k;
	char			 head[4096];
	double			 t0 = 0, t1;
	int			 fd;

	if (argc != 3)
		errx(2, "usage: ws-pingpong tcp:HOST:PORT COUNT SIZE");
	count = parse_num(argv[1], "count");
	size = (size_t)parse_num(argv[2], "size");
	if (size == 0 || size > 65535)
		errx(2, "bad size");
	fd = do_dial(argv[0]);
	set_nodelay(fd);
	write_full(fd, req, sizeof(req) - 1, "ws-pingpong");
	for (n = 0; n < 4 || memcmp(head + n - 4, "\r\n\r\n", 4) != 0; n++) {
		if (n == sizeof(head))
			errx(1, "ws-pingpong: answer head too long");
		read_full(fd, head + n, 1, "ws-pingpong");
	}
	if (strncmp(head, "HTTP/1.1 101", 12) != 0)
		errx(1, "ws-pingpong: no 101 answer");
	hl = size < 126 ? 2 : 4;
	out = malloc(hl + 4 + size);
	back = malloc(size);
	if (out == NULL || back == NULL)
		errx(1, "out of memory");
	for (i = 0; i < count + 200; i++) {	/* 200 to warm up */
		if (i == 200)
			t0 = now_s();
		out[0] = 0x81;
		if (hl == 2)
			out[1] = 0x80 | (unsigned char)size;
		else {
			out[1] = 0x80 | 126;
			out[2] = (unsigned char)(size >> 8);
			out[3] = (unsigned char)size;
		}
		k = (size_t)random();
		memcpy(key, &k, 4);
		memcpy(out + hl, key, 4);
		for (n = 0; n < size; n++)
			out[hl + 4 + n] = (unsigned char)('a' + n % 26) ^
			    key[n & 3];
		write_full(fd, (char *)out, hl + 4 + size, "ws-pingpong");
		read_full(fd, (char *)hdr, hl, "ws-pingpong");
		if (hdr[0] != 0x81 || (hdr[1] & 0x7f) != (hl == 2 ? size : 126))
			errx(1, "ws-pingpong: unexpected frame 0x%02x 0x%02x",
			    hdr[0], hdr[1]);
		read_full(fd, (char *)back, size, "ws-pingpong");
	}
	t1 = now_s();
	for (n = 0; n < size; n++)
		if (back[n] != 'a' + n % 26)
			errx(1, "ws-pingpong: reply differs from request");
	/* Close 1000, masked with a zero key. */
	write_full(fd, "\x88\x82\0\0\0\0\x03\xe8", 8, "ws-pingpong");
	drain(fd);
	close(fd);
	printf("result %llu %.3f\n", count, (t1 - t0) * 1e6 / (double)count);
	free(out);
	free(back);
	return 0;
}

/* One short connection: connect, one byte each way, close. */
static void
shortconn_one(const char *spec)
{
	struct timeval	tv = { 10, 0 };
	char		c = 'x', r;
	int		fd;

	fd = do_dial(spec);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	write_full(fd, &c, 1, "shortconn");
	read_full(fd, &r, 1, "shortconn");
	if (r != c)
		errx(1, "shortconn: wrong reply");
	close(fd);
}

static int
cmd_shortconn(int argc, char **argv)
{
	unsigned long long	 k, conc, i, j, per;
	double			 t0, t1;
	pid_t			*pids;
	int			 status, failed = 0;

	if (argc != 3)
		errx(2, "usage: shortconn tcp:HOST:PORT K CONC");
	k = parse_num(argv[1], "count");
	conc = parse_num(argv[2], "concurrency");
	if (conc == 0 || conc > 256 || k < conc)
		errx(2, "bad concurrency");
	per = k / conc;
	k = per * conc;
	shortconn_one(argv[0]);		/* warm up, and check it works */
	if ((pids = calloc(conc, sizeof(*pids))) == NULL)
		errx(1, "out of memory");
	t0 = now_s();
	for (i = 0; i < conc; i++) {
		if ((pids[i] = fork()) == -1)
			err(1, "fork");
		if (pids[i] == 0) {
			for (j = 0; j < per; j++)
				shortconn_one(argv[0]);
			_exit(0);
		}
	}
	for (i = 0; i < conc; i++) {
		while (waitpid(pids[i], &status, 0) == -1)
			if (errno != EINTR)
				err(1, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	}
	t1 = now_s();
	free(pids);
	if (failed)
		errx(1, "shortconn: a worker failed");
	printf("result %llu %.1f\n", k, (double)k / (t1 - t0));
	return 0;
}

/*
 * Hold N sessions open at once: connect them all, then one byte each way
 * on every one (so the relay has both sides up), print "open N SECONDS"
 * (the time to open them all) and keep them until standard input ends.
 */
static int
cmd_hold(int argc, char **argv)
{
	struct timeval	 tv = { 30, 0 };
	unsigned long long n, i;
	double		 t0;
	char		 c = 'h', r, buf[64];
	int		*fds;

	if (argc != 2)
		errx(2, "usage: hold tcp:HOST:PORT N");
	n = parse_num(argv[1], "count");
	if ((fds = calloc(n, sizeof(*fds))) == NULL)
		errx(1, "out of memory");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		fds[i] = do_dial(argv[0]);
		setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		write_full(fds[i], &c, 1, "hold");
	}
	for (i = 0; i < n; i++) {
		read_full(fds[i], &r, 1, "hold");
		if (r != c)
			errx(1, "hold: wrong reply");
	}
	printf("open %llu %.3f\n", n, now_s() - t0);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return 0;
}

/* ---- trivial sessions ---- */

static int
cmd_spawnloop(int argc, char **argv)
{
	posix_spawn_file_actions_t	 fa;
	unsigned long long		 n, i;
	char				 input[4096], out[4097];
	double				 t0, t1;
	size_t				 got, size = 2;
	ssize_t				 r;
	pid_t				 pid;
	int				 in[2], op[2], status;

	if (argc >= 3 && strcmp(argv[1], "-s") == 0) {
		size = (size_t)parse_num(argv[2], "size");
		if (size < 1 || size > sizeof(input))
			errx(2, "spawnloop: size 1 to %zu", sizeof(input));
		argv[2] = argv[0];
		argv += 2;
		argc -= 2;
	}
	if (argc < 3 || strcmp(argv[1], "--") != 0)
		errx(2, "usage: spawnloop N [-s BYTES] -- CMD [ARGS...]");
	n = parse_num(argv[0], "count");
	argv += 2;
	memset(input, 'x', size - 1);
	input[size - 1] = '\n';
	t0 = now_s();
	for (i = 0; i < n; i++) {
		if (pipe2(in, O_CLOEXEC) == -1 || pipe2(op, O_CLOEXEC) == -1)
			err(1, "pipe2");
		write_full(in[1], input, size, "spawnloop");
		close(in[1]);
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, in[0], 0);
		posix_spawn_file_actions_adddup2(&fa, op[1], 1);
		if ((errno = posix_spawn(&pid, argv[0], &fa, NULL, argv,
		    environ)) != 0)
			err(1, "spawn %s", argv[0]);
		posix_spawn_file_actions_destroy(&fa);
		close(in[0]);
		close(op[1]);
		got = 0;
		while ((r = read(op[0], out + got, sizeof(out) - got)) > 0)
			got += (size_t)r;
		close(op[0]);
		while (waitpid(pid, &status, 0) == -1)
			if (errno != EINTR)
				err(1, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			errx(1, "spawnloop: %s failed (status %d)", argv[0],
			    status);
		if (got != size || memcmp(out, input, got) != 0)
			errx(1, "spawnloop: %s did not echo the input (%zu "
			    "bytes back)", argv[0], got);
	}
	t1 = now_s();
	printf("result %llu %.4f\n", n, (t1 - t0) * 1e3 / (double)n);
	return 0;
}

/* ---- SOCKS5 round trips ---- */

/* Read n bytes of a SOCKS5 client's message. */
static void
rtt_read(int fd, char *p, size_t n)
{
	read_full(fd, p, n, "socks5-rtt");
}

/*
 * Answer a message of the client delay_ms late. A client that sends on
 * without waiting for this answer has its next bytes here by then; one
 * that has sent nothing more is waiting for it: a round trip, in *rtts.
 */
static void
rtt_write(int fd, const char *p, size_t n, long delay_ms, int *rtts)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };

	usleep((useconds_t)delay_ms * 1000);
	if (poll(&pfd, 1, 0) == 0)
		(*rtts)++;
	write_full(fd, p, n, "socks5-rtt");
}

static int
cmd_socks5_rtt(int argc, char **argv)
{
	char	 buf[512];
	long	 delay;
	ssize_t	 r;
	int	 lfd, fd, rtts = 0;
	size_t	 n;

	if (argc != 2)
		errx(2, "usage: socks5-rtt SPEC DELAY_MS");
	delay = (long)parse_num(argv[1], "delay");
	lfd = do_listen(argv[0]);
	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		err(1, "accept");
	set_nodelay(fd);
	rtt_read(fd, buf, 2);		/* VER NMETHODS */
	if (buf[0] != 5)
		errx(1, "socks5-rtt: not SOCKS5");
	rtt_read(fd, buf + 2, (unsigned char)buf[1]);
	if (memchr(buf + 2, 0, (unsigned char)buf[1]) == NULL)
		errx(1, "socks5-rtt: no \"no authentication\" method");
	rtt_write(fd, "\5\0", 2, delay, &rtts);
	rtt_read(fd, buf, 5);		/* VER CMD RSV ATYP + 1 */
	n = buf[3] == 1 ? 3 : buf[3] == 4 ? 15 : (unsigned char)buf[4];
	read_full(fd, buf + 5, n + 2, "socks5-rtt");
	rtt_write(fd, "\5\0\0\1\177\0\0\1\0\0", 10, delay, &rtts);
	rtt_read(fd, buf, 1);		/* the first data byte */
	write_full(fd, buf, 1, "socks5-rtt");
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		write_full(fd, buf, (size_t)r, "socks5-rtt");
	close(fd);
	close(lfd);
	printf("result %d\n", rtts);
	return 0;
}

/* ---- reference relay ---- */

/*
 * A minimal splice(2) relay, the ceiling the issue measures sockcat
 * against: one pipe per direction (TOOLS_PIPE_SIZE bytes, default 1 MiB),
 * nonblocking splices in a poll(2) loop, each step repeated until EAGAIN.
 * Half-close is passed on; it ends when both directions reached EOF.
 */
struct sr_dir {
	int	 in, out;	/* source and sink sockets */
	int	 p[2];
	size_t	 inpipe;
	int	 eof, done;
};

static void
sr_step(struct sr_dir *d, size_t psize)
{
	ssize_t	n;
	int	moved;

	do {
		moved = 0;
		while (!d->eof && d->inpipe < psize) {
			n = splice(d->in, NULL, d->p[1], NULL, psize - d->inpipe,
			    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n == 0)
				d->eof = 1;
			if (n <= 0)
				break;
			d->inpipe += (size_t)n;
			moved = 1;
		}
		while (d->inpipe > 0) {
			n = splice(d->p[0], NULL, d->out, NULL, d->inpipe,
			    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n <= 0) {
				if (n == -1 && errno != EAGAIN)
					d->eof = 1, d->inpipe = 0;
				break;
			}
			d->inpipe -= (size_t)n;
			moved = 1;
		}
	} while (moved && !d->eof);
	if (d->eof && d->inpipe == 0 && !d->done) {
		shutdown(d->out, SHUT_WR);
		d->done = 1;
	}
}

static int
cmd_splice_relay(int argc, char **argv)
{
	struct sr_dir	 d[2];
	struct pollfd	 pfd[4];
	const char	*e = getenv("TOOLS_PIPE_SIZE");
	size_t		 psize = e ? (size_t)parse_num(e, "pipe size") : PIPE_SIZE;
	int		 lfd, a, b, i, n, sz, slot[4];

	if (argc != 2)
		errx(2, "usage: splice-relay LISTENSPEC CONNECTSPEC");
	lfd = do_listen(argv[0]);
	while ((a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		if (errno != EINTR)
			err(1, "accept");
	close(lfd);
	b = do_dial(argv[1]);
	fcntl(a, F_SETFL, O_NONBLOCK);
	fcntl(b, F_SETFL, O_NONBLOCK);
	memset(d, 0, sizeof(d));
	d[0].in = a; d[0].out = b;
	d[1].in = b; d[1].out = a;
	for (i = 0; i < 2; i++) {
		if (pipe2(d[i].p, O_CLOEXEC | O_NONBLOCK) == -1)
			err(1, "pipe2");
		if ((sz = fcntl(d[i].p[1], F_SETPIPE_SZ, (int)psize)) > 0)
			psize = (size_t)sz;
	}
	while (!d[0].done || !d[1].done) {
		n = 0;
		for (i = 0; i < 2; i++) {
			slot[2 * i] = slot[2 * i + 1] = -1;
			if (d[i].done)
				continue;
			if (!d[i].eof && d[i].inpipe < psize) {
				pfd[n].fd = d[i].in;
				pfd[n].events = POLLIN;
				slot[2 * i] = n++;
			}
			if (d[i].inpipe > 0) {
				pfd[n].fd = d[i].out;
				pfd[n].events = POLLOUT;
				slot[2 * i + 1] = n++;
			}
		}
		if (poll(pfd, (nfds_t)n, -1) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		for (i = 0; i < 2; i++)
			if (!d[i].done)
				sr_step(&d[i], psize);
	}
	return 0;
}

/* ---- ports ---- */

static int
cmd_freeport(int argc, __attribute__((unused)) char **argv)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	int			fd;

	if (argc != 0)
		errx(2, "usage: freeport");
	inet_addr_of("127.0.0.1", 0, &sin);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		err(1, "bind");
	printf("%d\n", ntohs(sin.sin_port));
	close(fd);
	return 0;
}

/* Is a TCP socket listening on port (any address), per /proc/net/tcp*? */
static int
tcp_listening(int port)
{
	static const char	*files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	char			 line[512], local[128];
	unsigned int		 p, st;
	size_t			 i;
	FILE			*f;
	char			*c;

	for (i = 0; i < 2; i++) {
		if ((f = fopen(files[i], "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL) {
			if (sscanf(line, " %*s %127s %*s %x", local, &st) != 2)
				continue;
			if ((c = strrchr(local, ':')) == NULL ||
			    sscanf(c + 1, "%x", &p) != 1)
				continue;
			if (st == 0x0A && (int)p == port) {
				fclose(f);
				return 1;
			}
		}
		fclose(f);
	}
	return 0;
}

/* Is a unix stream socket listening on path, per /proc/net/unix? */
static int
unix_listening(const char *path)
{
	char		 line[1024];
	unsigned int	 flags;
	size_t		 plen = strlen(path), llen;
	FILE		*f;

	if ((f = fopen("/proc/net/unix", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		llen = strcspn(line, "\n");
		line[llen] = '\0';
		if (llen < plen || strcmp(line + llen - plen, path) != 0 ||
		    (llen > plen && line[llen - plen - 1] != ' '))
			continue;
		/* Num RefCount Protocol Flags ...; __SO_ACCEPTCON = 1<<16 */
		if (sscanf(line, "%*s %*s %*s %x", &flags) == 1 &&
		    (flags & 0x10000)) {
			fclose(f);
			return 1;
		}
	}
	fclose(f);
	return 0;
}

static int
cmd_waitlisten(int argc, char **argv)
{
	double	deadline;
	int	up;

	if (argc != 3)
		errx(2, "usage: waitlisten tcp PORT MS | unix PATH MS");
	deadline = now_s() + (double)parse_num(argv[2], "ms") / 1000;
	for (;;) {
		if (strcmp(argv[0], "tcp") == 0)
			up = tcp_listening((int)parse_num(argv[1], "port"));
		else
			up = unix_listening(argv[1]);
		if (up)
			return 0;
		if (now_s() > deadline)
			return 1;
		usleep(2000);
	}
}

int
main(int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(int, char **);
	} cmds[] = {
		{ "echo", cmd_echo },
		{ "freeport", cmd_freeport },
		{ "hold", cmd_hold },
		{ "pingpong", cmd_pingpong },
		{ "shortconn", cmd_shortconn },
		{ "socks5-rtt", cmd_socks5_rtt },
		{ "sink", cmd_sink },
		{ "source", cmd_source },
		{ "source-listen", cmd_source_listen },
		{ "spawnloop", cmd_spawnloop },
		{ "splice-relay", cmd_splice_relay },
		{ "tls-source", cmd_tls_source },
		{ "waitlisten", cmd_waitlisten },
		{ "ws-pingpong", cmd_ws_pingpong },
	};
	size_t	i;

	if (argc < 2)
		errx(2, "usage: tools MODE ARGS... (see bench/tools.c)");
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	fill_chunk();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 2, argv + 2);
	errx(2, "unknown mode: %s", argv[1]);
}
