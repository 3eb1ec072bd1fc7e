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
    stdio\t'standard input and output' \
    echo\t'send back what is received' \
    tcp:\t'TCP client, HOST:PORT' \
    tcp-listen:\t'TCP server, [HOST:]PORT' \
    udp:\t'connected UDP client, HOST:PORT' \
    udp-listen:\t'UDP server, [HOST:]PORT' \
    unix:\t'unix socket client, PATH' \
    unix-listen:\t'unix socket server, PATH' \
    abstract:\t'abstract-namespace unix socket client, NAME' \
    abstract-listen:\t'abstract-namespace unix socket server, NAME' \
    raw:\t'raw IP socket, HOST:PROTO' \
    raw-listen:\t'raw IP socket answering the last sender, PROTO' \
    tls:\t'TCP client with TLS, HOST:PORT' \
    tls-listen:\t'TCP server with TLS, [HOST:]PORT' \
    socks5:\t'TCP client via a SOCKS proxy, PROXY:HOST:PORT' \
    proxy:\t'TCP client via an HTTP CONNECT proxy, PROXY:HOST:PORT' \
    socks5-listen:\t'SOCKS5 proxy server, [HOST:]PORT' \
    proxy-listen:\t'HTTP CONNECT proxy server, [HOST:]PORT' \
    ws:\t'WebSocket client, //HOST[:PORT][/PATH]' \
    ws-listen:\t'WebSocket server, [HOST:]PORT' \
    wss:\t'WebSocket client over TLS, //HOST[:PORT][/PATH]' \
    wss-listen:\t'WebSocket server over TLS, [HOST:]PORT' \
    exec:\t'run a program (no shell), PROGRAM [ARGS...]' \
    system:\t'run a shell command, SHELL-COMMAND' \
    open:\t'an existing file, PATH' \
    create:\t'create or truncate a file, PATH' \
    telnet:\t'TCP client speaking Telnet, HOST[:PORT]'

# Aliases (lower case) as "alias=type": the type whose options they take.
set -g __sockcat_alias \
    stdio=- \
    tcp-connect=tcp tcp4=tcp tcp6=tcp \
    tcp-l=tcp-listen tcp4-l=tcp-listen tcp4-listen=tcp-listen \
    tcp6-l=tcp-listen tcp6-listen=tcp-listen \
    udp-connect=udp udp4=udp udp6=udp \
    udp-l=udp-listen udp4-l=udp-listen udp4-listen=udp-listen \
    udp6-l=udp-listen udp6-listen=udp-listen \
    unix-connect=unix unix-client=unix unix-l=unix-listen \
    abstract-connect=abstract abstract-client=abstract \
    abstract-l=abstract-listen \
    ip-sendto=raw ip-recvfrom=raw-listen \
    ssl=tls openssl=tls openssl-connect=tls \
    tls-l=tls-listen ssl-l=tls-listen ssl-listen=tls-listen \
    openssl-l=tls-listen openssl-listen=tls-listen \
    file=open pipe=echo \
    socks4=socks5 socks4a=socks5 socks5-connect=socks5 \
    proxy-connect=proxy \
    ws-l=ws-listen wss-l=wss-listen

# Options each type accepts, as "type=option option=...": "name=" when the
# option takes a value.
set -l __sockcat_o_tls cert= key= cafile= capath= verify= alpn= min-version= ciphers=
set -l __sockcat_o_tcp crlf rcvbuf= sndbuf= bind= nodelay keepalive connect-timeout= retry= interval=
set -l __sockcat_o_tcpl crlf rcvbuf= sndbuf= bind= nodelay keepalive fork max-children= workers= broker chat reuseaddr= backlog= allow= ipv6only=
set -l __sockcat_o_proxy proxy= proxy-cafile= proxyauth= proxyport= socksport=
set -l __sockcat_o_ws text binary protocol= header= origin= ping= max-message=
set -g __sockcat_opts \
    "-=crlf escape= history= noedit prompt=" \
    "echo=crlf" \
    "exec=crlf" \
    "system=crlf" \
    "open=crlf" \
    "create=crlf" \
    "tcp=$__sockcat_o_tcp $__sockcat_o_proxy telnet" \
    "telnet=$__sockcat_o_tcp $__sockcat_o_proxy" \
    "tcp-listen=$__sockcat_o_tcpl" \
    "udp=crlf rcvbuf= sndbuf= bind=" \
    "udp-listen=crlf rcvbuf= sndbuf= bind= fork max-children= reuseaddr= backlog= allow= ipv6only=" \
    "unix=crlf rcvbuf= sndbuf= connect-timeout= retry= interval=" \
    "unix-listen=crlf rcvbuf= sndbuf= fork max-children= workers= broker chat backlog= unlink-early mode= type=" \
    "abstract=crlf rcvbuf= sndbuf= connect-timeout= retry= interval=" \
    "abstract-listen=crlf rcvbuf= sndbuf= fork max-children= workers= broker chat backlog= type=" \
    "raw=crlf rcvbuf= sndbuf= bind= iphdr" \
    "raw-listen=crlf rcvbuf= sndbuf= bind= iphdr" \
    "tls=$__sockcat_o_tcp $__sockcat_o_tls sni= $__sockcat_o_proxy" \
    "tls-listen=$__sockcat_o_tcpl $__sockcat_o_tls" \
    "socks5=$__sockcat_o_tcp $__sockcat_o_proxy" \
    "proxy=$__sockcat_o_tcp $__sockcat_o_proxy" \
    "socks5-listen=crlf rcvbuf= sndbuf= bind= nodelay keepalive fork max-children= workers= reuseaddr= backlog= allow= ipv6only= auth=" \
    "proxy-listen=crlf rcvbuf= sndbuf= bind= nodelay keepalive fork max-children= workers= reuseaddr= backlog= allow= ipv6only= auth=" \
    "ws=$__sockcat_o_tcp $__sockcat_o_ws $__sockcat_o_proxy" \
    "ws-listen=$__sockcat_o_tcpl $__sockcat_o_ws path=" \
    "wss=$__sockcat_o_tcp $__sockcat_o_tls sni= $__sockcat_o_ws $__sockcat_o_proxy" \
    "wss-listen=$__sockcat_o_tcpl $__sockcat_o_tls $__sockcat_o_ws path="

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
complete -c sockcat -n __sockcat_help_topic -a 'options' -d 'every address option'
complete -c sockcat -n __sockcat_help_topic \
    -a '(string replace -r "[:\t].*" "" -- $__sockcat_types; string replace -r "=.*" "" -- $__sockcat_alias)'
complete -c sockcat -n 'not __sockcat_help_topic' \
    -a '(__sockcat_address (commandline -ct))'
