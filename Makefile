# plumb - one hand-written, non-recursive GNU Makefile (STYLE.md §12).
#
#   make            build bin/plumb (objects under build/$(VARIANT)/)
#   make run        lint the bundled demo repository (README command 1)
#   make test       every test: unit, golden, cli, external suites, fuzz replay
#   make san        the same tests under ASan + UBSan, arena debug mode
#   make tsan       plumb check -j2/-j4 under ThreadSanitizer (tests/tsan.sh)
#   make fuzz       libFuzzer targets (clang), FUZZ_SECONDS each
#   make bench      benchmark with its baseline ratio
#   make lint       clang-format check, banned calls, include layering, size caps,
#                   descriptor completeness
#   make install    PREFIX=/usr/local, DESTDIR honoured
#   V=1             show commands; DEVELOPER=1 adds -Werror
#
# `run` and `test` install missing -dev packages through ci/install-deps.sh
# the first time, so they work on a fresh Debian 12 machine.

PKGS := yaml-0.1 jansson libpcre2-8 libgit2
TEST_PKGS := cmocka

VARIANT ?= release
BUILD := build/$(VARIANT)
PREFIX ?= /usr/local
FUZZ_SECONDS ?= 60
SHARED ?= $(abspath ../shared)

CC ?= cc
ifeq ($(CC),cc)
CC := gcc
endif

# a function used without its declaration returns int: a pointer it
# returns is cut to 32 bits, so that is an error in every build
WARN := -Werror=implicit-function-declaration -Werror=int-conversion \
	-Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wvla -Wwrite-strings \
	-Wpointer-arith -Wformat=2 -Wimplicit-fallthrough -Wundef -fno-common
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

ifeq ($(VARIANT),san)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -DPL_ARENA_DEBUG
LDOPT := -fsanitize=address,undefined
else ifeq ($(VARIANT),tsan)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
LDOPT := -fsanitize=thread
else ifeq ($(VARIANT),debug)
OPT := -O0 -g
LDOPT :=
else
OPT := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
LDOPT :=
endif

# Recursively expanded on purpose: pkg-config runs when a recipe needs the
# flags, i.e. after `deps` had the chance to install the libraries.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(OPT) -MMD -MP \
	-Iengine -Irules $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDOPT) $(LDFLAGS)

ifeq ($(V),1)
Q :=
else
Q := @
endif

# in the stage order of engine/README.md (ci/lint.sh checks the includes)
LIB_SRC := $(sort $(wildcard engine/base/*.c engine/lib/*.c engine/cel/*.c \
	engine/source/*.c engine/tree/*.c engine/schema/*.c engine/model/*.c \
	engine/finding/*.c engine/rule/*.c engine/report/*.c engine/run/*.c \
	rules/builtin/*.c))
CLI_SRC := $(sort $(wildcard engine/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/packs.o \
	$(BUILD)/gen/kinds.o $(BUILD)/gen/inputs.o
PACKS := $(sort $(wildcard rules/*.yaml))
KINDS := $(sort $(wildcard schemas/kinds/*.json))
INPUTS := schemas/config.schema.json schemas/rule.schema.json
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/%-replay)
LIB := $(BUILD)/libplumb.a

ifeq ($(VARIANT),release)
PLUMB := bin/plumb
else
PLUMB := $(BUILD)/plumb
endif

.PHONY: all run test san tsan fuzz bench lint format install clean deps dist docs \
	unit golden cli suites fuzz-replay golden-update check-deps

all: $(PLUMB)

$(PLUMB): $(LIB) $(CLI_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS) -lpthread -lm

$(LIB): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# The shipped rule packs, compiled into the binary (ci/embed.sh).
$(BUILD)/gen/packs.c: $(PACKS) ci/embed.sh
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  EMBED   $@")
	$(Q)sh ci/embed.sh $(PACKS) >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/packs.o: $(BUILD)/gen/packs.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The curated kind schemas (schemas/kinds/), compiled in the same way.
$(BUILD)/gen/kinds.c: $(KINDS) ci/embed.sh
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  EMBED   $@")
	$(Q)sh ci/embed.sh -n pl_builtin_kinds $(KINDS) >$@.tmp && mv $@.tmp $@

# The schemas of plumb's own inputs, .plumb.yaml and rule files, which
# their loaders check them against (engine/schema/shape.h).
$(BUILD)/gen/inputs.c: $(INPUTS) ci/embed.sh
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  EMBED   $@")
	$(Q)sh ci/embed.sh -n pl_builtin_inputs $(INPUTS) >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/inputs.o: $(BUILD)/gen/inputs.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/kinds.o: $(BUILD)/gen/kinds.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# `plumb version` names the commit it was built from; the stamp changes
# (and cmd_version.o rebuilds) only when the commit does. Tags are left
# out (--exclude): the version names the release, the commit its hash.
PL_COMMIT := $(shell git describe --always --dirty --exclude='*' 2>/dev/null || cat .commit 2>/dev/null || echo unknown)
COMMIT_STAMP := $(BUILD)/gen/commit
$(shell mkdir -p $(BUILD)/gen && { [ "$$(cat $(COMMIT_STAMP) 2>/dev/null)" = "$(PL_COMMIT)" ] || echo "$(PL_COMMIT)" >$(COMMIT_STAMP); })
$(BUILD)/engine/cli/cmd_version.o: $(COMMIT_STAMP)
$(BUILD)/engine/cli/cmd_version.o: ALL_CFLAGS += -DPL_COMMIT='"$(PL_COMMIT)"'

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/testlib.o: tests/unit/testlib.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/unit -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/tests/testlib.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/unit -o $@ $< \
		$(BUILD)/tests/testlib.o $(LIB) $(ALL_LDFLAGS) $(TEST_LIBS) \
		$(PKG_LIBS) -lpthread -lm

$(BUILD)/tests/fuzz_%-replay: tests/fuzz/fuzz_%.c tests/fuzz/standalone.c $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/standalone.c $(LIB) \
		$(ALL_LDFLAGS) $(PKG_LIBS) -lpthread -lm

$(BUILD)/tests/secrets_bench: tests/bench/secrets_bench.c $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) \
		-lpthread -lm

# the reviewed lists of the suites (tests/suites/known.h)
KNOWN_SRC := tests/suites/known.c tests/suites/known.h

$(BUILD)/tests/secrets_suite: tests/suites/secrets_suite.c $(KNOWN_SRC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/suites/known.c $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/semver_suite: tests/suites/semver_suite.c $(KNOWN_SRC) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/suites/known.c $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) \
		-lpthread -lm

$(BUILD)/tests/schema_suite: tests/suites/schema_suite.c $(KNOWN_SRC) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/suites/known.c $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) \
		-lpthread -lm

$(BUILD)/tests/cel_suite: tests/suites/cel_suite.c $(KNOWN_SRC) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/suites/known.c $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) \
		-lpthread -lm

$(BUILD)/tests/kustomize_suite: tests/suites/kustomize_suite.c $(KNOWN_SRC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/suites/known.c $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/yaml_suite: tests/suites/yaml_suite.c $(KNOWN_SRC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/suites/known.c $(ALL_LDFLAGS) $(PKG_LIBS)

# --- set-up ---------------------------------------------------------------

# The tests also validate reports with Debian's python3-jsonschema.
check-deps:
	@{ pkg-config --exists $(PKGS) $(TEST_PKGS) 2>/dev/null && \
		{ [ ! -x /usr/bin/python3 ] || \
		/usr/bin/python3 -c 'import jsonschema' 2>/dev/null; }; } || \
		sh ci/install-deps.sh

deps: check-deps

# --- the two README commands ---------------------------------------------

run: check-deps
	@$(MAKE) --no-print-directory all
	"$(PLUMB)" check fixtures/demo; status=$$?; \
		if [ $$status -gt 1 ]; then exit $$status; fi

test: check-deps
	@$(MAKE) --no-print-directory all unit-bins suite-bins
	@PLUMB="$(abspath $(PLUMB))" BUILD="$(abspath $(BUILD))" \
		SHARED="$(SHARED)" sh tests/run-all.sh

.PHONY: unit-bins suite-bins fuzz-seeds
unit-bins: $(UNIT_BIN)
suite-bins: $(BUILD)/tests/yaml_suite $(BUILD)/tests/secrets_suite \
	$(BUILD)/tests/semver_suite $(BUILD)/tests/schema_suite \
	$(BUILD)/tests/kustomize_suite $(BUILD)/tests/cel_suite $(FUZZ_REPLAY) \
	fuzz-seeds

# Each fuzz target's seeds, drawn from fixtures/, schemas/ and the packs
# by ci/fuzz-seeds.sh into $(BUILD)/fuzz-seeds/<target>/ and refilled
# when any of those files changes; tests/fuzz/corpus/<target>/ keeps only
# inputs written for fuzzing and the crashes fuzzing found. The replay in
# make test and make fuzz read both.
# (names make cannot take as prerequisites, such as 50%,off.yaml, are
# left out of the list; the script still copies them)
SEED_INPUTS := $(shell find fixtures schemas rules -type f ! -name '*[%:# ]*' 2>/dev/null)
FUZZ_SEEDS := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz-seeds/%.stamp)
fuzz-seeds: $(FUZZ_SEEDS)
$(BUILD)/fuzz-seeds/%.stamp: ci/fuzz-seeds.sh $(SEED_INPUTS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  SEEDS   $*")
	$(Q)sh ci/fuzz-seeds.sh $* $(BUILD)/fuzz-seeds/$* && touch $@

unit: check-deps
	@$(MAKE) --no-print-directory unit-bins
	@BUILD="$(abspath $(BUILD))" sh tests/run-all.sh unit

golden: all
	@PLUMB="$(abspath $(PLUMB))" sh tests/golden/run.sh

golden-update: all
	@PLUMB="$(abspath $(PLUMB))" UPDATE=1 sh tests/golden/run.sh

san: check-deps
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MAKE) --no-print-directory VARIANT=san DEVELOPER=1 test

# ThreadSanitizer over what runs on the pool: tests/tsan.sh runs
# plumb check at -j2 and -j4 over the corpus, a generated corpus, and
# --staged, under build/tsan/plumb; any report of a race fails.
tsan: check-deps $(BUILD)/tests/gen
	@$(MAKE) --no-print-directory VARIANT=tsan all
	@PLUMB="$(abspath build/tsan/plumb)" SHARED="$(SHARED)" \
		GEN="$(abspath $(BUILD))/tests/gen" sh tests/tsan.sh

fuzz: check-deps
	@$(MAKE) --no-print-directory VARIANT=fuzz CC=clang fuzz-bins fuzz-seeds
	@for f in $(FUZZ_SRC:tests/fuzz/%.c=%); do \
		echo "fuzz: $$f for $(FUZZ_SECONDS)s"; \
		mkdir -p build/fuzz/corpus/$$f; \
		build/fuzz/tests/$$f -max_total_time=$(FUZZ_SECONDS) \
			-dict=tests/fuzz/$$f.dict build/fuzz/corpus/$$f \
			tests/fuzz/corpus/$$f build/fuzz/fuzz-seeds/$$f || exit 1; \
	done

ifeq ($(VARIANT),fuzz)
OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -DPL_ARENA_DEBUG
LDOPT := -fsanitize=address,undefined
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/%)
fuzz-bins: $(FUZZ_BIN)
$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) \
		$(ALL_LDFLAGS) -fsanitize=fuzzer $(PKG_LIBS) -lpthread -lm
endif

# The bench programs: the corpus generator (plain C) and the libyaml
# event-parse baseline (links yaml-0.1 only, not libplumb). They are built
# inside the recipe, after check-deps, as the test binaries are.
BENCH_BIN := $(BUILD)/tests/secrets_bench $(BUILD)/tests/gen \
	$(BUILD)/tests/parse_baseline

$(BUILD)/tests/gen: tests/bench/gen.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)

$(BUILD)/tests/parse_baseline: tests/bench/parse_baseline.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) \
		$(shell pkg-config --libs yaml-0.1 2>/dev/null)

bench: check-deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@PLUMB="$(abspath $(PLUMB))" BUILD="$(abspath $(BUILD))" \
		SHARED="$(SHARED)" sh tests/bench/run.sh

lint: all
	@sh ci/lint.sh

format:
	clang-format -i $$(find engine rules tests -name '*.[ch]')

install: all
	sh ci/install.sh "$(DESTDIR)" "$(PREFIX)" "$(PLUMB)"

# docs/rules/: a page per rule from plumb explain --format markdown
# (tests/cli/docs.sh fails when it is stale).
docs: all
	@rm -rf docs/rules && sh ci/docs.sh "$(PLUMB)" docs/rules README.md

# A source tarball of HEAD for a release, with the commit it holds in
# .commit (read above when there is no git).
DIST_DIR ?= .
dist:
	@v=$$(sed -n 's/^#define PL_VERSION "\(.*\)"/\1/p' engine/base/base.h); \
	mkdir -p build && git describe --always --exclude='*' HEAD >build/.commit && \
	git archive --prefix="plumb-$$v/" --add-file=build/.commit \
		-o "$(DIST_DIR)/plumb-$$v.tar.gz" HEAD && \
	echo "$(DIST_DIR)/plumb-$$v.tar.gz"

clean:
	rm -rf build bin

# Header dependencies (-MMD) of everything built here, test programs
# included: a changed struct in a header must rebuild what embeds it.
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(wildcard $(BUILD)/tests/*.d)
