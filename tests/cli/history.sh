#!/bin/sh
# plumb check --history [--since REF]: a secret deleted in a later commit
# is found, with the commit that introduced it and its date, and a plain
# check does not see it; a secret that survives edits of its file is
# reported once; --since scans only newer commits and puts a secret on
# the commit that introduced it (not on a later edit or rename of its
# file); binary blobs are
# skipped; only secrets/ rules run (the structural ones on YAML blobs);
# inline ignores hold; every format masks the secret; outside a git work
# tree, in a shallow clone or with an unknown REF the exit is 2 with a
# clear message. Repositories are built with the git CLI and fixed dates.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

count_out() { printf '%s\n' "$out" | grep -cF -- "$1"; }

if ! command -v git >/dev/null 2>&1; then
	echo "SKIPPED: git is not installed"
	exit 0
fi
# no user or system git configuration may change what the tests build
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp/home"
mkdir -p "$HOME"

# commit DAY MESSAGE: commits what is staged, dated DAY at noon UTC
commit() {
	GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" \
		git -C "$repo" commit -q -m "$2"
}
newrepo() {
	repo="$tmp/$1"
	git init -q "$repo"
	git -C "$repo" config user.name "Plumb Test"
	git -C "$repo" config user.email "test@plumb.invalid"
	git -C "$repo" config commit.gpgsign false
}
short() { git -C "$repo" rev-parse --short "$1"; }

tok="ghp_Zr8qL1vT9xWc2mN4pQ7sK3jH6gF5dS0aB1cE"
tok2="ghp_Xk9mQ2vL7tR4wZ8nB3cF6hJ1pS5dG0aE2yU4"

# --- a secret committed, then deleted ---------------------------------------
newrepo deleted
printf '#!/bin/sh\nexport GITHUB_TOKEN=%s\n' "$tok" >"$repo/deploy.sh"
printf '# demo\n' >"$repo/README.md"
git -C "$repo" add . && commit 2024-01-02 "add deploy script"
c1=$(short HEAD)
git -C "$repo" rm -q deploy.sh && commit 2024-02-03 "remove the token"

run "$PLUMB" check "$repo"
expect_rc 0 "a plain check does not see a deleted secret"
expect_no_out "deploy.sh" "the work tree has no deploy.sh"
run "$PLUMB" check --history "$repo"
expect_rc 1 "--history finds the deleted secret"
expect_out "deploy.sh:2:21: error[secrets/token]: GitHub personal access token" "at the path and line it had"
expect_out "introduced in commit $c1 on 2024-01-02" "with the commit that introduced it and its author date"
[ -z "$err" ] && ok || bad "no progress line when stderr is not a terminal: $err"
(cd "$repo" && "$PLUMB" check --history) >"$tmp/out" 2>"$tmp/err"
rc=$?
out=$(cat "$tmp/out")
expect_rc 1 "no PATH: the repository around the current folder"
expect_out "deploy.sh:2:21" "is scanned"
run "$PLUMB" check --history "$repo/README.md"
expect_rc 0 "a PATH: only the blobs under it are reported"
expect_no_out "deploy.sh" "the secret outside the PATH is not"
expect_out "no findings in 1 file" "and only the PATH's blob is counted"
run "$PLUMB" check --history "$repo/deploy.sh"
expect_rc 1 "a PATH the work tree no longer holds names its history"
expect_out "deploy.sh:2:21: error[secrets/token]" "the deleted file's secret"
(cd "$repo" && "$PLUMB" check --history README.md) >"$tmp/out" 2>"$tmp/err"
rc=$?
out=$(cat "$tmp/out")
expect_rc 0 "a PATH relative to the current folder"

# --- every format masks the secret; json is valid ----------------------------
for fmt in text json sarif github; do
	run "$PLUMB" check --history --format "$fmt" "$repo"
	expect_rc 1 "--format $fmt reports"
	expect_no_out "ghp_Zr8q" "--format $fmt shows only 4 characters of the secret"
	expect_no_out "$tok" "--format $fmt never shows the token"
	printf '%s' "$out" >"$tmp/report.$fmt"
done
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/report.json" "$c1" <<'EOF' && ok || bad "--format json is valid JSON with the finding"
import json, sys
r = json.load(open(sys.argv[1]))
f = r["findings"]
assert len(f) == 1, f
assert f[0]["rule"] == "secrets/token" and f[0]["path"] == "deploy.sh"
assert f[0]["line"] == 2
assert ("commit %s on 2024-01-02" % sys.argv[2]) in f[0]["message"]
EOF
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/report.sarif" && ok || bad "--format sarif is valid JSON"
	full=$(git -C "$repo" rev-parse "$c1")
	python3 - "$tmp/report.json" "$full" <<'EOF' && ok || bad "--format json: commit, authorDate and blobPath fields"
import json, sys
f = json.load(open(sys.argv[1]))["findings"][0]
assert f["commit"] == sys.argv[2], f
assert f["authorDate"] == "2024-01-02", f
assert f["blobPath"] == "deploy.sh", f
EOF
	python3 - "$tmp/report.sarif" "$full" <<'EOF' && ok || bad "--format sarif: commit, authorDate and blobPath result properties"
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert len(res) == 1, res
p = res[0]["properties"]
assert p == {"commit": sys.argv[2], "authorDate": "2024-01-02", "blobPath": "deploy.sh"}, p
assert res[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deploy.sh"
EOF
	"$PLUMB" schema check --schema schemas/report.schema.json "$tmp/report.json" >"$tmp/schema.out" 2>&1 &&
		ok || bad "the --history JSON report obeys schemas/report.schema.json: $(cat "$tmp/schema.out")"
	run "$PLUMB" check --format json fixtures/demo
	printf '%s' "$out" | python3 -c 'import json,sys; fs=json.load(sys.stdin)["findings"]; assert fs and not any("commit" in f or "blobPath" in f for f in fs)' &&
		ok || bad "a plain check's findings carry no commit fields"
else
	echo "SKIPPED: python3 for the JSON checks"
fi
run "$PLUMB" check --history -o "$tmp/written.json" --format json "$repo"
expect_rc 1 "-o writes the report"
grep -q '"secrets/token"' "$tmp/written.json" && ok || bad "-o FILE holds the findings"

# --- one secret through several commits: reported once -----------------------
newrepo edited
printf 'API_HOST=api.example.com\nGITHUB_TOKEN=%s\n' "$tok" >"$repo/app.env"
git -C "$repo" add . && commit 2024-03-01 "add app.env"
c1=$(short HEAD)
printf 'API_HOST=api2.example.com\nGITHUB_TOKEN=%s\nDEBUG=1\n' "$tok" >"$repo/app.env"
git -C "$repo" add . && commit 2024-03-05 "edit another line"
printf 'other\n' >"$repo/other.txt"
git -C "$repo" add . && commit 2024-03-09 "an unrelated commit"
run "$PLUMB" check --history "$repo"
expect_rc 1 "the kept secret is found"
[ "$(count_out 'error[secrets/token]')" = 1 ] && ok || bad "a secret in three commits is reported once: $out"
expect_out "introduced in commit $c1 on 2024-03-01" "at the first commit"

# --- --since REF: only commits REF does not reach ----------------------------
newrepo since
printf 'GITHUB_TOKEN=%s\n' "$tok" >"$repo/old.env"
git -C "$repo" add . && commit 2024-04-01 "old secret"
git -C "$repo" tag v1
printf 'GITHUB_TOKEN=%s\n' "$tok2" >"$repo/new.env"
git -C "$repo" add . && commit 2024-04-02 "new secret"
c2=$(short HEAD)
run "$PLUMB" check --history --since v1 "$repo"
expect_rc 1 "--since finds the newer secret"
expect_out "new.env:1:14: error[secrets/token]" "in the newer commit"
expect_out "introduced in commit $c2 on 2024-04-02" "with its commit"
expect_no_out "old.env" "and not the one REF reaches"
run "$PLUMB" check --history --since HEAD "$repo"
expect_rc 0 "--since HEAD scans nothing new"
run "$PLUMB" check --history "$repo"
[ "$(count_out 'error[secrets/token]')" = 2 ] && ok || bad "without --since both are found: $out"
run "$PLUMB" check --history --since no-such-ref "$repo"
expect_rc 2 "an unknown REF is a usage error"
expect_err "--since: 'no-such-ref' names no commit" "named as such"

# --- --since attributes a secret to the commit that introduced it -------------
# before the range: a secret in a file edited later, one in a file renamed
# later (as is, and with an edit); in the range: a new secret added to an
# old file
tok3="ghp_Qw3eR5tY7uI9oP1aS3dF5gH7jK9lZ1xC3vB5"
newrepo attribution
printf 'A=1\nGITHUB_TOKEN=%s\nB=2\n' "$tok" >"$repo/app.env"
printf 'one\ntwo\nthree\nT=%s\nfive\nsix\nseven\neight\n' "$tok2" >"$repo/old.sh"
printf 'K=%s\n' "$tok3" >"$repo/keep.env"
git -C "$repo" add . && commit 2024-04-10 "old secrets"
c0=$(short HEAD)
git -C "$repo" tag base
printf 'A=1\nGITHUB_TOKEN=%s\nB=3\n' "$tok" >"$repo/app.env"
git -C "$repo" add . && commit 2024-04-11 "edit a line next to the old secret"
git -C "$repo" mv keep.env moved.env && commit 2024-04-12 "rename as is"
git -C "$repo" mv old.sh new.sh
printf 'nine\n' >>"$repo/new.sh"
git -C "$repo" add . && commit 2024-04-13 "rename and edit"
printf 'N=%s\n' "$tok3" >>"$repo/app.env"
git -C "$repo" add . && commit 2024-04-14 "a new secret in an old file"
c4=$(short HEAD)
run "$PLUMB" check --history --since base "$repo"
expect_rc 1 "--since: the secret added in the range"
expect_out "app.env:4:3: error[secrets/token]" "is found on its line"
expect_out "introduced in commit $c4 on 2024-04-14" "with the commit that added it"
[ "$(count_out 'error[secrets/token]')" = 1 ] && ok || bad "--since: older secrets are not put on later edits or renames: $out"
expect_no_out "new.sh" "a renamed and edited file keeps its old secret out of the range"
expect_no_out "moved.env" "a renamed file too"
run "$PLUMB" check --history "$repo"
expect_rc 1 "the whole history"
[ "$(count_out 'error[secrets/token]')" = 4 ] && ok || bad "each secret once, at its first commit, plus the new one: $out"
[ "$(count_out "introduced in commit $c0 on 2024-04-10")" = 3 ] && ok || bad "the three old secrets at the commit that added them: $out"
expect_no_out "new.sh" "a rename with an edit is no new secret"

# --- branches, binary blobs, YAML, rules, ignores -----------------------------
newrepo mixed
printf 'readme\n' >"$repo/README.md"
git -C "$repo" add . && commit 2024-05-01 "init"
git -C "$repo" checkout -q -b topic
printf 'token=%s\n' "$tok" >"$repo/branch.txt"
git -C "$repo" add . && commit 2024-05-02 "on a branch only"
git -C "$repo" checkout -q -
printf 'GITHUB_TOKEN=%s\n\000\001binary\n' "$tok" >"$repo/blob.bin"
cat >"$repo/secret.yaml" <<'EOF'
apiVersion: v1
kind: Secret
metadata:
  name: api
data:
  API_KEY: V0lRdFVsbU9TNkVDSlNSTzVrMEE4VWNpMHFSaFNCSHA=
EOF
printf 'a: 1\na: 2\n' >"$repo/dup.yaml"
printf 'TOKEN=%s # plumb:ignore secrets/token -- test fixture\n' "$tok2" >"$repo/ignored.env"
git -C "$repo" add . && commit 2024-05-03 "mixed"
run "$PLUMB" check --history --format json "$repo"
expect_rc 1 "mixed history"
expect_out '"path": "branch.txt"' "a commit on another branch is scanned"
expect_no_out '"path": "blob.bin"' "a binary blob is skipped"
expect_out '"rule": "secrets/k8s-secret"' "the structural secrets rules run on YAML blobs"
expect_no_out "yaml/duplicate-key" "rules outside secrets/ do not run"
expect_no_out "suppression/" "nor does the suppression stage report"
expect_out '"kind": "inline"' "an inline ignore in the blob holds"
run "$PLUMB" check --history "$repo"
expect_no_out "ignored.env" "text leaves the suppressed finding out"
run "$PLUMB" check --history "$repo/README.md" "$repo/branch.txt"
expect_rc 1 "two PATHs, one a file of another branch only"
expect_out "branch.txt:1:7: error[secrets/token]" "the branch's secret under a PATH"
expect_no_out "secret.yaml" "a secret outside the PATHs is not reported"
expect_out "in 2 files" "the summary counts the blobs under the PATHs"

# --- .plumb.yaml of the work tree: exclude and fail-on -----------------------
printf 'exclude: ["branch.txt", "secret.yaml"]\n' >"$repo/.plumb.yaml"
run "$PLUMB" check --history "$repo"
expect_rc 0 ".plumb.yaml exclude applies to history paths"
expect_no_out "branch.txt" "the excluded path is not scanned"

# --- where --history cannot run ----------------------------------------------
mkdir -p "$tmp/plain"
printf 'GITHUB_TOKEN=%s\n' "$tok" >"$tmp/plain/x.env"
run "$PLUMB" check --history "$tmp/plain"
expect_rc 2 "outside a git work tree"
expect_err "--history needs a git repository" "says what it needs"
expect_err "is not in a git work tree" "and why"
git clone -q --depth 1 "file://$tmp/edited" "$tmp/shallow" 2>/dev/null
run "$PLUMB" check --history "$tmp/shallow"
expect_rc 2 "a shallow clone has no whole history"
expect_err "is a shallow clone" "says so"
expect_err "fetch-depth: 0" "and how to fetch the rest"
run "$PLUMB" check --history "$tmp/deleted" "$tmp/edited"
expect_rc 2 "--history PATHs of two repositories"
expect_err "is outside the repository at" "says which PATH is outside"
newrepo empty
run "$PLUMB" check --history "$repo"
expect_rc 0 "a repository without commits has nothing to scan"

echo "cli-history: $n assertions, $fails failed"
[ "$fails" = 0 ]
