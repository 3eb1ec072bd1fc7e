/* log.c: -v lines, -x hex dumps, socat's log format, socket addresses. */
/*
 * Copyright (c) 2026 The sockcat developers
 * SPDX-License-Identifier: BSD-2-Clause
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "sockcat.h"

/* "ID PEER" shown in -v lines of a session, or "" outside sessions. */
static char log_tag[192];

/*
 * socat's log format, chosen by any of its logging flags (-lf, -ls, -lp,
 * -lu, -lm, -ly, -lh): "2026/01/31 12:00:00 sockcat[PID] E message", the
 * letter being the severity (E for errors, N I D for -v, -vv, -vvv). Our
 * own lines are written in it; the err(3)/warn(3) lines, which libc writes
 * to stderr as "sockcat: message", pass through a stream that rewrites
 * them (log_cookie_write), so every message of the program, the TLS
 * module's too, takes the same form and goes to the same place.
 */
static struct {
	int	 on;		/* socat's format is in use */
	FILE	*out;		/* where lines go: the real stderr or -lf */
	int	 syslog;	/* lines go to syslog (-ly, -lm after start) */
	int	 mixed;		/* -lm: to syslog once the session starts */
	int	 facility;	/* syslog facility of -ly, -lm */
	char	 line[1024];	/* a line of err(3)/warn(3) being collected */
	size_t	 len;
} log_s;

/*
 * In a fork child serving the peer of socket fd as session `id` (counted
 * by the listener from 1): tag every later -v line with the session id and
 * that peer, "sockcat[12 127.0.0.1:5555]: ", so the lines of concurrent
 * sessions can be told apart (SPEC 10).
 */
void
log_set_session(int fd, uint64_t id)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof(ss);
	char			peer[160];

	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		log_sockaddr((struct sockaddr *)&ss, len, peer, sizeof(peer));
	else
		snprintf(peer, sizeof(peer), "?");
	snprintf(log_tag, sizeof(log_tag), "%llu %s", (unsigned long long)id,
	    peer);
}

/*
 * Tag the -v lines that follow with `tag` ("ID PEER" of the session an
 * event loop is stepping), or with nothing again when tag is NULL.
 */
void
log_set_tag(const char *tag)
{
	snprintf(log_tag, sizeof(log_tag), "%s", tag != NULL ? tag : "");
}

/* The facility of a syslog name after -ly or -lm (default daemon). */
static int
log_facility(const char *name)
{
	static const struct {
		const char	*name;
		int		 fac;
	} facs[] = {
		{ "auth", LOG_AUTH }, { "daemon", LOG_DAEMON },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
		{ "user", LOG_USER },
	};
	size_t	i;

	for (i = 0; i < nitems(facs); i++)
		if (name != NULL && strcmp(name, facs[i].name) == 0)
			return facs[i].fac;
	return LOG_DAEMON;
}

/*
 * Write one message of severity sev (E, W, N, I, D) in socat's format: to
 * syslog, or to the log stream with date, time (microseconds with -lu),
 * host name (-lh), program name (-lp) and PID.
 */
static void
log_socat_line(int sev, const char *msg)
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 stamp[64], host[128];
	const char	*h;
	int		 n, prio;

	if (log_s.syslog) {
		prio = sev == 'E' ? LOG_ERR : sev == 'W' ? LOG_WARNING :
		    sev == 'N' ? LOG_NOTICE : sev == 'I' ? LOG_INFO :
		    LOG_DEBUG;
		syslog(prio, "%s", msg);
		return;
	}
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = (int)strftime(stamp, sizeof(stamp), "%Y/%m/%d %H:%M:%S", &tm);
	if (cfg.log_usec)
		snprintf(stamp + n, sizeof(stamp) - (size_t)n, ".%06ld",
		    (long)tv.tv_usec);
	host[0] = '\0';
	if (cfg.log_host) {
		if ((h = getenv("HOSTNAME")) != NULL && *h != '\0')
			snprintf(host, sizeof(host), "%s ", h);
		else if (gethostname(host, sizeof(host) - 1) == 0) {
			host[sizeof(host) - 2] = '\0';
			strcat(host, " ");
		} else
			host[0] = '\0';
	}
	/* One fprintf per line so lines of several processes do not mix. */
	fprintf(log_s.out, "%s %s%s[%ld] %c %s\n", stamp, host,
	    log_progname(), (long)getpid(), sev, msg);
	fflush(log_s.out);
}

/*
 * The write function of the stream that stands for stderr in socat's
 * format: collects what err(3)/warn(3) write into lines, drops their
 * "sockcat: " prefix and writes each as an error line. Returns size.
 */
static ssize_t
log_cookie_write(__unused void *cookie, const char *buf, size_t size)
{
	const char	*msg, *p;
	size_t		 i, plen;

	for (i = 0; i < size; i++) {
		if (buf[i] != '\n') {
			if (log_s.len < sizeof(log_s.line) - 1)
				log_s.line[log_s.len++] = buf[i];
			continue;
		}
		log_s.line[log_s.len] = '\0';
		msg = log_s.line;
		p = program_invocation_short_name;
		plen = strlen(p);
		if (strncmp(msg, p, plen) == 0 && msg[plen] == ':' &&
		    msg[plen + 1] == ' ')
			msg += plen + 2;
		log_socat_line('E', msg);
		log_s.len = 0;
	}
	return (ssize_t)size;
}

/*
 * Set up the logging the flags asked for (cfg.log_*): with any of socat's
 * logging flags, socat's format on stderr, or in the file of -lf (opened
 * for appending), or syslog (-ly; -lm once the session starts, see
 * log_started()). Returns 0, or -1 with errno when the -lf file cannot be
 * opened (the message is the caller's).
 */
int
log_open(void)
{
	static cookie_io_functions_t	 io = { .write = log_cookie_write };
	FILE				*fp;
	int				 fd;

	if (!cfg.log_socat)
		return 0;
	log_s.on = 1;
	log_s.out = stderr;
	if (cfg.log_file != NULL) {
		fd = open(cfg.log_file, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0644);
		if (fd == -1 || (log_s.out = fdopen(fd, "a")) == NULL) {
			log_s.on = 0;
			log_s.out = stderr;
			return -1;
		}
	}
	if (cfg.log_syslog || cfg.log_mixed) {
		log_s.facility = log_facility(cfg.log_facility);
		openlog(log_progname(), LOG_PID, log_s.facility);
		log_s.syslog = cfg.log_syslog;
		log_s.mixed = cfg.log_mixed;
	}
	if ((fp = fopencookie(NULL, "w", io)) != NULL) {
		setvbuf(fp, NULL, _IOLBF, 0);
		stderr = fp;
	}
	return 0;
}

/*
 * The session (or a fork listener) starts: with -lm, messages go to
 * syslog from now on, as socat's mixed mode does.
 */
void
log_started(void)
{
	if (log_s.mixed)
		log_s.syslog = 1;
}

/* The program name of messages: -lp NAME, else "sockcat". */
const char *
log_progname(void)
{
	return cfg.log_name != NULL ? cfg.log_name : "sockcat";
}

/*
 * The prefix of the variables a program gets (SOCKCAT_PEERADDR, ...): the
 * program name in upper case, so -lp socat gives socat's SOCAT_PEERADDR.
 * Writes it into buf (len bytes) and returns buf.
 */
char *
log_env_prefix(char *buf, size_t len)
{
	const char	*p = log_progname();
	size_t		 i;

	for (i = 0; p[i] != '\0' && i + 1 < len; i++)
		buf[i] = (p[i] >= 'a' && p[i] <= 'z') ? p[i] - 'a' + 'A' :
		    (isalnum((unsigned char)p[i]) ? p[i] : '_');
	if (len > 0)
		buf[i] = '\0';
	return buf;
}

/*
 * Print one diagnostic line on stderr when -v was given at least `level`
 * times: "sockcat: " (or "sockcat[ID PEER]: " in a session of a fork
 * listener) and the message.
 * stdout is never touched: it carries data only.
 */
void
log_verbose(int level, const char *fmt, ...)
{
	char	line[1024];
	int	n;
	va_list	ap;

	if (cfg.verbose < level)
		return;
	if (log_s.on) {
		va_start(ap, fmt);
		vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		log_socat_line(level == 1 ? 'N' : level == 2 ? 'I' : 'D',
		    line);
		return;
	}
	if (log_tag[0] != '\0')
		n = snprintf(line, sizeof(line), "sockcat[%s]: ", log_tag);
	else
		n = snprintf(line, sizeof(line), "sockcat: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One fprintf per line so lines of several processes do not mix. */
	fprintf(stderr, "%s\n", line);
}

/*
 * Format a socket address into buf (size bytes): "127.0.0.1:80",
 * "[::1]:80", "[fe80::1%lo]:80" with a scope (IPv4-mapped IPv6 shown as
 * plain IPv4), a unix path,
 * "@name" for an abstract name, or "(unnamed)". Returns buf.
 */
char *
log_sockaddr(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	const struct sockaddr_un	*sun;
	struct in_addr			 v4;
	char				 host[INET6_ADDRSTRLEN];
	char				 ifname[IF_NAMESIZE];
	char				 scope[IF_NAMESIZE + 12];
	size_t				 plen;

	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, ntohs(sin->sin_port));
		break;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			memcpy(&v4, &sin6->sin6_addr.s6_addr[12], 4);
			inet_ntop(AF_INET, &v4, host, sizeof(host));
			snprintf(buf, size, "%s:%u", host,
			    ntohs(sin6->sin6_port));
		} else {
			inet_ntop(AF_INET6, &sin6->sin6_addr, host,
			    sizeof(host));
			/* The scope of a link-local address (RFC 4007 11). */
			scope[0] = '\0';
			if (sin6->sin6_scope_id != 0 &&
			    if_indextoname(sin6->sin6_scope_id, ifname) != NULL)
				snprintf(scope, sizeof(scope), "%%%s", ifname);
			else if (sin6->sin6_scope_id != 0)
				snprintf(scope, sizeof(scope), "%%%u",
				    (unsigned)sin6->sin6_scope_id);
			snprintf(buf, size, "[%s%s]:%u", host, scope,
			    ntohs(sin6->sin6_port));
		}
		break;
	case AF_UNIX:
		sun = (const struct sockaddr_un *)sa;
		plen = len > offsetof(struct sockaddr_un, sun_path) ?
		    len - offsetof(struct sockaddr_un, sun_path) : 0;
		if (plen == 0)
			snprintf(buf, size, "(unnamed)");
		else if (sun->sun_path[0] == '\0')
			snprintf(buf, size, "@%.*s", (int)(plen - 1),
			    sun->sun_path + 1);
		else
			snprintf(buf, size, "%.*s", (int)strnlen(sun->sun_path,
			    plen), sun->sun_path);
		break;
	default:
		snprintf(buf, size, "(family %d)", sa->sa_family);
		break;
	}
	return buf;
}

/*
 * -x: dump len bytes of data on stderr as socat does, in a block headed by
 * the direction marker ('>' ADDRESS1 to ADDRESS2, '<' the other way), the
 * offset of the block in that direction's stream (bytes) and its length;
 * with -v also a timestamp. Lines of 16 bytes: offset, hex, ASCII.
 */
void
log_hexdump(int marker, const void *data, size_t len, uint64_t offset)
{
	const unsigned char	*p = data;
	char			 line[128], stamp[64];
	struct timeval		 tv;
	struct tm		 tm;
	size_t			 i, j;
	int			 n;

	stamp[0] = '\0';
	if (cfg.verbose > 0) {
		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		n = (int)strftime(stamp, sizeof(stamp), " %Y/%m/%d %H:%M:%S",
		    &tm);
		snprintf(stamp + n, sizeof(stamp) - (size_t)n, ".%06ld",
		    (long)tv.tv_usec);
	}
	fprintf(log_s.on ? log_s.out : stderr, "%c%s offset=%llu length=%zu\n",
	    marker, stamp,
	    (unsigned long long)offset, len);
	for (i = 0; i < len; i += 16) {
		n = snprintf(line, sizeof(line), " %08llx ",
		    (unsigned long long)(offset + i));
		for (j = 0; j < 16; j++) {
			if (i + j < len)
				n += snprintf(line + n, sizeof(line) - (size_t)n,
				    " %02x", p[i + j]);
			else
				n += snprintf(line + n, sizeof(line) - (size_t)n,
				    "   ");
		}
		n += snprintf(line + n, sizeof(line) - (size_t)n, "  ");
		for (j = 0; j < 16 && i + j < len; j++)
			line[n++] = isprint(p[i + j]) ? (char)p[i + j] : '.';
		line[n] = '\0';
		fprintf(log_s.on ? log_s.out : stderr, "%s\n", line);
	}
	fprintf(log_s.on ? log_s.out : stderr, "--\n");
}
