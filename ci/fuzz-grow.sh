#!/bin/sh
# Grows tests/fuzz/corpus/<target>/ from what `make fuzz` found, keeping
# only inputs that reach code the kept corpus and the generated seeds do
# not (libFuzzer's -merge=1, which also picks the smallest input for each
# feature). Run after a long `make fuzz FUZZ_SECONDS=...`; review and
# commit what it adds. usage: fuzz-grow.sh [TARGET...] (default: all)
set -eu
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- $(ls tests/fuzz/fuzz_*.c | sed 's|.*/||; s|\.c$||')
for t in "$@"; do
	bin=build/fuzz/tests/$t
	found=build/fuzz/corpus/$t
	if [ ! -x "$bin" ] || [ ! -d "$found" ]; then
		echo "fuzz-grow: $t: no $bin or $found (run make fuzz first)" >&2
		exit 2
	fi
	work=$(mktemp -d)
	# what is kept already: the committed corpus and the seeds
	mkdir -p "$work/base" "$work/new"
	cp tests/fuzz/corpus/"$t"/* "$work/base/" 2>/dev/null || true
	cp build/fuzz/fuzz-seeds/"$t"/* "$work/base/" 2>/dev/null || true
	before=$(ls "$work/base" | wc -l)
	"$bin" -merge=1 -use_counters=0 "$work/base" "$found" >"$work/log" 2>&1 || {
		cat "$work/log" >&2
		rm -rf "$work"
		exit 2
	}
	# the merge wrote the new inputs into base, named by their SHA-1
	added=0
	for f in "$work/base"/*; do
		n=$(basename "$f")
		[ -e tests/fuzz/corpus/"$t"/"$n" ] && continue
		[ -e build/fuzz/fuzz-seeds/"$t"/"$n" ] && continue
		cp "$f" tests/fuzz/corpus/"$t"/"$n"
		added=$((added + 1))
	done
	echo "fuzz-grow: $t: $before kept, $added added"
	rm -rf "$work"
done
