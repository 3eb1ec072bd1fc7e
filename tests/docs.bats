#!/usr/bin/env bats
# docs.bats: the man page, the bash, zsh and fish completions and `sockcat -h`
# agree with the C tables (one source of truth: what -h prints), and each
# completion works when driven as its shell drives it.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause

load helper

MAN=$SRCDIR/man/sockcat.1
COMP=$SRCDIR/completions/sockcat.bash
COMP_ZSH=$SRCDIR/completions/_sockcat
COMP_FISH=$SRCDIR/completions/sockcat.fish

# help_types: the canonical type names of `sockcat -h types` (headed
# "Address types"), one per line. An entry is a line of two spaces then
# "name:SYNTAX" or "name"; wrapped help text is indented deeper.
help_types()
{
	timeout "$TMO" "$SOCKCAT" -h types 2>&1 | awk '
		/^[^ ]/ {
			in_types = ($0 ~ /^[Aa]ddress types/ || $0 ~ /[Tt]ypes:$/)
			next
		}
		/^$/ { next }
		in_types && /^  [^ ]/ {
			name = $1
			sub(/:.*/, "", name)
			print name
		}'
}

# help_options [TYPE]: option names of `sockcat -h options` (or of the
# "Options:" part of `sockcat -h TYPE`), one per line. An entry is a line of
# two spaces then the name, optionally followed by "=VALUE" or "[=VALUE]".
help_options()
{
	if [[ $# -eq 0 ]]; then
		timeout "$TMO" "$SOCKCAT" -h options 2>&1 |
		    sed -n 's/^  \([a-z][a-z0-9-]*\)\([=[ ].*\)\{0,1\}$/\1/p'
	else
		timeout "$TMO" "$SOCKCAT" -h "$1" 2>&1 | awk '
			/^Options:/ { in_opts = 1; next }
			/^[^ ]/ { in_opts = 0 }
			in_opts && /^  [a-z]/ {
				name = $1
				sub(/[=[].*/, "", name)
				print name
			}'
	fi
}

# help_aliases TYPE: the aliases `sockcat -h TYPE` lists, one per line.
help_aliases()
{
	timeout "$TMO" "$SOCKCAT" -h "$1" 2>&1 | tr '\n' ' ' |
	    sed -n 's/.*aliases: *\([^A-Z]*\) *Options:.*/\1/p' |
	    tr -s ', ' '\n\n' | sed '/^$/d'
}

# man_section TITLE: the mdoc source of one .Sh section of the man page.
man_section()
{
	awk -v t="$1" '
		/^\.Sh / { on = (substr($0, 5) == t); next }
		on' "$MAN"
}

# man_tag_words TITLE: the words after each Cm macro on the .It lines of a
# section (the tags of its .Bl -tag list), one per line.
man_tag_words()
{
	man_section "$1" | awk '
		/^\.It / {
			for (i = 2; i < NF; i++) {
				if ($i != "Cm")
					continue
				for (j = i + 1; j <= NF; j++) {
					w = $j
					if (w ~ /^[A-Z][a-z]$/ || w == "|")
						break
					sub(/[,]$/, "", w)
					if (w != "" && w != ",")
						print w
				}
			}
		}'
}

# complete_words LINE [bash-completion]: run the completion function that
# completions/sockcat.bash registers for sockcat on LINE (cursor at the end)
# and print each candidate as the whole word it would make, one per line.
# COMP_WORDS is split as readline does with bash's default COMP_WORDBREAKS, so
# "tcp-listen:0,fo" is three words: "tcp-listen" ":" "0,fo". With a second
# argument, bash-completion's helpers are loaded first.
complete_words()
{
	local bc=
	if [[ -n ${2:-} ]]; then
		bc=/usr/share/bash-completion/bash_completion
	fi
	timeout "$TMO" bash --norc --noprofile -c '
		bc=$1 comp=$2 line=$3
		if [[ -n $bc ]]; then
			source "$bc" >/dev/null 2>&1 || exit 97
			declare -F _get_comp_words_by_ref >/dev/null || exit 97
		fi
		source "$comp" || exit 98
		spec=$(complete -p sockcat) || exit 99
		func=${spec#*-F }
		func=${func%% *}

		breaks=$COMP_WORDBREAKS
		COMP_WORDS=()
		w=
		for ((i = 0; i < ${#line}; i++)); do
			c=${line:i:1}
			if [[ $c == [[:space:]] ]]; then
				[[ -n $w ]] && COMP_WORDS+=("$w")
				w=
			elif [[ $breaks == *"$c"* ]]; then
				[[ -n $w ]] && COMP_WORDS+=("$w")
				w=$c
				while [[ $i -lt $((${#line} - 1)) &&
				    ${line:i+1:1} != [[:space:]] &&
				    $breaks == *"${line:i+1:1}"* ]]; do
					i=$((i + 1))
					w+=${line:i:1}
				done
				COMP_WORDS+=("$w")
				w=
			else
				w+=$c
			fi
		done
		COMP_WORDS+=("$w")
		# A break-character word before the cursor is not the cursor word.
		if [[ -z $w && $line != *[[:space:]] ]]; then
			unset "COMP_WORDS[-1]"
		fi
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line
		COMP_POINT=${#line}
		COMP_TYPE=9
		COMP_KEY=9
		cur=${COMP_WORDS[COMP_CWORD]}
		COMPREPLY=()
		"$func" sockcat "$cur" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null

		# The whole word under the cursor, and the part bash replaces.
		whole=${line##*[[:space:]]}
		keep=${whole:0:$((${#whole} - ${#cur}))}
		for r in "${COMPREPLY[@]}"; do
			printf "%s\n" "$keep$r"
		done
	' complete_words "$bc" "$COMP" "$1"
}

# complete_batch SHELL LINE...: complete each LINE (cursor at the end) with
# the completion file of SHELL (bash, zsh or fish), driven as that shell
# drives it, and print "N<TAB>WORD" for each candidate of the N-th LINE, WORD
# being the whole word it would make.
complete_batch()
{
	local sh=$1 l i=0
	shift
	case $sh in
	bash)
		for l in "$@"; do
			i=$((i + 1))
			complete_words "$l" | sed "s/^/$i	/"
		done
		;;
	zsh)
		timeout "$TMO" zsh -f "$SRCDIR/tests/zsh-complete.zsh" \
		    "$SRCDIR/completions" "$@" | awk '
			/^--END--$/ { n++; next }
			{ print n + 1 "\t" $0 }'
		;;
	fish)
		timeout "$TMO" fish --no-config -c '
			source $argv[1]; or exit 98
			for l in $argv[2..-1]
				complete -C $l | string replace -r "\t.*" ""
				echo --END--
			end' "$COMP_FISH" "$@" | awk '
			/^--END--$/ { n++; next }
			{ print n + 1 "\t" $0 }'
		;;
	esac
}

# batch_item N: the candidates of line N of a complete_batch output on stdin.
batch_item()
{
	awk -F '\t' -v n="$1" '$1 == n { sub(/^[^\t]*\t/, ""); print }'
}

# need_shell SHELL: skip the test when SHELL is not installed (or, for zsh,
# when it cannot open the pseudo-terminal its completion runs on).
need_shell()
{
	command -v "$1" >/dev/null ||
	    skip "$1 is not installed (apt-get install $1)"
	if [[ $1 == zsh ]] && ! timeout "$TMO" zsh -fc \
	    'zmodload zsh/zpty && zpty t true && zpty -d t' 2>/dev/null; then
		skip "zsh cannot open a pseudo-terminal (zsh/zpty) here"
	fi
}

# check_types SHELL: the completion offers every address type of -h (with a
# ':' when it takes parameters), and no type -h does not know.
check_types()
{
	local sh=$1 types got t bad=
	need_shell "$sh"
	types=$(help_types | sort -u)
	[[ -n $types ]]
	got=$(complete_batch "$sh" "sockcat " | batch_item 1)
	for t in $types; do
		grep -qx -- "$t:\\{0,1\\}" <<<"$got" || bad+=" missing:$t"
	done
	for t in $(sed 's/:$//' <<<"$got" | sort -u); do
		[[ $t == - ]] && continue
		grep -qx -- "$t" <<<"$types" || bad+=" unknown:$t"
	done
	# A type that takes parameters is offered with its ':'.
	for t in $types; do
		if timeout "$TMO" "$SOCKCAT" -h "$t" | head -n 1 | grep -q ':'
		then
			grep -qx -- "$t:" <<<"$got" || bad+=" no-colon:$t"
		fi
	done
	[[ -z $bad ]] || {
		echo "$sh completion of address types vs sockcat -h:$bad"
		false
	}
}

# check_options SHELL: after "TYPE:x," the completion offers exactly the
# options of `sockcat -h TYPE`, and every option of -h options is offered
# for some type.
check_options()
{
	local sh=$1 types t o want got out all i=0 bad=
	local -a lines=()
	need_shell "$sh"
	types=$(help_types)
	[[ -n $types ]]
	for t in $types; do
		lines+=("sockcat $t:x,")
	done
	out=$(complete_batch "$sh" "${lines[@]}")
	for t in $types; do
		i=$((i + 1))
		want=$(help_options "$t" | sort -u)
		got=$(batch_item "$i" <<<"$out" | sed 's/.*,//; s/=.*//' |
		    sort -u)
		if [[ $want != "$got" ]]; then
			bad+="
$t: sockcat -h $t: $(echo $want)
$t: completion:   $(echo $got)"
		fi
	done
	all=$(cut -f 2 <<<"$out" | sed 's/.*,//; s/=.*//' | sort -u)
	for o in $(help_options); do
		grep -qx -- "$o" <<<"$all" || bad+="
never offered: $o"
	done
	[[ -z $bad ]] || {
		echo "$sh completion and sockcat -h TYPE differ:$bad"
		false
	}
}

# check_aliases SHELL: every alias of -h TYPE, in lower and in upper case
# (as socat users write them), gets the options of its type.
check_aliases()
{
	local sh=$1 types t a aliases out want got i n=0 bad=
	local -a lines=() names=()
	need_shell "$sh"
	types=$(help_types)
	[[ -n $types ]]
	for t in $types; do
		lines+=("sockcat $t:x,")
		names+=("$t")
		aliases=$(help_aliases "$t")
		for a in $aliases; do
			[[ $a == - ]] && continue
			lines+=("sockcat $a:x," "sockcat ${a^^}:x,")
			names+=("$a($t)" "${a^^}($t)")
			n=$((n + 1))
		done
	done
	((n > 0)) || skip "sockcat -h TYPE lists no aliases"
	out=$(complete_batch "$sh" "${lines[@]}")
	for ((i = 0; i < ${#lines[@]}; i++)); do
		got=$(batch_item $((i + 1)) <<<"$out" |
		    sed 's/.*,//; s/=.*//' | sort -u)
		if [[ ${names[i]} != *'('* ]]; then
			want=$got
			continue
		fi
		[[ -n $got && $got == "$want" ]] || bad+=" ${names[i]}"
	done
	echo "$n aliases checked"
	[[ -z $bad ]] || {
		echo "options of these aliases are not those of their type:$bad"
		false
	}
}

# expect_item OUT N WORD...: line N of the batch OUT is exactly WORD...
# (as a set); with "+" as the first WORD, it contains at least them.
expect_item()
{
	local out=$1 n=$2 got w
	shift 2
	got=$(batch_item "$n" <<<"$out" | sort -u)
	if [[ $1 == + ]]; then
		shift
		for w in "$@"; do
			grep -qxF -- "$w" <<<"$got" || {
				echo "line $n: no \"$w\" among: $(echo $got)"
				return 1
			}
		done
		return 0
	fi
	[[ $got == "$(printf '%s\n' "$@" | sort -u)" ]] || {
		echo "line $n: want: $* got: $(echo $got)"
		return 1
	}
}

# check_behaviour SHELL: types, case, options, values, flags, -h topics and
# file names, each as a user types them.
check_behaviour()
{
	local sh=$1 out
	need_shell "$sh"
	mkdir -p "$W/d/sub"
	: >"$W/d/cert.pem"
	cd "$W"
	out=$(complete_batch "$sh" \
	    "sockcat tcp-l" \
	    "sockcat -v TCP-L" \
	    "sockcat tcp-listen:0,fo" \
	    "sockcat -v tcp-listen:0,fork,max" \
	    "sockcat tcp:127.0.0.1:80,no" \
	    "sockcat --v" \
	    "sockcat -" \
	    "sockcat -h opt" \
	    "sockcat unix-listen:d/su" \
	    "sockcat open:d/ce" \
	    "sockcat tls:h:443,cafile=d/c" \
	    "sockcat tls:h:443,capath=d/" \
	    "sockcat tls-listen:443,verify=" \
	    "sockcat create:d/" \
	    "sockcat tls-listen:443,cert=d/cert.pem,key=d/c" \
	    "sockcat raw-l" \
	    "sockcat unix-listen:/x,type=s" \
	    "sockcat echo ")
	expect_item "$out" 1 "tcp-listen:"
	expect_item "$out" 2 "TCP-LISTEN:"
	expect_item "$out" 3 "tcp-listen:0,forever" "tcp-listen:0,fork"
	expect_item "$out" 4 "tcp-listen:0,fork,max-children="
	expect_item "$out" 5 "tcp:127.0.0.1:80,nodelay"
	expect_item "$out" 6 "--version"
	expect_item "$out" 7 + - -v -x --help -4 -6 -b -t -T -u -U -V -d -h
	expect_item "$out" 8 options
	expect_item "$out" 9 "unix-listen:d/sub/"
	expect_item "$out" 10 "open:d/cert.pem"
	expect_item "$out" 11 "tls:h:443,cafile=d/cert.pem"
	expect_item "$out" 12 "tls:h:443,capath=d/sub/"
	expect_item "$out" 13 "tls-listen:443,verify=0" \
	    "tls-listen:443,verify=1"
	expect_item "$out" 14 "create:d/cert.pem" "create:d/sub/"
	expect_item "$out" 15 "tls-listen:443,cert=d/cert.pem,key=d/cert.pem"
	expect_item "$out" 16 "raw-listen:"
	expect_item "$out" 17 "unix-listen:/x,type=stream" \
	    "unix-listen:/x,type=seqpacket"
	expect_item "$out" 18 + tcp: tcp-listen: stdio echo - raw: tls:
}

# man_type_options TYPE: the options the ADDRESS TYPES entry of TYPE lists
# after "Options:", one per line.
man_type_options()
{
	man_section "ADDRESS TYPES" | awk -v t="$1" '
		/^\.It / {
			item = 0
			for (i = 2; i <= NF; i++)
				if ($i == t)
					item = 1
			inopts = 0
			next
		}
		item && /^Options:/ { inopts = 1; next }
		item && inopts && /^\.Cm / {
			for (i = 2; i <= NF; i++)
				if ($i != "," && $i != ".")
					print $i
			next
		}
		{ inopts = 0 }'
}


@test "docs: man page passes mandoc -T lint" {
	if ! command -v mandoc >/dev/null; then
		skip "mandoc is not installed (apt-get install mandoc)"
	fi
	run --separate-stderr mandoc -T lint "$MAN"
	# 0: nothing to say, 1: style messages only, 2: warnings; 3 and up:
	# errors. Every message is printed and must be absent below.
	((status <= 2))
	# Whether an .Xr target is found depends on the pages installed and on
	# a mandoc.db (makewhatis) on this machine, not on the page: leave out
	# only those lines.
	run grep -v -e 'referenced manual not found' \
	    -e 'mandoc.db lacks' <<<"$output
$stderr"
	[[ -z ${output//[[:space:]]/} ]] || {
		echo "mandoc -T lint says:"
		echo "$output"
		false
	}
}

@test "docs: sockcat -h fits in 80 columns and 40 lines" {
	run -0 --separate-stderr timeout "$TMO" "$SOCKCAT" -h
	[[ -n $output ]]
	local lines
	lines=$(printf '%s\n' "$output" | wc -l)
	echo "sockcat -h prints $lines lines"
	((lines <= 40))
	local long
	long=$(printf '%s\n' "$output" | awk 'length($0) > 80')
	[[ -z $long ]] || {
		echo "lines over 80 columns:"
		echo "$long"
		false
	}
	# Tabs would make the width depend on the terminal.
	[[ $output != *$'\t'* ]]
}

@test "docs: -h lists the address types and the options" {
	run -0 help_types
	echo "types: $output"
	# The types of SPEC section 4 that are in this release.
	local t
	for t in stdio tcp tcp-listen udp udp-listen unix unix-listen abstract \
	    abstract-listen exec system open create echo tls tls-listen; do
		grep -qx -- "$t" <<<"$output" || {
			echo "missing type $t"
			false
		}
	done
	run -0 help_options
	echo "options: $output"
	((${#lines[@]} >= 25))
}

@test "docs: every address type of -h is in the man page" {
	local types tags t missing=
	types=$(help_types)
	[[ -n $types ]]
	tags=$(man_tag_words "ADDRESS TYPES")
	for t in $types; do
		grep -qx -- "$t" <<<"$tags" || missing+=" $t"
	done
	[[ -z $missing ]] || {
		echo "not in ADDRESS TYPES of $MAN:$missing"
		false
	}
}

@test "docs: every alias of every type is in the man page" {
	local types tags t a aliases missing= n=0
	types=$(help_types)
	[[ -n $types ]]
	tags=$(man_tag_words "ADDRESS TYPES")
	for t in $types; do
		aliases=$(help_aliases "$t")
		for a in $aliases; do
			n=$((n + 1))
			grep -qx -- "$a" <<<"$tags" || missing+=" $a($t)"
		done
	done
	echo "$n aliases checked"
	((n > 0)) || skip "sockcat -h TYPE lists no aliases"
	[[ -z $missing ]] || {
		echo "not in ADDRESS TYPES of $MAN:$missing"
		false
	}
}

@test "docs: every option of -h options is in the man page" {
	local opts tags o missing=
	opts=$(help_options)
	[[ -n $opts ]]
	tags=$(man_tag_words "ADDRESS OPTIONS")
	for o in $opts; do
		grep -qx -- "$o" <<<"$tags" || missing+=" $o"
	done
	[[ -z $missing ]] || {
		echo "not in ADDRESS OPTIONS of $MAN:$missing"
		false
	}
}

@test "docs: man page documents every exit status and environment variable" {
	local st v
	for st in 0 1 2 3 4 5 6; do
		man_section "EXIT STATUS" | grep -qx "\.It $st"
	done
	for v in SOCKCAT_PEERADDR SOCKCAT_PEERPORT SOCKCAT_SOCKADDR \
	    SOCKCAT_SOCKPORT; do
		man_section "ENVIRONMENT" | grep -qx "\.It Ev $v"
	done
}

@test "docs: each type in the man page lists exactly the options of -h TYPE" {
	local types t want got bad=
	types=$(help_types)
	[[ -n $types ]]
	for t in $types; do
		want=$(help_options "$t" | sort -u)
		got=$(man_type_options "$t" | sort -u)
		if [[ $want != "$got" ]]; then
			bad+="
$t: sockcat -h $t: $(echo $want)
$t: $MAN:  $(echo $got)"
		fi
	done
	[[ -z $bad ]] || {
		echo "the Options: lines of ADDRESS TYPES are stale:$bad"
		false
	}
}

@test "docs: the man page documents no type or option the C tables lack" {
	local known w bad=
	known=$( (help_types; help_options; for w in $(help_types); do
	    help_aliases "$w"; done) | sort -u)
	[[ -n $known ]]
	for w in $(man_tag_words "ADDRESS TYPES" | grep -vx ':' | sort -u); do
		grep -qxF -- "$w" <<<"$known" || bad+=" type:$w"
	done
	for w in $(man_section "ADDRESS OPTIONS" |
	    awk '/^\.It Cm / { print $3 }' | sort -u); do
		grep -qxF -- "$w" <<<"$known" || bad+=" option:$w"
	done
	[[ -z $bad ]] || {
		echo "in $MAN but not in sockcat -h:$bad"
		false
	}
}

@test "completion (bash): every address type of -h, and no other" {
	check_types bash
}

@test "completion (bash): exactly the options each type takes" {
	check_options bash
}

@test "completion (bash): every alias, in either case, takes its type's options" {
	check_aliases bash
}

@test "completion (bash): types, options, values, flags and file names" {
	check_behaviour bash
}

@test "completion (zsh): the file loads with compinit and registers _sockcat" {
	command -v zsh >/dev/null ||
	    skip "zsh is not installed (apt-get install zsh)"
	run -0 --separate-stderr timeout "$TMO" zsh -f -c '
		autoload -U compinit; compinit -u -D
		source "$1" || exit 1
		print -r -- "$_comps[sockcat]"' zsh "$COMP_ZSH"
	[[ -z $stderr ]] || {
		echo "stderr: $stderr"
		false
	}
	[[ $output == _sockcat ]]
	# The exact command a user runs, from the top of the tree (compinit
	# writes its .zcompdump to ZDOTDIR).
	cd "$SRCDIR"
	run -0 --separate-stderr env ZDOTDIR="$W" timeout "$TMO" zsh -c \
	    'autoload -U compinit; compinit -u; source completions/_sockcat'
	[[ -z $stderr ]]
}

@test "completion (zsh): every address type of -h, and no other" {
	check_types zsh
}

@test "completion (zsh): exactly the options each type takes" {
	check_options zsh
}

@test "completion (zsh): every alias, in either case, takes its type's options" {
	check_aliases zsh
}

@test "completion (zsh): types, options, values, flags and file names" {
	check_behaviour zsh
}

@test "completion (fish): the file parses and loads without a word" {
	need_shell fish
	run -0 --separate-stderr timeout "$TMO" fish -n "$COMP_FISH"
	[[ -z $stderr && -z $output ]]
	run -0 --separate-stderr timeout "$TMO" fish --no-config -c \
	    'source $argv[1]' "$COMP_FISH"
	[[ -z $stderr && -z $output ]]
}

@test "completion (fish): every address type of -h, and no other" {
	check_types fish
}

@test "completion (fish): exactly the options each type takes" {
	check_options fish
}

@test "completion (fish): every alias, in either case, takes its type's options" {
	check_aliases fish
}

@test "completion (fish): types, options, values, flags and file names" {
	check_behaviour fish
}

@test "completion (bash): works with bash-completion's helpers loaded" {
	if [[ ! -r /usr/share/bash-completion/bash_completion ]]; then
		skip "bash-completion is not installed (apt-get install bash-completion)"
	fi
	run -0 complete_words "sockcat tcp-l" bc
	[[ $output == "tcp-listen:" ]]
	run -0 complete_words "sockcat tcp-listen:0,fork,max" bc
	[[ $output == "tcp-listen:0,fork,max-children=" ]]
}
