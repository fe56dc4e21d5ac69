#!/bin/sh
# Never a silent clean through git. A tracked file is linted even when
# .gitignore matches it. Repositories are built in a temporary folder
# with the git CLI.
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
# no user or system git configuration may change what the tests build
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp/home"
mkdir -p "$HOME"
fails=0
n=0
ok() { n=$((n + 1)); }
bad() {
	n=$((n + 1))
	fails=$((fails + 1))
	echo "FAIL: $*"
}
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
expect_rc() { [ "$rc" = "$1" ] && ok || bad "$2: exit $rc, want $1 (stdout: $out) (stderr: $err)"; }
expect_out() { printf '%s' "$out" | grep -qF -- "$1" && ok || bad "$2: stdout lacks '$1': $out"; }
expect_err() { printf '%s' "$err" | grep -qF -- "$1" && ok || bad "$2: stderr lacks '$1': $err"; }
expect_no_out() { printf '%s' "$out" | grep -qF -- "$1" && bad "$2: stdout has '$1'" || ok; }
expect_file() { grep -qF -- "$1" "$2" && ok || bad "$3: $2 lacks '$1': $(cat "$2")"; }

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

echo "cli-gitread: $n assertions, $fails failed"
[ "$fails" = 0 ]
