# timon — one plain Makefile: build, test, demo, bench, fuzz, install.
#
#   make            build/timon (optimised, with debug info)
#   make test       unit tests under ASan+UBSan, kubectl conformance, tmux end-to-end, fuzz smoke
#   make demo       install what is missing, build, run timon against a simulated cluster
#   make deps       apt-get install the build and test packages (prints the command if not root)
#   make bench      benchmarks against kubectl on the simulated cluster (never part of test)
#   WERROR=1        turn warnings into errors (CI sets it)

PKGS      := ncursesw libcurl libcjson yaml-0.1 libpcre2-8
PYTHON    := /usr/bin/python3
PREFIX    ?= /usr/local
CC        ?= cc
FUZZ_CC   ?= clang
FUZZ_SECS ?= 20

DEB_BUILD := build-essential pkg-config libncurses-dev libcurl4-openssl-dev libcjson-dev \
             libyaml-dev libpcre2-dev
DEB_TEST  := libcmocka-dev python3 python3-pytest python3-yaml tmux openssl clang clang-format \
             libclang-rt-14-dev nodejs

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
        -Wpointer-arith -Wundef -Wwrite-strings -Wcast-qual -Wvla -Wimplicit-fallthrough \
        -Wmissing-declarations -Wold-style-definition -Wredundant-decls
ifeq ($(WERROR),1)
WARN += -Werror
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

VERSION   := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CPPFLAGS  += -Isrc -DTIMON_VERSION='"$(VERSION)"' -MMD -MP
CFLAGS    ?= -O2 -g
CFLAGS    += -std=c11 $(WARN) $(PKG_CFLAGS) -fno-strict-aliasing
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer -DTIMON_DEBUG

CORE_SRC  := $(sort $(wildcard src/util/*.c src/client/*.c src/model/*.c))
VIEW_SRC  := $(sort $(wildcard src/views/*.c))
MAIN_SRC  := $(sort $(wildcard src/*.c))
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))

OBJ       := $(patsubst src/%.c,build/obj/%.o,$(CORE_SRC) $(VIEW_SRC) $(MAIN_SRC))
SAN_CORE  := $(patsubst src/%.c,build/san/obj/%.o,$(CORE_SRC))
SAN_ALL   := $(SAN_CORE) $(patsubst src/%.c,build/san/obj/%.o,$(VIEW_SRC) $(MAIN_SRC))
TESTS     := $(patsubst tests/unit/%.c,build/san/tests/%,$(TEST_SRC))
FUZZERS   := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_CORE := $(patsubst src/%.c,build/fuzz/obj/%.o,$(CORE_SRC))

.SECONDARY:

.PHONY: all test unit conformance e2e fuzz fuzz-smoke demo deps deps-check clean install \
        format format-check layers bench san

all: build/timon

build/timon: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

build/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The sanitizer build: the unit tests link against it, the e2e suite can run it.
san: build/san/timon

build/san/timon: $(SAN_ALL)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

build/san/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<

build/san/libcore.a: $(SAN_CORE)
	@rm -f $@
	ar rcs $@ $^

build/san/tests/%: tests/unit/%.c tests/unit/fakeapi.c build/san/libcore.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< \
		tests/unit/fakeapi.c build/san/libcore.a $(PKG_LIBS) $(shell pkg-config --libs cmocka) \
		-lm -pthread

unit: $(TESTS)
	@set -e; for t in $(TESTS); do \
		echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		TIMON_TEST_FIXTURES=tests/unit/fixtures $$t; \
	done

# Only views/ and main.c may touch curses; util, client and model never print or exit.
layers:
	@bad=$$(grep -lE '#include <(n?curses|ncursesw/)' src/util/*.c src/util/*.h src/client/*.c \
		src/client/*.h src/model/*.c src/model/*.h 2>/dev/null); \
	if [ -n "$$bad" ]; then echo "curses outside views/: $$bad"; exit 1; fi
	@bad=$$(grep -nE '\b(exit|_exit|abort)\(|\b(printf|puts)\(|fprintf\(std(out|err)' \
		src/util/*.c src/client/*.c src/model/*.c | grep -v 'xalloc.c' \
		| grep -v 'execcred.c:.*_exit(127)' ); \
	if [ -n "$$bad" ]; then echo "a library layer prints or exits:"; echo "$$bad"; exit 1; fi

conformance:
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/conformance

e2e: build/timon build/h2watch
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/e2e

# The client alone, watching through a proxy that goes silent (tests/e2e/test_http2.py).
build/h2watch: tests/e2e/h2/h2watch.c $(patsubst src/%.c,build/obj/%.o,$(CORE_SRC))
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# libFuzzer targets, one per parser of outside data.
fuzz: $(FUZZERS)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 -g -O1 $(PKG_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-DTIMON_DEBUG -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZ_CORE)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 -g -O1 $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-o $@ $< $(FUZZ_CORE) $(PKG_LIBS) -lm

fuzz-smoke: $(FUZZERS)
	@set -e; for f in $(FUZZERS); do \
		n=$$(basename $$f); corpus=tests/fuzz/corpus/$${n#fuzz_}; \
		mkdir -p build/fuzz/work/$$n; \
		echo "== $$n ($(FUZZ_SECS)s)"; \
		$$f -max_total_time=$(FUZZ_SECS) -rss_limit_mb=1024 -timeout=5 -print_final_stats=0 \
			build/fuzz/work/$$n $$( [ -d $$corpus ] && echo $$corpus ) 2>build/fuzz/$$n.log \
			|| { tail -40 build/fuzz/$$n.log; exit 1; }; \
	done

# The whole suite. Each fuzz target runs TEST_FUZZ_SECS here (a smoke run over its corpus);
# `make fuzz-smoke` runs them longer.
TEST_FUZZ_SECS ?= 5

test: deps-check
	@$(MAKE) --no-print-directory layers format-check unit conformance e2e
	@$(MAKE) --no-print-directory fuzz-smoke FUZZ_SECS=$(TEST_FUZZ_SECS)

deps-check:
	@pkg-config --exists $(PKGS) cmocka || $(MAKE) --no-print-directory deps
	@$(PYTHON) -c 'import yaml, pytest' 2>/dev/null && command -v tmux >/dev/null \
		&& command -v openssl >/dev/null && command -v $(FUZZ_CC) >/dev/null \
		&& command -v node >/dev/null \
		&& command -v clang-format >/dev/null || $(MAKE) --no-print-directory deps

deps:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y $(DEB_BUILD) $(DEB_TEST); \
	else \
		echo "run as root:  apt-get update && apt-get install -y $(DEB_BUILD) $(DEB_TEST)"; \
		exit 1; \
	fi

demo: deps-check
	@$(MAKE) --no-print-directory build/timon
	@tests/kubesim/demo.sh build/timon

bench: build/timon
	$(PYTHON) tests/bench/run.py --timon build/timon
	$(PYTHON) tests/bench/tui.py --timon build/timon

format:
	clang-format -i src/*.c src/*/*.c src/*/*.h tests/unit/*.c tests/fuzz/*.c

format-check:
	clang-format --dry-run --Werror src/*.c src/*/*.c src/*/*.h tests/unit/*.c tests/fuzz/*.c

install: build/timon
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/timon/skins
	install -m 0755 build/timon $(DESTDIR)$(PREFIX)/bin/timon
	install -m 0644 doc/timon.1 $(DESTDIR)$(PREFIX)/share/man/man1/timon.1
	install -m 0644 skins/*.yaml $(DESTDIR)$(PREFIX)/share/timon/skins/

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(SAN_ALL:.o=.d) $(FUZZ_CORE:.o=.d)
