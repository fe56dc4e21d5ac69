#!/bin/sh
# The harness itself: README's two commands must work wherever a user
# clones and however they run them. This copies the checkout (tracked and
# new files, as a clone would hold them, with uncommitted edits) into a
# folder whose path has a space, a non-ASCII letter and a long name,
# under a 0700 parent (a root home folder), with TMPDIR pointing at a
# folder with a space, and runs there, as the current user (root in CI):
#   - `make run` (build, lint the demo: its findings, exit 0),
#   - `make unit` (every unit binary, and test_walk again as nobody when
#     root: the part that broke in a 0700 checkout),
#   - the CLI part (tests/cli/run.sh), started from another folder.
# Each step's exit code and the lines a user would see are asserted.
set -u
cd "$(dirname "$0")/../.."
top=$(mktemp -d "${TMPDIR:-/tmp}/plumb harness.XXXXXX") || exit 1
trap 'chmod -R u+rwx "$top" 2>/dev/null; rm -rf "$top"' EXIT
tmp=$top
. tests/cli/lib.sh
long=a-folder-name-long-enough-to-push-the-checkout-path-past-255-bytes
parent="$top/home"
dest="$parent/with space é/$long-0123456789/$long-abcdefghij/$long-klmnopqrst/plumb"
mkdir -p "$dest" "$top/tmp dir" || exit 1
chmod 0700 "$parent"

# A clone, as a user makes one, plus this checkout's uncommitted edits
# and new files (so a developer's run tests what they changed). Outside
# git, a copy of the tree.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git clone -q --no-hardlinks . "$dest" || exit 1
	# changed against HEAD (staged or not, a merge in progress too),
	# and new files
	{ git diff -z --name-only --diff-filter=d HEAD
	  git ls-files -z --others --exclude-standard; } |
		tar --null -T - --ignore-failed-read -cf - 2>/dev/null |
		tar -xf - -C "$dest"
	git diff -z --name-only --diff-filter=D HEAD |
		(cd "$dest" && xargs -0r rm -f --)
else
	tar --exclude=./build --exclude=./bin -cf - . | tar -xf - -C "$dest"
fi
[ -f "$dest/Makefile" ] && ok || bad "the copy holds the Makefile"
[ ${#dest} -gt 255 ] && ok || bad "the checkout path is over 255 bytes (${#dest})"

# The copy must not reach into this checkout's build (SHARED is passed
# as an absolute path, as CI's copy beside the clone would be found).
shared=${SHARED:-../shared}
case $shared in /*) ;; *) shared=$(cd "$shared" 2>/dev/null && pwd) ;; esac
# a README command is run as a user types it: no variant, flags or
# jobserver of an enclosing make (make san sets VARIANT=san DEVELOPER=1)
unset MAKEFLAGS MFLAGS MAKELEVEL VARIANT DEVELOPER CC CFLAGS LDFLAGS

step() { # step NAME WANT-RC CMD...: runs CMD in the copy's TMPDIR
	name=$1 want=$2
	shift 2
	(TMPDIR="$top/tmp dir" "$@") >"$top/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then
		ok
	else
		bad "$name: exit $rc, want $want"
		tail -30 "$top/out"
	fi
}

step "make run" 0 make -j2 -s --no-print-directory -C "$dest" run \
	SHARED="$shared"
grep -q 'error\[' "$top/out" && ok || bad "make run prints the demo's findings"
grep -q 'not found\|No such file' "$top/out" &&
	bad "make run: $(grep -m1 'not found\|No such file' "$top/out")" || ok

step "make unit" 0 make -j2 -s --no-print-directory -C "$dest" unit
grep -q 'FAILED\|Could not run' "$top/out" &&
	bad "make unit: $(grep -m1 'FAILED\|Could not run' "$top/out")" || ok
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	grep -q '== unit-unprivileged' "$top/out" && ok ||
		bad "make unit as root runs test_walk as nobody"
	grep -q 'unit-unprivileged FAILED' "$top/out" &&
		bad "test_walk as nobody fails in a 0700 checkout" || ok
fi

# The CLI part, started from another folder than the checkout.
step "tests/cli/run.sh" 0 sh -c 'cd / && PLUMB="$1/bin/plumb" sh "$1/tests/cli/run.sh"' \
	sh "$dest"
grep -q ', 0 failed' "$top/out" && ok || bad "the CLI part reports no failure"

echo "harness: $n checks, $fails failed"
[ $fails -eq 0 ]
