#!/bin/sh
# Runs every test of plumb and prints one summary; exits non-zero if any
# part failed. Called by `make test` (and `make san`) with:
#   PLUMB   the plumb binary under test
#   BUILD   the build folder holding tests/test_* and tests/yaml_suite
#   SHARED  ../shared (external suites and the corpus)
# `sh tests/run-all.sh unit` runs the unit tests only.
# Parts that need ../shared say SKIPPED loudly when it is missing; they
# are never silently dropped.
set -u
cd "$(dirname "$0")/.."
: "${BUILD:?}"
SHARED=${SHARED:-../shared}
only=${1:-}
failed=""
skipped=""
passed=""

part() {
	name=$1
	shift
	printf '\n== %s\n' "$name"
	if "$@"; then
		passed="$passed $name"
	else
		failed="$failed $name"
		printf '== %s FAILED\n' "$name"
	fi
}

unit_skips=""
unit() {
	rc=0
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		case "$t" in *.d | *.o) continue ;; esac
		if ! "$t" >"$BUILD/tests/unit.log" 2>&1; then
			rc=1
		fi
		cat "$BUILD/tests/unit.log"
		s=$(grep '^\[  SKIPPED \] test_' "$BUILD/tests/unit.log" |
			sed 's/.*\] //' | sort -u)
		[ -n "$s" ] && unit_skips="$unit_skips $s"
	done
	return $rc
}

part unit unit
# Tests that cannot run as root (an unreadable folder) skip there; run
# that binary again as an unprivileged user so CI, which runs as root,
# still exercises them.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	[ -x "$BUILD/tests/test_walk" ]; then
	part unit-unprivileged setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$BUILD/tests/test_walk"
fi
if [ "$only" = unit ]; then
	[ -z "$failed" ] || exit 1
	exit 0
fi
: "${PLUMB:?}"
part golden sh tests/golden/run.sh
part cli sh tests/cli/run.sh
part cli-report sh tests/cli/report.sh; [ -f "$SHARED/testsuites/sarif/schema/sarif-schema-2.1.0.json" ] || skipped="$skipped sarif-schema"
part cli-suppress sh tests/cli/suppress.sh
part cli-rulefiles sh tests/cli/rulefiles.sh
part cli-integration sh tests/cli/integration.sh
part cli-semver sh tests/cli/semver.sh
part cli-git sh tests/cli/git.sh
part cli-history sh tests/cli/history.sh
part cli-hostile sh tests/cli/hostile.sh
part cli-schema sh tests/cli/schema.sh
part cli-examples sh tests/cli/examples.sh
part cli-build sh tests/cli/build.sh
part fuzz-replay sh -c 'for r in "$0"/tests/fuzz_*-replay; do
	[ -x "$r" ] || continue
	n=$(basename "$r" -replay)
	"$r" tests/fuzz/corpus/"$n" || exit 1
done' "$BUILD"
if [ -d "$SHARED/testsuites/yaml-test-suite" ]; then
	part yaml-test-suite "$BUILD/tests/yaml_suite" "$PLUMB" \
		"$SHARED/testsuites/yaml-test-suite" tests/suites/yaml-deviations.tsv
else
	skipped="$skipped yaml-test-suite"
fi
if [ -d "$SHARED/testsuites/secrets" ]; then
	part secrets-suites "$BUILD/tests/secrets_suite" "$PLUMB" \
		"$SHARED/testsuites/secrets" tests/suites/secrets-known.tsv
else
	skipped="$skipped secrets-suites"
fi
if [ -d "$SHARED/testsuites/semver" ]; then
	part semver-suite "$BUILD/tests/semver_suite" \
		"$SHARED/testsuites/semver" tests/suites/semver-known.tsv
else
	skipped="$skipped semver-suite"
fi
if [ -d "$SHARED/testsuites/json-schema-test-suite" ]; then
	part schema-suite "$BUILD/tests/schema_suite" \
		"$SHARED/testsuites/json-schema-test-suite" \
		tests/suites/schema-known.tsv
else
	skipped="$skipped schema-suite"
fi
if [ -d "$SHARED/testsuites/kustomize-build" ] && [ -d "$SHARED/corpus" ]; then
	part kustomize-build "$BUILD/tests/kustomize_suite" "$PLUMB" \
		"$SHARED/testsuites/kustomize-build" "$SHARED/corpus" \
		tests/suites/kustomize-known.tsv
else
	skipped="$skipped kustomize-build"
fi
if [ -d "$SHARED/corpus" ]; then
	part corpus sh tests/suites/corpus.sh "$SHARED/corpus"
else
	skipped="$skipped corpus"
fi

printf '\n== summary\npassed: %s\n' "$passed"
if [ -n "$unit_skips" ]; then
	printf 'unit tests skipped as this user:%s\n' "$unit_skips"
	printf '(the unit-unprivileged part runs test_walk as nobody)\n'
fi
if [ -n "$skipped" ]; then
	printf 'SKIPPED (no %s): %s\n' "$SHARED" "$skipped"
fi
if [ -n "$failed" ]; then
	printf 'FAILED: %s\n' "$failed"
	exit 1
fi
echo "all tests passed"
