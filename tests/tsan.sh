#!/bin/sh
# make tsan: plumb check on the worker pool under ThreadSanitizer
# (PLUMB built with VARIANT=tsan). Runs -j2 and -j4 over every repository
# of ../shared/corpus, over a corpus tests/bench/gen.c writes (GEN; small
# and medium), and --staged over that corpus committed with a change
# staged (each worker reading its own blobs from git). Any ThreadSanitizer
# report fails, as does an exit other than 0 or 1. Not part of make test:
# it takes minutes.
set -u
cd "$(dirname "$0")/.."
: "${PLUMB:?}" "${GEN:?}"
SHARED=${SHARED:-../shared}
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1${TSAN_OPTIONS:+ $TSAN_OPTIONS}"
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=0
fails=0

# check WHAT DIR ARGS...: plumb check ARGS in DIR, without a race
check() {
	what=$1 dir=$2
	shift 2
	runs=$((runs + 1))
	(cd "$dir" && "$PLUMB" check "$@") >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" -gt 1 ] || grep -q ThreadSanitizer "$tmp/err"; then
		fails=$((fails + 1))
		echo "FAIL: $what ($*): exit $rc"
		head -60 "$tmp/err"
	fi
}

if [ -d "$SHARED/corpus" ]; then
	for r in "$SHARED"/corpus/*/; do
		for j in 2 4; do
			check "$(basename "$r")" . -j$j "$r"
		done
	done
else
	echo "SKIPPED: $SHARED/corpus not found"
fi

for size in small medium; do
	d=$tmp/$size
	"$GEN" "$d" "$size" >/dev/null || exit 2
	check "generated $size" "$d" -j2 .
	check "generated $size" "$d" -j4 .
done
d=$tmp/small
if command -v git >/dev/null 2>&1; then
	(
		cd "$d" && git init -q && git add -A &&
			git -c user.email=t@e -c user.name=tsan commit -qm corpus &&
			f=$(git ls-files 'apps/*/deployment.yaml' | head -1) &&
			printf '\n# a change\n' >>"$f" && git add "$f"
	) >/dev/null 2>&1
	check "generated small, --staged" "$d" -j2 --staged
	check "generated small, --staged" "$d" -j4 --staged
	git -C "$d" gc -q
	check "generated small, packed, --staged" "$d" -j4 --staged
fi
echo "tsan: $runs runs, $fails with a race or a failure"
[ "$fails" = 0 ]
