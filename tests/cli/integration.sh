#!/bin/sh
# The git integrations users copy (README "Git: pre-commit, pull requests,
# history") are well-formed and agree with the binary:
#   - .pre-commit-hooks.yaml parses (plumb dump), every hook has the keys
#     pre-commit requires (id, name, entry, language) and only keys its
#     manifest documents, language system, pass_filenames false, and no
#     `stages` (pre-commit 3.0/3.1 refuse the new stage names, 4.x warns on
#     the old ones; tests/cli/precommit.sh runs Debian's pre-commit);
#   - ci/github/plumb.yml parses, installs a pinned release tarball (not
#     a branch), checks out the whole history, uploads the SARIF file the
#     lint step writes, annotates pull requests;
#   - .github/workflows/release.yml runs on v* tags, tests, runs make dist
#     and uploads the tarball as a release asset;
#   - every `plumb check ...` command line in these files and in README.md
#     uses only flags that `plumb check --help` lists (a flag that belongs
#     to a mode the help still marks "not yet supported" is reported as
#     PENDING, not failed, until that mode lands);
#   - ci/hooks/pre-commit is executable, `sh -n` clean (and shellcheck
#     clean when shellcheck is installed), runs `plumb check --staged` and
#     passes plumb's exit code on;
#   - ci/make/plumb.mk prints the expected commands under `make -n` and
#     leaves the includer's default goal alone;
#   - plumb finds nothing in its own integration files.
set -u
: "${PLUMB:?}"
case $PLUMB in
*/*) PLUMB=$(cd "$(dirname "$PLUMB")" && pwd)/$(basename "$PLUMB") ;;
esac
cd "$(dirname "$0")/../.." || exit 2
export NO_COLOR=1
# The make snippet is run by a make of its own: under `make -j2 test` the
# parent's jobserver flags would leak in and add a warning to its output.
unset MAKEFLAGS MFLAGS MAKELEVEL
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh
set -f # words of command lines below are split, never globbed

check() { # check DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@"; then ok; else bad "$d"; fi
}

manifest=.pre-commit-hooks.yaml
hook=ci/hooks/pre-commit
workflow=ci/github/plumb.yml
mk=ci/make/plumb.mk
for f in $manifest $hook $workflow $mk; do
	check "$f exists" test -f "$f"
done

# --- .pre-commit-hooks.yaml ---------------------------------------------
# The keys of a hook in pre-commit's manifest (pre-commit.com, "Creating
# new hooks"); a misspelt optional key is silently ignored by older
# pre-commit versions, so it is caught here.
keys_known=" id name entry language files exclude types types_or exclude_types
 always_run fail_fast verbose pass_filenames require_serial description
 language_version minimum_pre_commit_version args stages alias "
keys_known=$(echo "$keys_known" | tr '\n' ' ')
if "$PLUMB" dump $manifest >"$tmp/manifest.json" 2>"$tmp/err"; then
	ok
else
	bad "plumb dump $manifest: $(cat "$tmp/err")"
fi
check "$manifest is one document, a list" \
	sh -c '[ "$(wc -l <"$1")" -eq 1 ] && grep -q "^\[{" "$1"' sh "$tmp/manifest.json"
# one hook (a flat mapping) per line
sed 's/^\[{//; s/}\]$//; s/},{/\n/g' "$tmp/manifest.json" >"$tmp/hooks"
hooks=0
while IFS= read -r h; do
	hooks=$((hooks + 1))
	id=$(printf '%s\n' "$h" | sed -n 's/^"id":"\([^"]*\)".*/\1/p; s/.*,"id":"\([^"]*\)".*/\1/p' | head -1)
	[ -n "$id" ] || id="#$hooks"
	for k in id name entry language; do
		if printf '%s\n' "{$h" | grep -q "[{,]\"$k\":\"[^\"]"; then
			ok
		else
			bad "$manifest: hook $id has no string '$k'"
		fi
	done
	for k in $(printf '%s\n' "{$h" | grep -o '[{,]"[^"]*":' | sed 's/^[{,]"//; s/":$//'); do
		case $keys_known in
		*" $k "*) ok ;;
		*) bad "$manifest: hook $id: '$k' is no key of pre-commit's manifest" ;;
		esac
	done
	check "$manifest: hook $id is language: system (plumb is installed, not built by pre-commit)" \
		sh -c 'printf "%s\n" "$1" | grep -q "\"language\":\"system\""' sh "$h"
	check "$manifest: hook $id has pass_filenames: false (plumb reads git itself)" \
		sh -c 'printf "%s\n" "$1" | grep -q "\"pass_filenames\":false"' sh "$h"
	check "$manifest: hook $id runs plumb check" \
		sh -c 'printf "%s\n" "$1" | grep -q "\"entry\":\"plumb check "' sh "$h"
	check "$manifest: hook $id names no stages (portable across pre-commit 3.0 to 4.x)" \
		sh -c '! printf "%s\n" "$1" | grep -q "\"stages\":"' sh "$h"
done <"$tmp/hooks"
check "$manifest has hooks" test "$hooks" -gt 0
check "$manifest: hook 'plumb' is 'plumb check --staged'" \
	grep -q '"id":"plumb",[^}]*"entry":"plumb check --staged"' "$tmp/manifest.json"

# --- ci/github/plumb.yml ------------------------------------------------
if "$PLUMB" dump $workflow >"$tmp/workflow.json" 2>"$tmp/err"; then
	ok
else
	bad "plumb dump $workflow: $(cat "$tmp/err")"
fi
wf_has() { # wf_has DESCRIPTION FIXED-STRING
	if grep -qF -- "$2" "$tmp/workflow.json"; then ok; else bad "$workflow: $1 (no $2)"; fi
}
wf_has "runs on pull requests" '"on":{"pull_request":'
wf_has "runs on pushes to main" '"push":{"branches":["main"]}'
wf_has "checks out the whole history for --diff-base" '"fetch-depth":0'
wf_has "may upload to code scanning" '"security-events":"write"'
wf_has "uploads SARIF" '"uses":"github/codeql-action/upload-sarif@v3"'
wf_has "annotates pull requests with new findings" '--new-only --format github'
sarif_out=$(sed -n 's/.*plumb check --format sarif -o \([^ "]*\) .*/\1/p' "$tmp/workflow.json" | head -1)
if [ -n "$sarif_out" ]; then
	wf_has "uploads the file the lint step writes" "\"sarif_file\":\"$sarif_out\""
else
	bad "$workflow: no 'plumb check --format sarif -o FILE' step"
fi
for pkg in libyaml-dev libjansson-dev libpcre2-dev libgit2-dev pkg-config; do
	wf_has "installs $pkg" "$pkg"
done
wf_has "installs a pinned release tarball" '/v$PLUMB_VERSION/$tarball'
wf_has "pins a version" '"PLUMB_VERSION":"'
wf_has "can check the tarball's SHA-256" 'sha256sum -c'
if grep -qE 'git clone|"PLUMB_REF":"main"' "$tmp/workflow.json"; then
	bad "$workflow: builds a clone of a branch, not a release"
else
	ok
fi
version=$(sed -n 's/^#define PL_VERSION "\(.*\)"/\1/p' engine/base/base.h)
wf_has "pins the current version ($version)" "\"PLUMB_VERSION\":\"$version\""

# --- .github/workflows/release.yml ---------------------------------------
release=.github/workflows/release.yml
if "$PLUMB" dump $release >"$tmp/release.json" 2>"$tmp/err"; then
	ok
else
	bad "plumb dump $release: $(cat "$tmp/err")"
fi
rel_has() { # rel_has DESCRIPTION FIXED-STRING
	if grep -qF -- "$2" "$tmp/release.json"; then ok; else bad "$release: $1 (no $2)"; fi
}
rel_has "runs on v* tags" '"on":{"push":{"tags":["v*"]}}'
rel_has "installs the dependencies with ci/install-deps.sh" 'sh ci/install-deps.sh'
rel_has "runs the tests" '"run":"make test"'
rel_has "makes the source tarball" 'make dist DIST_DIR=dist'
rel_has "checks the tag against PL_VERSION" 'PL_VERSION'
rel_has "may write the release" '"contents":"write"'
rel_has "uploads the tarball as a release asset" 'gh release upload'
rel_has "uploads the file make dist writes, and its SHA-256" '\"dist/plumb-$PLUMB_VERSION.tar.gz\" \"dist/plumb-$PLUMB_VERSION.tar.gz.sha256\"'

# --- flags of every `plumb check` command line --------------------------
"$PLUMB" check --help >"$tmp/help" 2>&1 || bad "plumb check --help exits non-zero"
known=" $(sed -nE 's/^ +(-[a-zA-Z], )?(--[a-z][-a-z]*).*/\1 \2/p' "$tmp/help" | tr ',\n' '  ') "
check "plumb check --help lists its options" test "$(echo "$known" | wc -w)" -gt 5
# flags of a mode; tolerated while the help marks that mode unsupported
parent_of() {
	case $1 in
	--include-worktree | --new-only) echo --diff-base ;;
	--since) echo --history ;;
	esac
}
pending=""
for f in $manifest $hook $workflow $mk README.md; do
	lines=$(sed -nE 's/.*(plumb|\$\(PLUMB\)|"\$PLUMB") check( (.*))?$/\3/p' "$f" |
		sed 's/[`#|;&)'"'"'].*//')
	if [ -z "$lines" ] && [ "$f" != README.md ]; then
		bad "$f: no 'plumb check' command line found"
		continue
	fi
	for w in $lines; do
		w=${w%%=*}
		case $w in
		- | --) continue ;;
		-*) ;;
		*) continue ;;
		esac
		case $known in
		*" $w "*) ok; continue ;;
		esac
		p=$(parent_of "$w")
		if [ -n "$p" ] && grep -E "^ +$p .*not yet supported" "$tmp/help" >/dev/null; then
			case $pending in *" $w "*) ;; *) pending="$pending $w " ;; esac
			ok
		else
			bad "$f: 'plumb check ... $w': not an option of plumb check --help"
		fi
	done
done
[ -z "$pending" ] ||
	echo "PENDING:${pending% } used but not yet in plumb check --help (their mode is 'not yet supported')"

# --- ci/hooks/pre-commit ------------------------------------------------
check "$hook is executable" test -x $hook
check "$hook: sh -n" sh -n $hook
if command -v shellcheck >/dev/null 2>&1; then
	check "$hook: shellcheck" shellcheck $hook
else
	echo "shellcheck not installed: $hook not shellchecked"
fi
printf '#!/bin/sh\necho "$*" >"%s/args"\nexit 7\n' "$tmp" >"$tmp/fakeplumb"
chmod +x "$tmp/fakeplumb"
PLUMB="$tmp/fakeplumb" sh $hook >/dev/null 2>&1
rc=$?
check "$hook passes plumb's exit code on (7, got $rc)" test $rc -eq 7
check "$hook runs 'plumb check --staged' (ran: $(cat "$tmp/args" 2>/dev/null))" \
	test "$(cat "$tmp/args" 2>/dev/null)" = "check --staged"
PLUMB="$tmp/no-such-plumb" sh $hook >/dev/null 2>"$tmp/err"
rc=$?
check "$hook without plumb fails (got $rc)" test $rc -ne 0
check "$hook without plumb says so" grep -q "not found" "$tmp/err"
mkdir "$tmp/nogit"
(cd "$tmp/nogit" && GIT_CEILING_DIRECTORIES=$tmp PLUMB=$PLUMB sh "$OLDPWD/$hook") >/dev/null 2>&1
rc=$?
check "$hook outside a git repository exits 2 (got $rc)" test $rc -eq 2

# --- ci/make/plumb.mk ---------------------------------------------------
mk_prints() { # mk_prints EXPECTED MAKE-ARGS...
	want=$1
	shift
	got=$(make -s --no-print-directory -f $mk -n "$@" 2>&1 | tr -s ' ' | sed 's/ $//')
	if [ "$got" = "$want" ]; then ok; else bad "make -f $mk -n $*: '$got', expected '$want'"; fi
}
mk_prints "bin/plumb check ." lint PLUMB=bin/plumb
mk_prints "bin/plumb check --diff-base origin/main --include-worktree" lint-changed PLUMB=bin/plumb
mk_prints "bin/plumb check --staged" lint-staged PLUMB=bin/plumb
mk_prints "plumb check --fail-on warning ." lint PLUMB=plumb "PLUMB_FLAGS=--fail-on warning"
mk_prints "plumb check --diff-base origin/dev --include-worktree" lint-changed PLUMB=plumb PLUMB_BASE=origin/dev
# As its header says: copied into the repository and included by a
# relative path (make cannot include a path that holds a space).
cp "$mk" "$tmp/plumb.mk"
printf 'include plumb.mk\nall:\n\t@echo own-default\n' >"$tmp/Makefile"
got=$(make -s --no-print-directory -C "$tmp" 2>&1)
check "$mk keeps the includer's default goal (got '$got')" test "$got" = own-default

# --- plumb on its own integration files ---------------------------------
if "$PLUMB" check $manifest $workflow $hook $mk >"$tmp/out" 2>&1; then
	ok
else
	bad "plumb check finds problems in the integration files:"
	cat "$tmp/out"
fi

echo "integration: $n checks, $fails failed"
[ $fails -eq 0 ]
