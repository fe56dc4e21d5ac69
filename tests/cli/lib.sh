# Shared helpers of the CLI tests (tests/cli/*.sh), sourced after the
# script has set $tmp (a scratch folder it owns and removes):
#
#   . tests/cli/lib.sh
#
# Every assertion counts in $n; a failed one prints "FAIL: ..." and counts
# in $fails; `finish NAME` prints the tally and returns non-zero on any
# failure (end a script with it).
#
# A negative assertion ("stdout does not hold X") is only worth something
# when plumb did its work: a usage error, a broken config or a crash also
# prints no finding. So every negative assertion first requires that the
# last `run` exited 0 or 1, or with the code the test asserted with
# `expect_rc` for that run (an exit 2 that must not print "no findings");
# otherwise it fails and says the exit code made it vacuous.
: "${tmp:?tests/cli/lib.sh: set tmp to a scratch folder before sourcing}"
n=0
fails=0
rc=0
out=""
err=""
asserted_rc=""

ok() { n=$((n + 1)); }
bad() {
	n=$((n + 1))
	fails=$((fails + 1))
	echo "FAIL: $*"
}

# finish NAME: prints the tally; the script's status is its result
finish() {
	echo "$1: $n assertions, $fails failed"
	[ "$fails" = 0 ]
}

# run CMD...: sets $rc, $out (stdout) and $err (stderr)
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	asserted_rc=""
}

# run_in DIR CMD...: run from folder DIR (paths in reports are relative
# to it)
run_in() {
	d=$1
	shift
	(cd "$d" && "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	asserted_rc=""
}

# ran_cleanly WHAT: true when the last run exited 0 or 1 (or with the code
# expect_rc asserted for it); else one failed assertion naming the exit
ran_cleanly() {
	case "$rc" in
	0 | 1) return 0 ;;
	esac
	[ -n "$asserted_rc" ] && [ "$rc" = "$asserted_rc" ] && return 0
	bad "$1: exit $rc, not 0 or 1, so a negative check proves nothing (stderr: $err)"
	return 1
}

# --- positive assertions ----------------------------------------------------
expect_rc() {
	if [ "$rc" = "$1" ]; then
		asserted_rc=$1
		ok
	else
		bad "$2: exit $rc, want $1 (stdout: $(printf '%.400s' "$out")) (stderr: $err)"
	fi
}
expect_out() { printf '%s' "$out" | grep -qF -- "$1" && ok || bad "$2: stdout lacks '$1': $(printf '%.2000s' "$out")"; }
expect_err() { printf '%s' "$err" | grep -qF -- "$1" && ok || bad "$2: stderr lacks '$1': $err"; }
expect_out_is() { [ "$out" = "$1" ] && ok || bad "$2: stdout is '$out', want '$1'"; }
expect_err_is() { [ "$err" = "$1" ] && ok || bad "$2: stderr is '$err', want '$1'"; }
# expect_file TEXT FILE WHAT: FILE holds TEXT
expect_file() { grep -qF -- "$1" "$2" && ok || bad "$3: $2 lacks '$1': $(cat "$2")"; }
# expect_count N TEXT WHAT: stdout has N lines holding TEXT
expect_count() {
	c=$(printf '%s\n' "$out" | grep -cF -- "$2")
	[ "$c" = "$1" ] && ok || bad "$3: $c lines hold '$2', want $1: $out"
}

# --- negative assertions (each requires a clean exit first) -----------------
expect_no_out() {
	ran_cleanly "$2" || return 0
	printf '%s' "$out" | grep -qF -- "$1" && bad "$2: stdout has '$1'" || ok
}
# expect_no TEXT WHAT: neither stdout nor stderr holds TEXT
expect_no() {
	ran_cleanly "$2" || return 0
	printf '%s\n%s' "$out" "$err" | grep -qF -- "$1" &&
		bad "$2: output has '$1'" || ok
}
expect_no_err() {
	ran_cleanly "$1" || return 0
	[ -z "$err" ] && ok || bad "$1: stderr: $err"
}
# expect_no_finding RULE WHAT: the report names no finding of RULE
expect_no_finding() {
	ran_cleanly "$2" || return 0
	printf '%s' "$out" | grep -qF -- "[$1]" &&
		bad "$2: $1 fires: $(printf '%s' "$out" | grep -F -- "[$1]" | head -3)" || ok
}
# expect_rc_not N WHAT: the exit is not N (and is 0 or 1)
expect_rc_not() {
	ran_cleanly "$2" || return 0
	[ "$rc" != "$1" ] && ok || bad "$2: exit $rc"
}
