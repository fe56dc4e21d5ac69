# plumb.mk - `make lint` with plumb, for your repository's Makefile (GNU make).
#
# Copy this file into your repository and include it:
#
#   include ci/make/plumb.mk
#
#   make lint           lint the whole repository
#   make lint-changed   only files changed since the merge-base with
#                       $(PLUMB_BASE), uncommitted changes included
#   make lint-staged    what `git commit` would commit (the index)
#
# Override on the command line or before the include:
#   PLUMB        the plumb binary (default: plumb on PATH)
#   PLUMB_FLAGS  extra flags, e.g. PLUMB_FLAGS='--fail-on warning'
#   PLUMB_BASE   the branch lint-changed compares with (default origin/main)
#
# Including this file first does not make `lint` your default goal. If your
# Makefile already has a `lint` target, rename one of them.

PLUMB ?= plumb
PLUMB_FLAGS ?=
PLUMB_BASE ?= origin/main

# keep the includer's default goal (empty: the next target defined)
plumb_mk_default_goal := $(.DEFAULT_GOAL)

.PHONY: lint lint-changed lint-staged

lint:
	$(PLUMB) check $(PLUMB_FLAGS) .

lint-changed:
	$(PLUMB) check --diff-base $(PLUMB_BASE) --include-worktree $(PLUMB_FLAGS)

lint-staged:
	$(PLUMB) check --staged $(PLUMB_FLAGS)

.DEFAULT_GOAL := $(plumb_mk_default_goal)
