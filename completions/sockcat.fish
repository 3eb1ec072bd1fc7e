# sockcat.fish: fish completion for sockcat(1).
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# The same data as completions/sockcat.bash and _sockcat: flags, address
# types (tcp-l -> tcp-listen:), after a comma the options that the address
# type accepts (sockcat -h TYPE), and file names after unix:, unix-listen:,
# open:, create:, cert=, key=, cafile=, capath=, proxy-cafile= and
# history=. tests/docs.bats checks
# these lists against the C tables. `make install` puts this file into
# $(datadir)/fish/vendor_completions.d.

# Address types, "name:" when the type takes parameters, a tab, what it is.
set -g __sockcat_types \
    -\t'standard input and output' \
    abstract:\t'Linux abstract-namespace unix socket client, NAME' \
    abstract-listen:\t'Linux abstract-namespace unix socket server, NAME' \
    abstract-recv:\t'abstract unix datagram receiver, read only, NAME' \
    abstract-recvfrom:\t'abstract unix datagram server: answers each sender, NAME' \
    abstract-sendto:\t'abstract unix datagram socket client, NAME' \
    create:\t'create or truncate a file and write to it, PATH' \
    dtls:\t'DTLS 1.2 client over UDP (socat\'s openssl-dtls-client), HOST:PORT' \
    dtls-listen:\t'DTLS 1.2 server over UDP (socat\'s openssl-dtls-server), [HOST:]PORT' \
    echo\t'send back what is received (socat\'s pipe)' \
    exec:\t'run PROGRAM (no shell) on its stdin and stdout, PROGRAM [ARGS...]' \
    gopen:\t'any file system entry: a file (appended), a device, a unix socket, PATH' \
    open:\t'an existing file, read (and written when writable), PATH' \
    proxy:\t'TCP client via an HTTP CONNECT proxy (socat\'s), PROXY:HOST:PORT' \
    proxy-listen:\t'HTTP CONNECT proxy server (clients name targets), [HOST:]PORT' \
    pty\t'a new pseudo terminal (a fake serial device; link=PATH)' \
    raw:\t'raw IP datagrams of protocol PROTO to HOST, HOST:PROTO' \
    raw-listen:\t'raw IP: PROTO from anyone, answers the last sender, PROTO' \
    socket-connect:\t'generic stream socket client (ADDRESS: socat data), DOMAIN:PROTOCOL:ADDRESS' \
    socket-datagram:\t'generic datagram socket to ADDRESS, from anyone, DOMAIN:TYPE:PROTOCOL:ADDRESS' \
    socket-listen:\t'generic stream socket server, DOMAIN:PROTOCOL:ADDRESS' \
    socket-recv:\t'generic datagram receiver on ADDRESS, read only, DOMAIN:TYPE:PROTOCOL:ADDRESS' \
    socket-recvfrom:\t'generic datagram server on ADDRESS, answers each sender, DOMAIN:TYPE:PROTOCOL:ADDRESS' \
    socket-sendto:\t'generic datagram socket to ADDRESS, answers from there, DOMAIN:TYPE:PROTOCOL:ADDRESS' \
    socks5:\t'TCP via a SOCKS proxy (socat\'s; socks4, socks4a too), PROXY:HOST:PORT' \
    socks5-listen:\t'SOCKS5 proxy server (clients name targets), [HOST:]PORT' \
    stderr\t'standard error only (socat\'s STDERR)' \
    stdin\t'standard input only (socat\'s STDIN)' \
    stdio\t'standard input and output (also written -)' \
    stdout\t'standard output only (socat\'s STDOUT)' \
    system:\t'run /bin/sh -c SHELL-COMMAND on its stdin and stdout, SHELL-COMMAND' \
    tcp:\t'TCP client (IPv6 and IPv4 raced), HOST:PORT' \
    tcp-listen:\t'TCP server: one connection, or every one with fork, [HOST:]PORT' \
    telnet:\t'TCP client speaking Telnet, with crlf (port 23), HOST[:PORT]' \
    tls:\t'TCP client with TLS on top, HOST:PORT' \
    tls-listen:\t'TCP server with TLS on top, [HOST:]PORT' \
    udp:\t'connected UDP client: one datagram per read and write, HOST:PORT' \
    udp-datagram:\t'UDP to HOST:PORT (broadcast, multicast), from anyone, HOST:PORT' \
    udp-listen:\t'UDP server: talks to the sender of the first datagram, [HOST:]PORT' \
    udp-recv:\t'UDP receiver: datagrams from anyone, read only, [HOST:]PORT' \
    udp-recvfrom:\t'UDP server: answers each sender; fork: a child each, [HOST:]PORT' \
    udp-sendto:\t'UDP to HOST:PORT, answers from there only, HOST:PORT' \
    unix:\t'unix socket client (stream, seqpacket or dgram), PATH' \
    unix-listen:\t'unix socket server; fork as for TCP, PATH' \
    unix-recv:\t'unix datagram receiver, read only, PATH' \
    unix-recvfrom:\t'unix datagram server: answers each sender, PATH' \
    unix-sendto:\t'unix datagram socket client (bind= to get answers), PATH' \
    ws:\t'WebSocket client (ws:HOST:PORT/PATH works too), //HOST[:PORT][/PATH]' \
    ws-listen:\t'WebSocket server: one client, or every one with fork, [HOST:]PORT' \
    wss:\t'WebSocket client over TLS, verified as tls, //HOST[:PORT][/PATH]' \
    wss-listen:\t'WebSocket server over TLS (needs cert=), [HOST:]PORT'

# Aliases (lower case) as "alias=type": the type whose options they take.
set -g __sockcat_alias \
    abstract-client=abstract abstract-connect=abstract \
    abstract-l=abstract-listen openssl-dtls-client=dtls \
    openssl-dtls-connect=dtls openssl-dtls-listen=dtls-listen \
    openssl-dtls-server=dtls-listen pipe=echo file=open proxy-connect=proxy \
    ip-sendto=raw ip-recvfrom=raw-listen socks4=socks5 socks4a=socks5 \
    socks5-connect=socks5 stdio=- tcp-connect=tcp tcp4=tcp tcp4-connect=tcp \
    tcp6=tcp tcp6-connect=tcp tcp-l=tcp-listen tcp4-l=tcp-listen \
    tcp4-listen=tcp-listen tcp6-l=tcp-listen tcp6-listen=tcp-listen \
    openssl=tls openssl-connect=tls ssl=tls openssl-l=tls-listen \
    openssl-listen=tls-listen ssl-l=tls-listen ssl-listen=tls-listen \
    tls-l=tls-listen udp-connect=udp udp4=udp udp4-connect=udp udp6=udp \
    udp6-connect=udp udp4-datagram=udp-datagram udp6-datagram=udp-datagram \
    udp-l=udp-listen udp4-l=udp-listen udp4-listen=udp-listen \
    udp6-l=udp-listen udp6-listen=udp-listen udp4-recv=udp-recv \
    udp6-recv=udp-recv udp4-recvfrom=udp-recvfrom \
    udp6-recvfrom=udp-recvfrom udp4-sendto=udp-sendto \
    udp6-sendto=udp-sendto unix-client=unix unix-connect=unix \
    unix-l=unix-listen unix-send=unix-sendto ws-l=ws-listen \
    wss-l=wss-listen

# Options each type accepts, as "type=option option=...": "name=" when the
# option takes a value.
set -g __sockcat_opts \
    "abstract=bind= connect-timeout= crlf forever interval= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type=" \
    "abstract-listen=accept-timeout= backlog= bind= broker chat crlf forever fork interval= max-children= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user= workers=" \
    "abstract-recv=bind= crlf forever interval= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type=" \
    "abstract-recvfrom=bind= crlf forever fork interval= max-children= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type=" \
    "abstract-sendto=bind= crlf null-eof rcvbuf= reuseaddr= shut-null sndbuf= type=" \
    "create=clocal= crlf crtscts= csize= echo= ignoreeof mode= o-append o-creat o-excl o-nonblock o-trunc opost= parenb= raw speed= unlink-close= unlink-early user=" \
    "dtls=alpn= bind= cafile= capath= cert= ciphers= commonname= compress= connect-timeout= crlf forever interval= ip-options= ip-tos= ip-ttl= key= max-version= min-version= null-eof pf= rcvbuf= retry= reuseaddr= shut-null sndbuf= sni= verify=" \
    "dtls-listen=accept-timeout= allow= alpn= backlog= bind= cafile= capath= cert= ciphers= commonname= compress= crlf forever fork interval= ip-options= ip-tos= ip-ttl= ipv6only= key= lowport max-children= max-version= min-version= null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= sourceport= verify=" \
    "echo=crlf" \
    "exec=clocal= crlf crtscts= csize= ctty echo= end-close fdin= fdout= nofork opost= parenb= pipes pty raw setsid speed= stderr" \
    "gopen=bind= clocal= crlf crtscts= csize= echo= ignoreeof mode= null-eof o-append o-creat o-excl o-nonblock o-trunc opost= parenb= raw rcvbuf= reuseaddr= shut-null sndbuf= speed= type= unlink-close= unlink-early user=" \
    "open=clocal= crlf crtscts= csize= echo= ignoreeof mode= o-append o-creat o-excl o-nonblock o-trunc opost= parenb= raw speed= unlink-close= unlink-early user=" \
    "proxy=bind= connect-timeout= crlf forever interval= ip-options= ip-tos= ip-ttl= keepalive nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser=" \
    "proxy-listen=accept-timeout= allow= auth= backlog= bind= crlf fork ip-options= ip-tos= ip-ttl= ipv6only= keepalive max-children= nodelay null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf= workers=" \
    "pty=clocal= crlf crtscts= csize= echo= link= mode= opost= parenb= raw speed= unlink-close= unlink-early user= wait-slave" \
    "raw=bind= crlf ip-options= ip-tos= ip-ttl= iphdr null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf=" \
    "raw-listen=bind= crlf ip-options= ip-tos= ip-ttl= iphdr null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf=" \
    "socket-connect=bind= connect-timeout= crlf forever interval= null-eof pf= protocol= rcvbuf= retry= reuseaddr= shut-null sndbuf= type=" \
    "socket-datagram=bind= crlf lowport null-eof pf= protocol= range= rcvbuf= reuseaddr= shut-null sndbuf= sourceport= type=" \
    "socket-listen=accept-timeout= backlog= bind= crlf forever fork interval= lowport max-children= null-eof pf= protocol= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= sourceport= type=" \
    "socket-recv=bind= crlf lowport null-eof pf= protocol= range= rcvbuf= reuseaddr= shut-null sndbuf= sourceport= type=" \
    "socket-recvfrom=bind= crlf fork lowport max-children= null-eof pf= protocol= range= rcvbuf= reuseaddr= shut-null sndbuf= sourceport= type=" \
    "socket-sendto=bind= crlf null-eof pf= protocol= rcvbuf= reuseaddr= shut-null sndbuf= type=" \
    "socks5=bind= connect-timeout= crlf forever interval= ip-options= ip-tos= ip-ttl= keepalive nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser=" \
    "socks5-listen=accept-timeout= allow= auth= backlog= bind= crlf fork ip-options= ip-tos= ip-ttl= ipv6only= keepalive max-children= nodelay null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf= workers=" \
    "stderr=clocal= crlf crtscts= csize= echo= opost= parenb= raw speed=" \
    "stdin=clocal= crlf crtscts= csize= echo= opost= parenb= raw speed=" \
    "-=clocal= crlf crtscts= csize= echo= escape= history= noedit opost= parenb= prompt= raw speed=" \
    "stdout=clocal= crlf crtscts= csize= echo= opost= parenb= raw speed=" \
    "system=clocal= crlf crtscts= csize= ctty echo= end-close fdin= fdout= nofork opost= parenb= pipes pty raw setsid speed= stderr" \
    "tcp=bind= connect-timeout= crlf forever fork interval= ip-options= ip-tos= ip-ttl= keepalive max-children= nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser= telnet" \
    "tcp-listen=accept-timeout= allow= backlog= bind= broker chat crlf forever fork interval= ip-options= ip-tos= ip-ttl= ipv6only= keepalive lowport max-children= nodelay null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= sourceport= workers=" \
    "telnet=bind= connect-timeout= crlf forever interval= ip-options= ip-tos= ip-ttl= keepalive nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser=" \
    "tls=alpn= bind= cafile= capath= cert= ciphers= commonname= compress= connect-timeout= crlf forever fork interval= ip-options= ip-tos= ip-ttl= keepalive key= max-children= max-version= min-version= nodelay null-eof pf= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= sni= socksport= socksuser= verify=" \
    "tls-listen=accept-timeout= allow= alpn= backlog= bind= broker cafile= capath= cert= chat ciphers= commonname= compress= crlf forever fork interval= ip-options= ip-tos= ip-ttl= ipv6only= keepalive key= lowport max-children= max-version= min-version= nodelay null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= sourceport= verify= workers=" \
    "udp=bind= broadcast crlf ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf= so-timestamp" \
    "udp-datagram=bind= broadcast crlf ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= lowport null-eof pf= range= rcvbuf= reuseaddr= shut-null sndbuf= so-timestamp sourceport=" \
    "udp-listen=accept-timeout= allow= backlog= bind= broadcast crlf forever fork interval= ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= ipv6only= lowport max-children= null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= so-timestamp sourceport=" \
    "udp-recv=allow= bind= broadcast crlf forever interval= ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= ipv6only= lowport null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= so-timestamp sourceport=" \
    "udp-recvfrom=allow= bind= broadcast crlf forever fork interval= ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= ipv6only= lowport max-children= null-eof pf= range= rcvbuf= retry= reuseaddr= shut-null sndbuf= so-timestamp sourceport=" \
    "udp-sendto=bind= broadcast crlf ip-add-membership= ip-multicast-if= ip-multicast-loop= ip-multicast-ttl= ip-options= ip-pktinfo ip-recvopts ip-recvtos ip-recvttl ip-tos= ip-ttl= null-eof pf= rcvbuf= reuseaddr= shut-null sndbuf= so-timestamp" \
    "unix=bind= connect-timeout= crlf forever interval= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user=" \
    "unix-listen=accept-timeout= backlog= bind= broker chat crlf forever fork interval= max-children= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user= workers=" \
    "unix-recv=bind= crlf forever interval= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user=" \
    "unix-recvfrom=bind= crlf forever fork interval= max-children= mode= null-eof rcvbuf= retry= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user=" \
    "unix-sendto=bind= crlf mode= null-eof rcvbuf= reuseaddr= shut-null sndbuf= type= unlink-close= unlink-early user=" \
    "ws=binary bind= connect-timeout= crlf forever header= interval= ip-options= ip-tos= ip-ttl= keepalive max-message= nodelay null-eof origin= pf= ping= protocol= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= socksport= socksuser= text" \
    "ws-listen=accept-timeout= allow= backlog= binary bind= broker chat crlf fork header= ip-options= ip-tos= ip-ttl= ipv6only= keepalive max-children= max-message= nodelay null-eof origin= path= pf= ping= protocol= rcvbuf= reuseaddr= shut-null sndbuf= text workers=" \
    "wss=alpn= binary bind= cafile= capath= cert= ciphers= commonname= compress= connect-timeout= crlf forever header= interval= ip-options= ip-tos= ip-ttl= keepalive key= max-message= max-version= min-version= nodelay null-eof origin= pf= ping= protocol= proxy-cafile= proxy= proxyauth-file= proxyauth= proxyport= rcvbuf= retry= reuseaddr= shut-null sndbuf= sni= socksport= socksuser= text verify=" \
    "wss-listen=accept-timeout= allow= alpn= backlog= binary bind= broker cafile= capath= cert= chat ciphers= commonname= compress= crlf fork header= ip-options= ip-tos= ip-ttl= ipv6only= keepalive key= max-children= max-message= max-version= min-version= nodelay null-eof origin= path= pf= ping= protocol= rcvbuf= reuseaddr= shut-null sndbuf= text verify= workers="

# __sockcat_files PREFIX PATH [dirs]: file (or directory) names starting
# with PATH, each after PREFIX.
function __sockcat_files
    set -l prefix $argv[1]
    set -l f
    if test "$argv[3]" = dirs
        for f in (__fish_complete_directories $argv[2] '')
            printf '%s%s\n' $prefix (string replace -r '\t.*' '' -- $f)
        end
    else
        for f in (__fish_complete_path $argv[2])
            printf '%s%s\n' $prefix (string replace -r '\t.*' '' -- $f)
        end
    end
end

# __sockcat_address WORD: the completions of a (partial) address.
function __sockcat_address
    set -l cur $argv[1]
    set -l w

    if not string match -q -r '[:,]' -- $cur
        # The type itself, case-insensitive; upper case stays upper.
        set -l upper 0
        if test -n "$cur"; and test "$cur" = (string upper -- $cur)
            and test "$cur" != (string lower -- $cur)
            set upper 1
        end
        for w in $__sockcat_types
            if test $upper = 1
                set -l parts (string split -m 1 \t -- $w)
                set w (string upper -- $parts[1])\t$parts[2]
            end
            printf '%s\n' $w
        end
        return
    end

    set -l type (string replace -r '[:,].*' '' -- $cur)
    set -l lctype (string lower -- $type)
    for w in $__sockcat_alias
        set -l kv (string split -m 1 = -- $w)
        if test "$kv[1]" = "$lctype"
            set lctype $kv[2]
            break
        end
    end

    if not string match -q -- '*,*' $cur
        # The parameters: file names for the types that take a path.
        switch $lctype
            case unix unix-listen open create
                __sockcat_files $type: (string replace -r '^[^:]*:' '' -- $cur)
        end
        return
    end

    # An option after the last comma, or its value after '='.
    set -l prefix (string replace -r ',[^,]*$' ',' -- $cur)
    set -l last (string replace -r '.*,' '' -- $cur)
    if string match -q -- '*=*' $last
        set -l name (string replace -r '=.*' '' -- $last)
        set -l value (string replace -r '^[^=]*=' '' -- $last)
        set prefix $prefix$name=
        switch $name
            case cert key cafile proxy-cafile history
                __sockcat_files $prefix $value
            case capath
                __sockcat_files $prefix $value dirs
            case verify reuseaddr ipv6only noedit telnet
                printf '%s\n' $prefix{0,1}
            case escape
                printf '%s\n' $prefix'^]' $prefix'^A' {$prefix}none
            case min-version
                printf '%s\n' $prefix{1.2,1.3}
            case type
                printf '%s\n' $prefix{stream,seqpacket,dgram}
        end
        return
    end
    for w in $__sockcat_opts
        set -l kv (string split -m 1 = -- $w)
        if test "$kv[1]" = "$lctype"
            for o in (string split ' ' -- $kv[2])
                printf '%s%s\n' $prefix $o
            end
            return
        end
    end
end

# __sockcat_help_topic: true when the previous word is -h or --help.
function __sockcat_help_topic
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 2; and contains -- $tokens[-1] -h --help
end

complete -c sockcat -f
complete -c sockcat -s 4 -d 'use IPv4 only'
complete -c sockcat -s 6 -d 'use IPv6 only'
complete -c sockcat -s b -x -d 'relay buffer size in bytes (suffixes k, m)'
complete -c sockcat -s d -d 'verbose (socat spelling of -v)'
complete -c sockcat -s h -l help -d 'print help, or the options of one type'
complete -c sockcat -s t -x -d 'after the first end of input, wait at most this long'
complete -c sockcat -s T -x -d 'idle timeout, seconds'
complete -c sockcat -s u -d 'one direction only: ADDRESS1 -> ADDRESS2'
complete -c sockcat -s U -d 'one direction only: ADDRESS2 -> ADDRESS1'
complete -c sockcat -s v -d 'verbose: connections and statistics'
complete -c sockcat -s V -l version -d 'print version and compiled-in features'
complete -c sockcat -s x -d 'hex dump of relayed data on stderr'
complete -c sockcat -s z -d 'check TCP ports, send nothing'
complete -c sockcat -s s -d 'sloppy: an option that cannot be applied warns'
complete -c sockcat -o lf -r -d 'log in socat format to FILE'
complete -c sockcat -o ls -d 'log in socat format to stderr'
complete -c sockcat -o lu -d 'socat log format with microseconds'
complete -c sockcat -o lh -d 'socat log format with the host name'
complete -c sockcat -o lm -d 'socat log format, to syslog once started'
complete -c sockcat -o ly -d 'log to syslog'
complete -c sockcat -n __sockcat_help_topic -a 'options' -d 'every address option'
complete -c sockcat -n __sockcat_help_topic \
    -a '(string replace -r "[:\t].*" "" -- $__sockcat_types; string replace -r "=.*" "" -- $__sockcat_alias)'
complete -c sockcat -n 'not __sockcat_help_topic' \
    -a '(__sockcat_address (commandline -ct))'
