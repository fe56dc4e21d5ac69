#!/bin/sh
# Never a silent clean through git. Content git cannot give (a blobless
# partial clone, a deleted object, a corrupt pack) makes --staged,
# --diff-base --new-only and --history exit 2 with the path, the object
# and how to get it; the report that is still written lists the path and
# does not count it as linted. A tracked file is linted even when .gitignore matches it. In a
# shallow clone --diff-base works whenever `git merge-base` does, and a
# clone too shallow for the request names the fix. Repositories are built
# in a temporary folder with the git CLI (clones over file://).
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
export NO_COLOR=1
if ! command -v git >/dev/null 2>&1; then
	echo "SKIPPED: no git on PATH"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh
# no user or system git configuration may change what the tests build
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp/home"
# under `make san`: libgit2 1.5 leaks a regex match in every repository of
# format version 1 (each partial clone here); tests/lsan.supp names that
# leak, and only full unwinding lets LeakSanitizer see past pcre2 to it
if [ -n "${ASAN_OPTIONS:-}" ]; then
	export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
	export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=\"$PWD/tests/lsan.supp\":print_suppressions=0"
fi
mkdir -p "$HOME"

tok=ghp_Zr8qL1vT9xWc2mN4pQ7sK3jH6gF5dS0aB1cE
tok2=ghp_Xk9mQ2vL7tR4wZ8nB3cF6hJ1pS5dG0aE2yU4
# newrepo DIR: an empty repository with a fixed identity
newrepo() {
	git init -q -b main "$1"
	git -C "$1" config user.email dev@example.org
	git -C "$1" config user.name dev
	git -C "$1" config commit.gpgsign false
}
# commit DIR DAY MESSAGE: commits everything, dated DAY at noon UTC
commit() {
	git -C "$1" add -A
	GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" \
		git -C "$1" commit -q -m "$3"
}
short() { git -C "$1" rev-parse --short=7 "$2"; }
# loose DIR OID: the file of a loose object
loose() { printf '%s/.git/objects/%s/%s' "$1" "$(printf %.2s "$2")" "${2#??}"; }

# --- tracked files that .gitignore matches ------------------------------------
r="$tmp/ignored repo"
newrepo "$r"
printf '.env\nvendor/\n*.local.sh\n' >"$r/.gitignore"
printf 'GITHUB_TOKEN=%s\n' "$tok" >"$r/.env"
mkdir "$r/vendor"
printf 'T=%s\n' "$tok" >"$r/vendor/tracked.sh"
printf 'T=%s\n' "$tok" >"$r/vendor/untracked.sh"
printf 'T=%s\n' "$tok" >"$r/dev.local.sh"
git -C "$r" add .gitignore
git -C "$r" add -f .env vendor/tracked.sh
commit "$r" 2024-01-01 "tracked, though ignored"
run sh -c 'cd "$1" && "$2" check' sh "$r" "$PLUMB"
expect_rc 1 "a tracked .env that .gitignore matches is linted"
expect_out ".env:1:14: error[secrets/token]" "at its line and column"
expect_out "vendor/tracked.sh:1:3: error[secrets/token]" "a tracked file in an ignored folder too"
expect_no_out "untracked.sh" "an untracked file of the ignored folder stays ignored"
expect_no_out "dev.local.sh" "an untracked ignored file stays ignored"
expect_out "2 errors, 0 warnings, 0 infos in 3 files" "three files: .gitignore, .env, vendor/tracked.sh"
git -C "$r" branch base
printf 'GITHUB_TOKEN=%s\nOTHER=1\n' "$tok2" >"$r/.env"
commit "$r" 2024-01-02 "rotate"
run sh -c 'cd "$1" && "$2" check --diff-base base --new-only' sh "$r" "$PLUMB"
expect_rc 1 "--diff-base lints a changed tracked .env"
expect_out ".env:1:14: error[secrets/token]" "the new token"
expect_no_out "vendor/" "an unchanged file is not reported"

# --- a blobless partial clone ---------------------------------------------------
src="$tmp/source repo"
newrepo "$src"
git -C "$src" config uploadpack.allowFilter true
printf 'a: 1\n' >"$src/a.yaml"
commit "$src" 2024-02-01 "first"
printf 'b: 1\nb: 2\n' >"$src/a.yaml"
printf 'export T=%s\n' "$tok" >"$src/s.sh"
commit "$src" 2024-02-02 "second"
old=$(git -C "$src" rev-parse HEAD~1:a.yaml)
first=$(short "$src" HEAD~1)
second=$(short "$src" HEAD)
pc="$tmp/partial clone"
git clone -q --filter=blob:none "file://$src" "$pc"
# the fixture is what it claims: the first a.yaml is not in the clone
if git -C "$pc" rev-list --objects --all --missing=print | grep -q "^?$old"; then
	ok
else
	bad "the partial clone holds blob $old: the fixture proves nothing"
fi
P() { (cd "$pc" && "$PLUMB" check "$@"); }
run P --diff-base HEAD~1
expect_rc 1 "--diff-base lists changed files without their old blobs"
expect_out "a.yaml:2:1: error[yaml/duplicate-key]" "the changed YAML file"
expect_out "s.sh:1:10: error[secrets/token]" "the new script"
run P --diff-base HEAD~1 --new-only
expect_rc 2 "--new-only needs the old blob, which the clone lacks"
expect_err "plumb: --new-only: cannot read 'a.yaml' at the merge base (blob $(printf %.7s "$old"): object not found); this is a partial clone: fetch the missing objects ('git config --unset remote.origin.partialclonefilter; git fetch --refetch origin') or clone without --filter" "names the file, the blob and the fix"
expect_no_out "no findings" "no clean report"
run P --history
expect_rc 2 "--history with a blob the clone lacks"
expect_out "a.yaml:1:1: error[source/unreadable]: not linted: git could not give its content (blob $(printf %.7s "$old"): object not found); a blob of commit $first on 2024-02-01" "the unread blob is a finding"
expect_out "s.sh:1:10: error[secrets/token]" "what could be read is still scanned"
expect_out "in 2 files; 1 file could not be read from git" "the summary does not count it as linted"
expect_err "plumb: --history: cannot read 'a.yaml' (blob $(printf %.7s "$old"): object not found)" "stderr names it"
expect_err "plumb: --history: 1 file could not be read from git and was not linted; this is a partial clone" "and says how to get it"
run P --history --fail-on none
expect_rc 2 "--fail-on none does not make unread content pass"
run P --history --format sarif -o "$tmp/h.sarif"
expect_rc 2 "a SARIF report is still written"
expect_file '"executionSuccessful": false' "$tmp/h.sarif" "the invocation did not succeed"
expect_file '"text": "not linted: git could not give its content (blob' "$tmp/h.sarif" "a notification says why"
expect_file '"uri": "a.yaml"' "$tmp/h.sarif" "and where"
run P --history --format json
expect_rc 2 "--format json"
expect_out '"unread": [' "the JSON report lists the unread paths"
expect_out '"files": 2,' "and does not count them as linted"
expect_out '"unread": 1' "the summary counts them"
# both reports still follow their schemas (report.sh fails when python3
# lacks jsonschema; here it is only skipped)
printf '%s\n' "$out" >"$tmp/h.json"
py=/usr/bin/python3
sarif_schema=${SHARED:-../shared}/testsuites/sarif/schema/sarif-schema-2.1.0.json
if [ -x "$py" ] && $py -c 'import jsonschema' 2>/dev/null; then
	$py - schemas/report.schema.json "$tmp/h.json" <<'EOF' && ok || bad "the unread JSON report does not validate against schemas/report.schema.json"
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
errors = list(v.iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("  %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))
sys.exit(1 if errors else 0)
EOF
	if [ -f "$sarif_schema" ]; then
		$py - "$sarif_schema" "$tmp/h.sarif" <<'EOF' && ok || bad "the unread SARIF log does not validate against the SARIF 2.1.0 schema"
import json, sys, jsonschema
v = jsonschema.Draft4Validator(json.load(open(sys.argv[1])))
errors = list(v.iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:10]:
    print("  %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))
sys.exit(1 if errors else 0)
EOF
	fi
fi
run P --history --since HEAD~1
expect_rc 2 "--since: the old version of a changed file is unread too"
expect_out "a.yaml:1:1: error[source/unreadable]: not linted: git could not give its content (blob $(printf %.7s "$old"): object not found, the version this commit changed); a blob of commit $second" "what it introduced is unknown"
# the fix the message gives works
git -C "$pc" config --unset remote.origin.partialclonefilter
git -C "$pc" fetch -q --refetch origin
run P --history
expect_rc 1 "after fetching the missing objects every blob is read"
expect_out "1 error, 0 warnings, 0 infos in 3 files" "three blobs, none unread"
expect_no_out "source/unreadable" "nothing is unread"
run P --diff-base HEAD~1 --new-only
expect_rc 1 "and --new-only works"
expect_out "a.yaml:2:1: error[yaml/duplicate-key]" "on the changed line"

# --- a missing or corrupt object in a full repository --------------------------
m="$tmp/missing blob"
newrepo "$m"
printf 'a: 1\n' >"$m/a.yaml"
commit "$m" 2024-03-01 "first"
printf 'export T=%s\n' "$tok" >"$m/s.sh"
printf 'k: 1\nk: 2\n' >"$m/k.yaml"
git -C "$m" add s.sh k.yaml
rm "$(loose "$m" "$(git -C "$m" rev-parse :k.yaml)")"
run sh -c 'cd "$1" && "$2" check --staged' sh "$m" "$PLUMB"
expect_rc 2 "--staged with a staged blob deleted from .git/objects"
expect_out "k.yaml:1:1: error[source/unreadable]: not linted: git could not give its content (blob $(git -C "$m" rev-parse --short=7 :k.yaml): object not found)" "the unread file is a finding"
expect_out "s.sh:1:10: error[secrets/token]" "the other staged file is linted"
expect_out "2 errors, 0 warnings, 0 infos in 1 file; 1 file could not be read from git" "the summary counts the staged file read (not the committed a.yaml), and the unread one apart"
expect_err "plumb: --staged: 1 file could not be read from git and was not linted; the repository is missing objects or damaged ('git fsck' lists them): fetch again or clone anew" "the fix for a damaged repository"
git -C "$m" rm -q --cached k.yaml
rm "$m/k.yaml"
commit "$m" 2024-03-02 "second"
rm "$(loose "$m" "$(git -C "$m" rev-parse HEAD~1:a.yaml)")"
run sh -c 'cd "$1" && "$2" check --history' sh "$m" "$PLUMB"
expect_rc 2 "--history with a committed blob deleted"
expect_out "a.yaml:1:1: error[source/unreadable]" "the unread blob"
expect_out "s.sh:1:10: error[secrets/token]" "the rest is scanned"
expect_err "1 file could not be read from git and was not linted" "says so"

# a corrupt pack: the blob's deflate stream overwritten in the middle
c="$tmp/corrupt pack"
newrepo "$c"
seq 1 20000 >"$c/numbers.txt"
printf 'a: 1\n' >"$c/a.yaml"
commit "$c" 2024-03-03 "packed"
git -C "$c" repack -q -a -d
pack=$(ls "$c"/.git/objects/pack/*.pack)
size=$(wc -c <"$pack")
chmod u+w "$pack"
dd if=/dev/zero of="$pack" bs=1 seek=$((size / 2)) count=64 conv=notrunc 2>/dev/null
run sh -c 'cd "$1" && "$2" check --history' sh "$c" "$PLUMB"
expect_rc 2 "--history with a corrupt pack"
expect_out "numbers.txt:1:1: error[source/unreadable]: not linted: git could not give its content (blob $(git -C "$c" rev-parse --short=7 HEAD:numbers.txt): " "names the blob and libgit2's reason"
expect_out "1 error, 0 warnings, 0 infos in 1 file; 1 file could not be read from git" "a.yaml is read, numbers.txt not counted as linted"
expect_err "the repository is missing objects or damaged ('git fsck' lists them)" "and the fix"

# a damaged loose object: plumb reads objects as git does, without hashing
# each again, so what catches the damage is zlib's checksum of the stream
l="$tmp/damaged loose"
newrepo "$l"
seq 1 5000 >"$l/numbers.txt"
printf 'a: 1\n' >"$l/a.yaml"
git -C "$l" add numbers.txt a.yaml
obj=$(loose "$l" "$(git -C "$l" rev-parse :numbers.txt)")
size=$(wc -c <"$obj")
chmod u+w "$obj"
printf 'XXXXXXXX' | dd of="$obj" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run sh -c 'cd "$1" && "$2" check --staged' sh "$l" "$PLUMB"
expect_rc 2 "--staged with a damaged loose object"
expect_out "numbers.txt:1:1: error[source/unreadable]: not linted: git could not give its content" "the damaged blob is not read as if it were whole"

# --- shallow clones -------------------------------------------------------------
# main: m1 m2 m3 m4; feature branches off m3: f1 (a finding), f2
s="$tmp/shallow source"
newrepo "$s"
for i in 1 2 3; do
	printf 'm: %s\n' "$i" >"$s/m.yaml"
	commit "$s" "2024-04-0$i" "m$i"
done
git -C "$s" checkout -q -b feature
printf 'f: 1\nf: 2\n' >"$s/f.yaml"
commit "$s" 2024-04-04 f1
printf 'g: 1\n' >"$s/g.yaml"
commit "$s" 2024-04-05 f2
git -C "$s" checkout -q main
printf 'm: 4\n' >"$s/m.yaml"
commit "$s" 2024-04-06 m4
m3=$(git -C "$s" rev-parse main~1)

# depth 3 of feature is f2 f1 m3: m3 is the boundary and the merge base
sh1="$tmp/shallow clone"
git clone -q --depth 3 --branch feature "file://$s" "$sh1"
git -C "$sh1" fetch -q --depth 2 origin main:refs/remotes/origin/main
if grep -qx "$m3" "$sh1/.git/shallow" &&
	[ "$(git -C "$sh1" merge-base origin/main HEAD)" = "$m3" ]; then
	ok
else
	bad "the fixture's merge base is not the shallow boundary m3"
fi
run sh -c 'cd "$1" && "$2" check --diff-base origin/main' sh "$sh1" "$PLUMB"
expect_rc 1 "--diff-base finds the merge base at the shallow boundary"
expect_out "f.yaml:2:1: error[yaml/duplicate-key]" "the branch's file"
expect_out "1 error, 0 warnings, 0 infos in 2 files" "the summary counts the two changed files, not every file read for the model"
run sh -c 'cd "$1" && "$2" check --diff-base origin/main --new-only' sh "$sh1" "$PLUMB"
expect_rc 1 "--new-only too"
expect_out "f.yaml:2:1: error[yaml/duplicate-key]" "the added line"

# depth 1 of each: no common commit in the clone
sh2="$tmp/too shallow"
git clone -q --depth 1 --branch feature "file://$s" "$sh2"
git -C "$sh2" fetch -q --depth 1 origin main:refs/remotes/origin/main
run sh -c 'cd "$1" && "$2" check --diff-base origin/main' sh "$sh2" "$PLUMB"
expect_rc 2 "a clone too shallow for the merge base"
expect_err "plumb: --diff-base: this shallow clone holds no common ancestor of 'origin/main' and HEAD: fetch more history (git fetch --unshallow; actions/checkout: fetch-depth: 0)" "names the fix"
expect_no_out "no findings" "no clean report"
run sh -c 'cd "$1" && "$2" check --diff-base origin/nope' sh "$sh2" "$PLUMB"
expect_rc 2 "a ref the shallow clone lacks"
expect_err "--diff-base: 'origin/nope' is not a commit of this repository; this shallow clone may lack it: fetch more history" "says it may be missing"
# the fix the message gives works
git -C "$sh2" fetch -q --unshallow origin
git -C "$sh2" fetch -q origin main:refs/remotes/origin/main
run sh -c 'cd "$1" && "$2" check --diff-base origin/main' sh "$sh2" "$PLUMB"
expect_rc 1 "after git fetch --unshallow"
expect_out "f.yaml:2:1: error[yaml/duplicate-key]" "the branch's file is reported"

echo "cli-gitread: $n assertions, $fails failed"
[ "$fails" = 0 ]
