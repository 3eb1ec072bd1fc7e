#!/usr/bin/env zsh
# zsh-complete.zsh: print what zsh's completion system offers for each line.
#
# Copyright (c) 2026 The sockcat developers
# SPDX-License-Identifier: BSD-2-Clause
#
# usage: zsh tests/zsh-complete.zsh COMPDIR LINE...
# Starts an interactive `zsh -f` on a pseudo-terminal (zsh/zpty) with COMPDIR
# first in $fpath and compinit loaded, types each LINE followed by TAB, and
# prints every candidate the completion functions hand to compadd, as the
# whole word it would make (IPREFIX, prefixes and suffixes included), one per
# line; after the candidates of each LINE comes a line "--END--". compadd is
# wrapped so that nothing is inserted or listed. The idea comes from
# Valodim's zsh-capture-completion. Run it under timeout(1): a completion
# that never returns would leave it waiting.

zmodload zsh/zpty || exit 2
setopt rcquotes
compdir=$1
shift

zpty z zsh -f -i
zpty -w z "fpath=(${(q)compdir} \$fpath)"

# Set up the inner shell from a temporary file; it says "ok" when ready.
() {
	local line
	zpty -w z source $1
	repeat 8; do
		zpty -r z line
		[[ $line == ok* ]] && return
	done
	print -u2 'zsh-complete.zsh: the inner zsh did not start'
	exit 2
} =( <<< '
PROMPT=
autoload -U compinit
compinit -u -D
# A NUL line before and after the candidates of each completion.
null-line () {
	echo -E - $''\0''
}
capture-complete () {
	compprefuncs=( null-line )
	comppostfuncs=( null-line )
	zle complete-word
}
zle -N capture-complete
bindkey ''^M'' undefined
bindkey ''^J'' undefined
bindkey ''^I'' capture-complete
bindkey ''^U'' kill-whole-line
zstyle '':completion:*'' list-grouped false
zstyle '':completion:*'' insert-tab false
zstyle '':completion:*'' list-separator ''''
zmodload zsh/zutil
# Print the matches of each compadd call instead of adding them; calls
# that only compute matches (-O, -A, -D) go through.
compadd () {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return $?
	fi
	typeset -a __hits __dscr
	builtin compadd -A __hits -D __dscr "$@"
	setopt localoptions norcexpandparam extendedglob
	typeset -A apre hpre hsuf asuf
	zparseopts -E P:=apre p:=hpre S:=asuf s:=hsuf
	integer dirsuf=0
	if [[ -z $hsuf && "${${@//-default-/}% -# *}" == *-[[:alnum:]]#f* ]]
	then
		dirsuf=1
	fi
	[[ -n $__hits ]] || return
	local dsuf i
	for i in {1..$#__hits}; do
		(( dirsuf )) && [[ -d $hpre$__hits[$i] ]] && dsuf=/ || dsuf=
		echo -E - $IPREFIX$apre$hpre$__hits[$i]$dsuf$hsuf$asuf
	done
}
echo ok')

local l line
integer tog
for l in "$@"; do
	zpty -w -n z "$l"$'\t'
	tog=0
	while zpty -r z line; do
		if [[ $line == *$'\0'* ]]; then
			(( tog++ )) && break || continue
		fi
		line=${${line//$'\r'}%$'\n'}
		(( tog )) && [[ -n $line ]] && print -r -- $line
	done
	print -r -- --END--
	zpty -w -n z $'\C-u'
done
zpty -d z
