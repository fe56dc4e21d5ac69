#!/bin/sh
# CLI tests of `plumb semver RANGE VERSION...`: exit codes 0/1/2, one
# answer line per version, errors as `plumb: range:1:COL: message` with
# the argument echoed and a caret under the token, --quiet and --help.
# Each expect_ line is one assertion that names what it proves; any
# failure makes the script exit 1. The engine's own tables run in
# test_semver and semver_suite; this proves the command around them.
set -u
cd "$(dirname "$0")/../.."
: "${PLUMB:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/cli/lib.sh

# --- answers and exit codes -------------------------------------------------
run "$PLUMB" semver '^1.0' 1.2.3 v1.9.0
expect_rc 0 "every version satisfies: exit 0"
expect_out_is "1.2.3 satisfies '^1.0'
v1.9.0 satisfies '^1.0'" "one line per version, tag as written"
expect_err_is "" "nothing on stderr when all is valid"

run "$PLUMB" semver '^1.0' 1.2.3 2.0.0
expect_rc 1 "a version outside the range: exit 1"
expect_out "1.2.3 satisfies '^1.0'" "the satisfying version is still answered"
expect_out "2.0.0 does not satisfy '^1.0'" "the other is named"

run "$PLUMB" semver '>=1.0.0' 1.5.0-rc.1
expect_rc 1 "a prerelease does not satisfy a range naming none"
expect_out "1.5.0-rc.1 does not satisfy '>=1.0.0': a prerelease satisfies only an alternative that names a prerelease" "the prerelease rule is explained"
run "$PLUMB" semver '>=1.0.0-0' 1.5.0-rc.1
expect_rc 0 "a range naming a prerelease admits prereleases"

run "$PLUMB" semver '>=1.2 <2 || 3.x' 1.2.0 1.99.0 3.4.5 2.0.0
expect_rc 1 "AND, OR and wildcards"
expect_out "3.4.5 satisfies" "'||' alternative"
expect_out "2.0.0 does not satisfy" "between the alternatives"

run "$PLUMB" semver '1.2 - 1.4.5' 1.4.5 1.4.6
expect_rc 1 "hyphen range"
expect_out "1.4.5 satisfies '1.2 - 1.4.5'" "hyphen range upper end is inclusive"
expect_out "1.4.6 does not satisfy" "hyphen range stops at its end"

run "$PLUMB" semver -- '^1' 1.0.0
expect_rc 0 "'--' ends the options"

# --- invalid range: exit 2, column and caret ------------------------------
run "$PLUMB" semver '>=1.0 <x1' 1.2.3
expect_rc 2 "an invalid range: exit 2"
expect_err_is "plumb: range:1:8: invalid version 'x1' in range: 'x1' is not a number
  >=1.0 <x1
         ^~" "range error: range:1:COL, the range, a caret under the token"
expect_out_is "" "no answers when the range is invalid"

run "$PLUMB" semver '1.2.x.3' 1.2.3
expect_rc 2 "a four-part version in a range"
expect_err "plumb: range:1:1: invalid version '1.2.x.3' in range" "the whole token is quoted"

run "$PLUMB" semver '>=1.0<2' 1.2.3
expect_err "plumb: range:1:6: missing ' ' or ',' before '<2' in range" "glued comparators"
run "$PLUMB" semver '>=1 1 - 2' 1.2.3
expect_err "plumb: range:1:5: hyphen range '1 - 2' must start the range or follow ',' or '||'" "misplaced hyphen range"
run "$PLUMB" semver '==1' 1.2.3
expect_err "plumb: range:1:1: invalid operator '==' in range" "unknown operator"
run "$PLUMB" semver '' 1.2.3
expect_rc 2 "an empty range is invalid, as in Flux"
expect_err "plumb: range:1:1: empty range" "empty range message"
run "$PLUMB" semver '^1 ||' 1.2.3
expect_err "plumb: range:1:4: missing comparator after '||'" "dangling '||'"

# --- invalid versions: Flux's tag rules -----------------------------------
run "$PLUMB" semver '^1' 1.2 v1.2.3 latest
expect_rc 2 "an invalid version: exit 2"
expect_out_is "v1.2.3 satisfies '^1'" "valid versions are still answered"
expect_err "plumb: version:1:4: invalid version '1.2': want major.minor.patch" "a partial version is not a tag Flux reads"
expect_err "plumb: version:1:1: invalid version 'latest': 'latest' is not a number" "a word is not a version"
expect_err "  latest
  ^~~~~~" "the caret underlines the word"

run "$PLUMB" semver '^1' 1.02.3
expect_err_is "plumb: version:1:3: invalid version '1.02.3': '02' has a leading zero
  1.02.3
    ^~" "version error: version:1:COL and a caret under the part"

run "$PLUMB" semver '^1' 2.0.0 nope
expect_rc 2 "invalid beats unsatisfied"

# --- usage, --quiet, --help -------------------------------------------------
run "$PLUMB" semver '^1'
expect_rc 2 "a range without versions is a usage error"
expect_err "plumb: semver takes a RANGE and at least one VERSION" "usage message"
run "$PLUMB" semver
expect_rc 2 "no arguments"
run "$PLUMB" semver --frob '^1' 1.0.0
expect_rc 2 "unknown option"
expect_err "plumb: unknown option '--frob'" "unknown option message"

run "$PLUMB" semver -q '^1' 1.0.0
expect_rc 0 "--quiet keeps the exit code"
expect_out_is "" "--quiet prints nothing"
run "$PLUMB" semver --quiet '^1' 2.0.0
expect_rc 1 "--quiet exit 1"
expect_out_is "" "--quiet prints nothing on a miss"
run "$PLUMB" semver -q 'x1' 2.0.0
expect_rc 2 "--quiet exit 2"
expect_err "plumb: range:1:1:" "--quiet still reports errors"

run "$PLUMB" semver --help
expect_rc 0 "--help"
expect_out "usage: plumb semver [options] RANGE VERSION..." "--help usage line"
expect_out "-q, --quiet" "--help lists --quiet"
expect_out "-h, --help" "--help lists --help"
expect_out "as Flux reads" "--help says versions follow Flux's tag rules"
expect_out "Exit 0 if every VERSION satisfies RANGE, 1 if one does not, 2 if RANGE or a VERSION" "--help gives the exit codes"

echo "cli-semver: $n assertions, $fails failed"
[ "$fails" = 0 ]
