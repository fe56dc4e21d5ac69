#!/bin/sh
# make install: the binary, the man page (its options generated from each
# command's --help and its rule list from `plumb rules`, the tables the
# binary uses, so they cannot drift), bash, zsh and fish completions
# (generated the same way, ci/completions.sh), the schemas.
# usage: install.sh DESTDIR PREFIX PLUMB
set -eu
destdir=$1
prefix=$2
plumb=$3
cd "$(dirname "$0")/.."

bindir="$destdir$prefix/bin"
mandir="$destdir$prefix/share/man/man1"
datadir="$destdir$prefix/share/plumb"
bashdir="$destdir$prefix/share/bash-completion/completions"
zshdir="$destdir$prefix/share/zsh/site-functions"
fishdir="$destdir$prefix/share/fish/vendor_completions.d"

mkdir -p "$bindir" "$mandir" "$datadir/schemas" "$bashdir" "$zshdir" "$fishdir"
install -m 755 "$plumb" "$bindir/plumb"
install -m 644 schemas/*.json "$datadir/schemas/"
# The rule packs are compiled into the binary (plumb rules names them
# [rules/<pack>.yaml], built in); copies here would never be read.
{
	sed "s/@VERSION@/$("$plumb" version | head -1 | cut -d' ' -f2)/" ci/plumb.1.in
	sh ci/completions.sh man "$plumb"
	echo ".SH RULES"
	"$plumb" rules | while read -r id sev summary; do
		printf '.TP\n.B %s\n(%s) %s\n' "$id" "$sev" "$summary"
	done
	cat ci/plumb.1.tail
} >"$mandir/plumb.1"
sh ci/completions.sh bash "$plumb" >"$bashdir/plumb"
sh ci/completions.sh zsh "$plumb" >"$zshdir/_plumb"
sh ci/completions.sh fish "$plumb" >"$fishdir/plumb.fish"
chmod 644 "$bashdir/plumb" "$zshdir/_plumb" "$fishdir/plumb.fish"
echo "installed plumb in $destdir$prefix"
