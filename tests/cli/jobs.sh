#!/bin/sh
# The same bytes for any -j. The pool reads, parses and lints files in
# whatever order its workers finish them (under --staged each worker
# also reads and inflates its own blobs from git); what a user sees must
# not depend on it. Compared at -j1, -j2 and -j4, in text, JSON and
# SARIF: a repository of ../shared/corpus as files on disk; the same
# repository committed, with changes staged, read from the index with
# --staged (loose objects, then packed); and a repository missing the
# object of a file that is not staged (exit 2, the path listed, alike at
# every -j). Every -j1 run is first required to have done its work (the
# exit code and a finding), or two equal failures would pass.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
export NO_COLOR=1
SHARED=${SHARED:-../shared}
repo=$SHARED/corpus/tinyrack-net__homelab
if [ ! -d "$repo" ]; then
	echo "SKIPPED: $repo not found"
	exit 0
fi
if ! command -v git >/dev/null 2>&1; then
	echo "SKIPPED: no git on PATH"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp/home"
mkdir -p "$HOME"

# same_bytes WHAT RC DIR ARGS...: plumb ARGS in DIR at -j1 exits RC and
# prints a finding (JSON and SARIF: a ruleId); -j2 and -j4 print the
# same stdout and stderr and exit alike, in every format
same_bytes() {
	what=$1 want=$2 dir=$3
	shift 3
	for f in text json sarif; do
		(cd "$dir" && "$PLUMB" check -j1 --format $f "$@") \
			>"$tmp/j1.out" 2>"$tmp/j1.err"
		r1=$?
		[ "$r1" = "$want" ] && ok ||
			bad "$what, $f: -j1 exits $r1, want $want: $(head -c 600 "$tmp/j1.err")"
		grep -q 'error\[\|warning\[\|"rule"\|"ruleId"' "$tmp/j1.out" && ok ||
			bad "$what, $f: -j1 reports no finding"
		for jn in 2 4; do
			(cd "$dir" && "$PLUMB" check -j$jn --format $f "$@") \
				>"$tmp/jn.out" 2>"$tmp/jn.err"
			rn=$?
			[ "$rn" = "$r1" ] && ok ||
				bad "$what, $f: -j$jn exits $rn, -j1 $r1"
			cmp -s "$tmp/j1.out" "$tmp/jn.out" && ok ||
				bad "$what, $f: -j1 and -j$jn reports differ: $(diff "$tmp/j1.out" "$tmp/jn.out" | head -5)"
			cmp -s "$tmp/j1.err" "$tmp/jn.err" && ok ||
				bad "$what, $f: -j1 and -j$jn stderr differ: $(diff "$tmp/j1.err" "$tmp/jn.err" | head -5)"
		done
	done
}

# --- files on disk -------------------------------------------------------------
same_bytes "corpus folder" 1 . "$repo"

# --- the index (--staged) ------------------------------------------------------
g=$tmp/git
mkdir -p "$g"
cp -R "$repo/." "$g/"
git init -q -b main "$g"
git -C "$g" config user.email dev@example.org
git -C "$g" config user.name dev
git -C "$g" config commit.gpgsign false
git -C "$g" add -A
git -C "$g" commit -qm corpus
# staged: a document with a duplicate key added to a few YAML files, a
# token in a new file
k=0
for f in $(cd "$g" && git ls-files '*.yaml' | sed -n '1p;40p;80p;120p;160p'); do
	printf '\n---\nplumbDup: 1\nplumbDup: 2\n' >>"$g/$f"
	git -C "$g" add "$f"
	k=$((k + 1))
done
[ "$k" = 5 ] && ok || bad "five YAML files staged, not $k"
printf 'export GITHUB_TOKEN=%s\n' ghp_Zr8qL1vT9xWc2mN4pQ7sK3jH6gF5dS0aB1cE >"$g/token.sh"
git -C "$g" add token.sh
same_bytes "--staged, loose objects" 1 "$g" --staged
run sh -c 'cd "$1" && "$2" check -j2 --staged' sh "$g" "$PLUMB"
expect_count 5 "error[yaml/duplicate-key]: duplicate key 'plumbDup'" \
	"--staged -j2 reads every staged blob"
expect_out "token.sh:1:" "--staged -j2 reads a new file"
git -C "$g" gc -q
[ -z "$(find "$g/.git/objects" -path '*/objects/??/*' -type f)" ] && ok ||
	bad "git gc packed every object"
same_bytes "--staged, packed objects" 1 "$g" --staged

# --- an object git cannot give -------------------------------------------------
m=$tmp/missing
mkdir -p "$m"
cp -R "$g/." "$m/"
# loose again (unpack-objects skips what a pack of the repository holds),
# then one object removed
mkdir "$tmp/pack"
mv "$m"/.git/objects/pack/* "$tmp/pack/"
git -C "$m" unpack-objects -q <"$(ls "$tmp"/pack/*.pack)"
lost=$(cd "$m" && git ls-files '*.yaml' | sed -n 200p)
oid=$(git -C "$m" rev-parse ":$lost")
rm -f "$m/.git/objects/$(echo "$oid" | cut -c1-2)/$(echo "$oid" | cut -c3-)"
git -C "$m" cat-file -e "$oid" 2>/dev/null && bad "the object of $lost is gone" || ok
same_bytes "--staged, a missing object" 2 "$m" --staged
run sh -c 'cd "$1" && "$2" check -j4 --staged' sh "$m" "$PLUMB"
expect_rc 2 "--staged -j4: a blob git cannot give fails the run"
expect_err "cannot read '$lost' (blob $(echo "$oid" | cut -c1-7): object not found)" \
	"--staged -j4 names the unread path and its object"
expect_out "$lost:1:1: error[source/unreadable]" "--staged -j4 reports it"
expect_count 1 "error[source/unreadable]" "--staged -j4: only that blob is unread"
expect_count 5 "error[yaml/duplicate-key]: duplicate key 'plumbDup'" \
	"--staged -j4 still lints the staged files"

finish cli-jobs
