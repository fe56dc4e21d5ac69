#!/bin/sh
# Installs what plumb needs to build and test: the -dev packages of its
# libraries and pkg-config. On Debian/Ubuntu it runs apt-get (as root, or
# through sudo when that is available); elsewhere it prints the command.
# Pass --fuzz to add clang and libFuzzer's runtime (make fuzz).
set -eu

# python3-jsonschema: the report tests validate JSON and SARIF output;
# with python3-yaml, tests/cli/rulefiles.sh checks rule files against
# schemas/rule.schema.json; pre-commit: tests/cli/precommit.sh runs the hooks
# under Debian's pre-commit
pkgs="build-essential pkg-config libyaml-dev libjansson-dev libpcre2-dev libgit2-dev libcmocka-dev git python3-jsonschema python3-yaml pre-commit neovim"
if [ "${1:-}" = "--fuzz" ]; then
	pkgs="$pkgs clang libclang-rt-14-dev"
fi

if [ -r /etc/os-release ] && command -v apt-get >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "plumb: need root or sudo to run: apt-get install -y $pkgs" >&2
		exit 2
	fi
	echo "plumb: installing build dependencies: $pkgs" >&2
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs
	exit 0
fi

echo "plumb: cannot install dependencies automatically on this system." >&2
echo "Install these (Debian names) with your package manager:" >&2
echo "  $pkgs" >&2
echo "e.g. on Fedora: dnf install libyaml-devel jansson-devel pcre2-devel libgit2-devel libcmocka-devel pkgconf python3-jsonschema" >&2
echo "on macOS:      brew install libyaml jansson pcre2 libgit2 cmocka pkg-config" >&2
exit 2
