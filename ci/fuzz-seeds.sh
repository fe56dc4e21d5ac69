#!/bin/sh
# Fills a fuzz target's seed folder from the repository's own inputs, so
# the seeds follow fixtures/ instead of being copies that drift from it.
# usage: fuzz-seeds.sh TARGET DIR   (TARGET: fuzz_load, fuzz_comment, ...)
# DIR is emptied and refilled; each seed is named after its path
# (fixtures/yaml/syntax/good/empty.yaml -> yaml-syntax-good-empty.yaml).
# A target with no line below gets no generated seeds: its inputs
# (semver ranges, CEL expressions, the render target's split files) are
# not files of fixtures/, so tests/fuzz/corpus/<target>/ holds them.
# The Makefile runs it for `make test` (the replay) and `make fuzz`.
set -eu
cd "$(dirname "$0")/.."
target=$1
dir=$2

# what each target reads, by meaning:
#   load     every YAML fixture of the yaml/ family: the tree's own cases
#   comment  every fixture holding a suppression (comment or annotation)
#            or a Flux setter marker
#   decl     every rule file fixture, and the shipped packs
#   config   every .plumb.yaml of the fixtures, and the plumb.yaml a
#            rule folder is linted with (tests/golden/run.sh)
#   schema   plumb's own schemas and the curated kind schemas
sources() {
	case $1 in
	fuzz_load) find fixtures/yaml -type f -name '*.yaml' ;;
	fuzz_comment)
		grep -rlF -e 'plumb:ignore' -e 'plumb.io/ignore' -e '$imagepolicy' fixtures |
			grep -v '\.expect$' ;;
	fuzz_decl)
		find fixtures/rule-files -type f -name '*.yaml'
		ls rules/*.yaml ;;
	fuzz_config) find fixtures -type f \( -name '.plumb.yaml' -o -name 'plumb.yaml' \) ;;
	fuzz_schema) ls schemas/*.json schemas/kinds/*.json ;;
	esac
}

rm -rf "$dir"
mkdir -p "$dir"
sources "$target" | LC_ALL=C sort | while read -r f; do
	name=$(printf '%s' "$f" | sed 's|^fixtures/||; s|/|-|g; s|^-||')
	cp "$f" "$dir/$name"
done
# a target that draws seeds must get some: an empty folder would let the
# replay pass on nothing
if [ -n "$(sources "$target")" ] || case $target in
	fuzz_load | fuzz_comment | fuzz_decl | fuzz_config | fuzz_schema) true ;;
	*) false ;;
	esac; then
	[ -n "$(ls -A "$dir")" ] || {
		echo "fuzz-seeds.sh: no seeds for $target" >&2
		exit 1
	}
fi
