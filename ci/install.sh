#!/bin/sh
# make install: the binary, the man page (its rule list generated from
# `plumb rules`, the same table, so they cannot drift), bash and zsh
# completions, the schemas. usage: install.sh DESTDIR PREFIX PLUMB
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

mkdir -p "$bindir" "$mandir" "$datadir/schemas" "$datadir/rules" "$bashdir" "$zshdir"
install -m 755 "$plumb" "$bindir/plumb"
install -m 644 schemas/*.json "$datadir/schemas/"
for pack in rules/*.yaml; do
	[ -e "$pack" ] && install -m 644 "$pack" "$datadir/rules/"
done
{
	sed "s/@VERSION@/$("$plumb" version | head -1 | cut -d' ' -f2)/" ci/plumb.1.in
	"$plumb" rules | while read -r id sev summary; do
		printf '.TP\n.B %s\n(%s) %s\n' "$id" "$sev" "$summary"
	done
	cat ci/plumb.1.tail
} >"$mandir/plumb.1"
install -m 644 ci/completions/plumb.bash "$bashdir/plumb"
install -m 644 ci/completions/_plumb "$zshdir/_plumb"
echo "installed plumb in $destdir$prefix"
