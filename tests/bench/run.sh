#!/bin/sh
# make bench: plumb check over ../shared/corpus, with its ratio to a
# baseline measured in the same run: reading the same bytes with cat
# (the floor DESIGN.md's performance model aims at). Prints figures and
# never asserts them: machines here are shared and noisy.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
SHARED=${SHARED:-../shared}
corpus="$SHARED/corpus"
if [ ! -d "$corpus" ]; then
	echo "bench: $corpus not found"
	exit 2
fi
runs=${BENCH_RUNS:-3}

now() { date +%s%N; }

# best of $runs wall-clock times of a command, in ms
best() {
	b=""
	i=0
	while [ $i -lt "$runs" ]; do
		t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now)
		t=$(((t1 - t0) / 1000000))
		if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
		i=$((i + 1))
	done
	echo "$b"
}

files=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -exec cat {} + | wc -c)
echo "corpus: $files files, $bytes bytes; best of $runs runs"

base=$(best sh -c "find '$corpus' -type f -exec cat {} + >/dev/null")
j1=$(best "$PLUMB" check -j1 "$corpus")
jn=$(best "$PLUMB" check "$corpus")
big=$(best "$PLUMB" check -j1 "$corpus/argoproj__argo-cd/manifests/ha/install.yaml")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 1) b = 1; printf "%.1f", a / b }'; }
mbps() { awk -v by="$1" -v ms="$2" 'BEGIN { if (ms < 1) ms = 1; printf "%.1f", by / 1048576 / (ms / 1000) }'; }

printf '%-36s %8s ms\n' "baseline: cat every file" "$base"
printf '%-36s %8s ms  %s x baseline, %s MB/s\n' "plumb check -j1" "$j1" "$(ratio "$j1" "$base")" "$(mbps "$bytes" "$j1")"
printf '%-36s %8s ms  %s x baseline, %s x faster than -j1\n' "plumb check (one worker per core)" "$jn" "$(ratio "$jn" "$base")" "$(ratio "$j1" "$jn")"
printf '%-36s %8s ms\n' "argo-cd ha/install.yaml (2 MB) -j1" "$big"
if [ -n "${BUILD:-}" ] && [ -x "$BUILD/tests/secrets_bench" ]; then
	echo "secrets scanner alone, same corpus:"
	"$BUILD/tests/secrets_bench" "$corpus"
fi
if command -v /usr/bin/time >/dev/null 2>&1; then
	rss=$(/usr/bin/time -f %M "$PLUMB" check -j1 "$corpus" 2>&1 >/dev/null | tail -1)
	echo "peak memory, -j1 over the corpus: ${rss} KiB"
fi

# --staged on a one-file change in a large repository (the corpus as one
# git repository): what a pre-commit hook costs. Baseline: git's own
# `git diff --cached --stat` over the same index.
if command -v git >/dev/null 2>&1; then
	repo=$(mktemp -d)
	cp -R "$corpus/." "$repo/"
	(
		cd "$repo" &&
			git init -q &&
			git add -A &&
			git -c user.email=b@e -c user.name=bench commit -qm corpus
	) >/dev/null 2>&1
	first=$(cd "$repo" && git ls-files '*.yaml' | head -1)
	printf '\n# a change\n' >>"$repo/$first"
	git -C "$repo" add "$first"
	gitbase=$(best git -C "$repo" diff --cached --stat)
	staged=$(cd "$repo" && best "$PLUMB" check --staged)
	nidx=$(git -C "$repo" ls-files | wc -l)
	printf '%-36s %8s ms\n' "git diff --cached ($nidx files)" "$gitbase"
	printf '%-36s %8s ms  %s x git\n' "plumb check --staged (1 file)" "$staged" "$(ratio "$staged" "$gitbase")"
	rm -rf "$repo"
fi
