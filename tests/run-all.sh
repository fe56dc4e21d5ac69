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
# still exercises them. The user may not be able to enter the checkout
# (a 0700 home folder, the usual place to try a tool as root), so the
# binary runs from a copy in a folder of its own under TMPDIR, with a
# scratch TMPDIR that user owns. When that user cannot reach TMPDIR
# either, the part says why it did not run.
unprivileged() {
	nobody=65534
	dir=$(mktemp -d "${TMPDIR:-/tmp}/plumb-unpriv.XXXXXX") || return 1
	chmod 0755 "$dir" && mkdir "$dir/tmp" &&
		chown "$nobody:$nobody" "$dir/tmp" &&
		cp "$BUILD/tests/test_walk" "$dir/test_walk" &&
		chmod 0755 "$dir/test_walk" || {
		rm -rf "$dir"
		return 1
	}
	if ! setpriv --reuid=$nobody --regid=$nobody --clear-groups \
		test -x "$dir/test_walk"; then
		echo "unit-unprivileged: not run: uid $nobody cannot reach $dir" \
			"(TMPDIR=${TMPDIR:-/tmp}); set TMPDIR to a folder it can enter"
		rm -rf "$dir"
		unpriv_skip="uid $nobody cannot reach ${TMPDIR:-/tmp}"
		return 0
	fi
	(cd "$dir" && TMPDIR="$dir/tmp" setpriv --reuid=$nobody \
		--regid=$nobody --clear-groups ./test_walk)
	rc=$?
	rm -rf "$dir"
	return $rc
}

unpriv_skip=""
tool_skips=""
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	[ -x "$BUILD/tests/test_walk" ]; then
	part unit-unprivileged unprivileged
fi
if [ "$only" = unit ]; then
	[ -z "$failed" ] || exit 1
	exit 0
fi
: "${PLUMB:?}"
# plumb check keeps a cache of per-file findings (engine/run/cache.h)
# under .git/plumb/cache, else ~/.cache/plumb; the suite's runs keep
# theirs in a scratch folder instead (PLUMB_CACHE_DIR), so that testing
# writes nothing into the checkout's git folder or the user's home.
# cli/cache.sh unsets it to test those default places.
PLUMB_CACHE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/plumb-cache.XXXXXX") || exit 1
export PLUMB_CACHE_DIR
trap 'rm -rf "$PLUMB_CACHE_DIR"' EXIT
part cli-lib sh tests/cli/lib_test.sh
part golden sh tests/golden/run.sh
part cli sh tests/cli/run.sh
part cli-report sh tests/cli/report.sh; [ -f "$SHARED/testsuites/sarif/schema/sarif-schema-2.1.0.json" ] || skipped="$skipped sarif-schema"
part cli-output sh tests/cli/output.sh
part cli-suppress sh tests/cli/suppress.sh
part cli-rulefiles sh tests/cli/rulefiles.sh
part cli-integration sh tests/cli/integration.sh
part cli-semver sh tests/cli/semver.sh
part cli-cel sh tests/cli/cel.sh
part cli-git sh tests/cli/git.sh
part cli-history sh tests/cli/history.sh
part cli-gitread sh tests/cli/gitread.sh
part cli-hostile sh tests/cli/hostile.sh
part cli-schema sh tests/cli/schema.sh
part cli-examples sh tests/cli/examples.sh
part cli-build sh tests/cli/build.sh
part cli-fix sh tests/cli/fix.sh
part cli-lsp sh tests/cli/lsp.sh
part cli-staged-focus sh tests/cli/staged_focus.sh
part cli-cache sh tests/cli/cache.sh
part cli-jobs sh tests/cli/jobs.sh
if command -v pre-commit >/dev/null 2>&1; then
	part cli-precommit sh tests/cli/precommit.sh
else
	tool_skips="$tool_skips cli-precommit(no pre-commit: sh ci/install-deps.sh)"
fi
part cli-install sh tests/cli/install.sh
part cli-docs sh tests/cli/docs.sh
part cli-harness sh tests/cli/harness.sh
part fuzz-replay sh -c 'for r in "$0"/tests/fuzz_*-replay; do
	[ -x "$r" ] || continue
	n=$(basename "$r" -replay)
	"$r" tests/fuzz/corpus/"$n" "$0/fuzz-seeds/$n" || exit 1
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
	part mask-property python3 tests/suites/mask_property.py "$PLUMB" \
		"$SHARED/testsuites/secrets"
else
	skipped="$skipped secrets-suites mask-property"
fi
if [ -d "$SHARED/testsuites/semver" ]; then
	part semver-suite "$BUILD/tests/semver_suite" \
		"$SHARED/testsuites/semver" tests/suites/semver-known.tsv
else
	skipped="$skipped semver-suite"
fi
if [ -d "$SHARED/testsuites/cel-spec" ]; then
	part cel-suite "$BUILD/tests/cel_suite" \
		"$SHARED/testsuites/cel-spec" tests/suites/cel-known.tsv
else
	skipped="$skipped cel-suite"
fi
if [ -d "$SHARED/testsuites/flux-schemas" ]; then
	part flux-cel python3 tests/suites/cel_flux.py schemas/kinds \
		"$SHARED/testsuites/flux-schemas"
else
	skipped="$skipped flux-cel"
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
	if [ -n "$unpriv_skip" ]; then
		printf 'SKIPPED unit-unprivileged: %s\n' "$unpriv_skip"
	else
		printf '(the unit-unprivileged part runs test_walk as nobody)\n'
	fi
fi
if [ -n "$skipped" ]; then
	printf 'SKIPPED (no %s): %s\n' "$SHARED" "$skipped"
fi
if [ -n "$tool_skips" ]; then
	printf 'SKIPPED:%s\n' "$tool_skips"
fi
if [ -n "$failed" ]; then
	printf 'FAILED: %s\n' "$failed"
	exit 1
fi
echo "all tests passed"
