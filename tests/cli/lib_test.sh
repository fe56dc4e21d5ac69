#!/bin/sh
# Tests of tests/cli/lib.sh: each helper runs in a subshell of its own
# (a fresh tally) around a real plumb run, and the subshell's status says
# whether the assertion passed. Proves that a negative assertion cannot
# pass when plumb exits 2 or 3, and that every assertion can fail.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
export NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh
mkdir "$tmp/inner" "$tmp/files"
files=$tmp/files
printf 'a: 1\n' >"$files/clean.yaml"
printf 'a: 1\na: 2\n' >"$files/dup.yaml"
printf 'rules: [\n' >"$files/broken-config.yaml"

# must_pass WHAT SCRIPT / must_fail WHAT SCRIPT: SCRIPT runs after sourcing
# lib.sh in a subshell; it passes when it counted no failure
inner() {
	(
		tmp="$tmp/inner"
		. tests/cli/lib.sh
		eval "$1"
		[ "$n" -gt 0 ] && [ "$fails" = 0 ]
	) >"$tmp/inner.log" 2>&1
}
must_pass() {
	if inner "$2"; then
		ok
	else
		bad "$1: fails: $(cat "$tmp/inner.log")"
	fi
}
must_fail() {
	if inner "$2"; then
		bad "$1: passes, want a failure"
	else
		ok
	fi
}

# capture NAME CMD...: runs CMD once; `replay NAME` is then a run (with
# lib.sh's own run) that prints and exits exactly as it did, so each case
# below costs a shell, not a plumb process
capture() {
	name=$1
	shift
	run "$@"
	cp "$tmp/out" "$files/$name.out"
	cp "$tmp/err" "$files/$name.err"
	echo "$rc" >"$files/$name.rc"
}
replay() {
	run sh -c 'cat "$1.out"; cat "$1.err" >&2; exit "$(cat "$1.rc")"' \
		sh "$files/$1"
}

# the plumb runs under test, and the exits these cases assume
capture exit2 "$PLUMB" check --frob "$files/dup.yaml"
expect_rc 2 "an unknown option exits 2"
capture badcfg "$PLUMB" check --config "$files/broken-config.yaml" "$files/dup.yaml"
expect_rc 2 "a broken config exits 2"
capture clean "$PLUMB" check "$files/clean.yaml"
expect_rc 0 "a clean file exits 0"
capture dup "$PLUMB" check "$files/dup.yaml"
expect_rc 1 "a duplicate key exits 1"
for c in exit2 badcfg clean dup; do
	want=$(cat "$files/$c.rc")
	replay $c
	expect_rc "$want" "replay $c exits as plumb did"
	[ "$out" = "$(cat "$files/$c.out")" ] && [ "$err" = "$(cat "$files/$c.err")" ] &&
		ok || bad "replay $c prints what plumb printed"
done
exit2='replay exit2'
badcfg='replay badcfg'
clean='replay clean'
dup='replay dup'
exit3='run sh -c "exit 3"'

# live plumb runs, not replays, through the same helpers
must_fail "expect_no_out around a live exit 2" \
	'run "$PLUMB" check --frob "$files/dup.yaml"; expect_no_out duplicate-key x'
must_pass "expect_no_out around a live exit 0" \
	'run "$PLUMB" check "$files/clean.yaml"; expect_no_out duplicate-key x'

# negative assertions around an exit 2 (or 3) fail
for neg in 'expect_no_out "duplicate-key" x' 'expect_no "duplicate-key" x' \
	'expect_no_err x' 'expect_no_finding yaml/duplicate-key x' \
	'expect_rc_not 1 x'; do
	must_fail "$neg after a usage error (exit 2)" "$exit2; $neg"
	must_fail "$neg after a broken config (exit 2)" "$badcfg; $neg"
	must_fail "$neg after exit 3" "$exit3; $neg"
done
inner "$exit2; expect_no_out duplicate-key 'the report'"
grep -qF "FAIL: the report: exit 2, not 0 or 1, so a negative check proves nothing" \
	"$tmp/inner.log" && ok || bad "the failure says why: $(cat "$tmp/inner.log")"

# ... and pass around an exit 0 when the text is absent
must_pass "expect_no_out after exit 0" "$clean; expect_no_out duplicate-key x"
must_pass "expect_no after exit 0" "$clean; expect_no duplicate-key x"
must_pass "expect_no_err after exit 0" "$clean; expect_no_err x"
must_pass "expect_no_finding after exit 0" "$clean; expect_no_finding yaml/duplicate-key x"
must_pass "expect_rc_not after exit 0" "$clean; expect_rc_not 1 x"
# ... around an exit 1 when the text is absent, fail when present
must_pass "expect_no_out after exit 1" "$dup; expect_no_out secrets/ x"
must_fail "expect_no_out of a printed finding" "$dup; expect_no_out yaml/duplicate-key x"
must_fail "expect_no_finding of a reported rule" "$dup; expect_no_finding yaml/duplicate-key x"
must_fail "expect_no of text on stderr" "$exit2; expect_rc 2 x; expect_no frob x"
must_fail "expect_rc_not of the exit" "$dup; expect_rc_not 1 x"
# an exit 2 the test asserted with expect_rc allows a negative check
must_pass "expect_rc 2, then expect_no_out" \
	"$exit2; expect_rc 2 x; expect_no_out 'no findings' x"
must_fail "expect_rc 2 holds for its own run only" \
	"$exit2; expect_rc 2 x; $exit2; expect_no_out 'no findings' x"

# positive assertions that do not match fail
must_fail "expect_rc of another code" "$clean; expect_rc 1 x"
must_fail "expect_out of absent text" "$clean; expect_out 'error[' x"
must_fail "expect_err of absent text" "$exit2; expect_err 'no such words' x"
must_fail "expect_out_is of other text" "$clean; expect_out_is 'something else' x"
must_fail "expect_err_is of other text" "$exit2; expect_err_is '' x"
must_fail "expect_count of another count" "$dup; expect_count 2 duplicate-key x"
must_fail "expect_file of absent text" "$clean; expect_file 'nothing like it' \"\$files/clean.yaml\" x"
# ... and pass when they match
must_pass "expect_rc, expect_out, expect_count" \
	"$dup; expect_rc 1 x; expect_out 'dup.yaml:2:1: error[yaml/duplicate-key]' x; expect_count 1 duplicate-key x"
must_pass "expect_err" "$exit2; expect_err \"unknown option '--frob'\" x"
must_fail "an empty script" ":"

# every CLI script takes its assertions from lib.sh: it sources it and
# defines none of its helpers again (a copied ok/bad or expect_* would
# not require a clean exit before a negative check)
helpers=$(sed -n 's/^\([a-z_]*\)() *{.*/\1/p' tests/cli/lib.sh | sort -u)
[ -n "$helpers" ] && ok || bad "no helper found in tests/cli/lib.sh"
for f in tests/cli/*.sh; do
	case $f in
	tests/cli/lib.sh | tests/cli/lib_test.sh) continue ;;
	esac
	grep -q '^\. tests/cli/lib\.sh$' "$f" && ok || bad "$f does not source tests/cli/lib.sh"
	for h in $helpers; do
		grep -q "^[[:space:]]*$h() *{" "$f" && bad "$f defines lib.sh's $h() again"
	done
done

finish cli-lib
