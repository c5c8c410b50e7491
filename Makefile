# tcpconf - TCP teardown conformance suite.  Plain GNU make; flags from pkg-config.

CC      ?= cc
PKGS    := libmnl libnftnl
# CFLAGS is the user's (`make CFLAGS=...` replaces it); what the code needs to
# build at all lives in TCPCONF_CFLAGS, which every rule puts before it.
CFLAGS  ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)
# The build is warning-free with gcc and clang at WARN_CFLAGS; CI adds -Werror
# (make WERROR=1).
WARN_CFLAGS := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
               -Werror=implicit-function-declaration $(if $(filter 1,$(WERROR)),-Werror)
TCPCONF_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Ilib $(WARN_CFLAGS) $(PKG_CFLAGS)
# Symbols bound when the runner starts: every case is a fork of it, and
# with lazy binding each fork resolved again the functions the case calls.
TCPCONF_LDFLAGS := -Wl,-z,relro,-z,now
# Each object also writes its header dependencies (lib/x.d next to lib/x.o).
DEP_CFLAGS := -MMD -MP

# Debian packages the build and the tests need; `make deps` installs the missing ones.
DEPS := gcc make pkg-config libmnl-dev libnftnl-dev check

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:.c=.o)
LIB      := lib/libtcpconf.a

HARNESS_SRCS := $(wildcard harness/*.c)
HARNESS_OBJS := $(HARNESS_SRCS:.c=.o)
HARNESS      := harness/tcpconf
# The tests link the harness too (reports, runner), all but its main().
HARNESS_LIB_OBJS := $(filter-out harness/main.o,$(HARNESS_OBJS))

TEST_SRCS := $(wildcard tests/check_*.c)
TEST_OBJS := $(TEST_SRCS:.c=.o)
TESTS     := tests/unit

JOBS ?=
RUN_FLAGS ?=

# A bare `make` builds everything, whatever rule comes first below.
.DEFAULT_GOAL := all

.PHONY: all deps have-deps headers suites warnings check run clean bench soak fuzz asan \
	install kselftest coverage

# The commit this build is made from, for `tcpconf --version` and meta.json:
# empty when the source is not a git work tree of its own (a tarball, even one
# unpacked inside another repository).  build/commit changes only when the
# commit does, so harness/version.o alone is rebuilt then.
GIT_COMMIT := $(shell [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ] && \
	c=$$(git rev-parse --short=12 HEAD 2>/dev/null) && \
	{ git diff --quiet HEAD -- 2>/dev/null && echo $$c || echo $$c-dirty; })
COMMIT_STAMP := build/commit
$(shell mkdir -p build && { echo '$(GIT_COMMIT)' | cmp -s - $(COMMIT_STAMP) || \
	echo '$(GIT_COMMIT)' > $(COMMIT_STAMP); })
harness/version.o: $(COMMIT_STAMP)
harness/version.o: TCPCONF_CFLAGS += -DTCPCONF_COMMIT='"$(GIT_COMMIT)"'

all: $(HARNESS) $(LIB)

deps:
	@missing=""; for p in $(DEPS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: need root to install$$missing" >&2; exit 1; fi; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; }; \
	fi

# The targets below run `make deps` only when a tool or library is missing, asking
# the compiler and pkg-config rather than dpkg: on a machine that has them no
# package tool runs, and on a fresh one `make run` and `make check` still
# install what they need.
have-deps:
	@command -v $(firstword $(CC)) >/dev/null 2>&1 && command -v pkg-config >/dev/null 2>&1 && \
	  pkg-config --exists $(PKGS) check 2>/dev/null || $(MAKE) --no-print-directory deps

lib/%.o: lib/%.c
	$(CC) $(TCPCONF_CFLAGS) $(DEP_CFLAGS) $(CFLAGS) -c -o $@ $<

harness/%.o: harness/%.c
	$(CC) $(TCPCONF_CFLAGS) -Iharness $(DEP_CFLAGS) $(CFLAGS) -c -o $@ $<

tests/%.o: tests/%.c
	$(CC) $(TCPCONF_CFLAGS) $(CHECK_CFLAGS) -Iharness $(DEP_CFLAGS) $(CFLAGS) -c -o $@ $<

-include $(wildcard lib/*.d harness/*.d tests/*.d)

$(LIB): $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(HARNESS): $(HARNESS_OBJS) $(LIB)
	$(CC) $(CFLAGS) $(TCPCONF_LDFLAGS) $(LDFLAGS) -o $@ $(HARNESS_OBJS) $(LIB) $(PKG_LIBS) -lpthread

$(TESTS): $(TEST_OBJS) $(HARNESS_LIB_OBJS) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJS) $(HARNESS_LIB_OBJS) $(LIB) $(PKG_LIBS) $(CHECK_LIBS) -lpthread

# Every header compiles on its own, so no file has to include another first;
# part of `make check`, and a header added anywhere is tested too.
HEADERS = $(wildcard lib/*.h harness/*.h tests/*.h)
headers: have-deps
	@for h in $(HEADERS); do \
	  $(CC) $(TCPCONF_CFLAGS) $(CHECK_CFLAGS) -Iharness $(CFLAGS) -fsyntax-only -include $$h -x c /dev/null || \
	  { echo "$$h does not compile on its own" >&2; exit 1; }; \
	done

# Every suite a tests/check_*.c defines is in check_main.c's list (a listed
# suite that is missing already fails the link); part of `make check`.
suites:
	@for s in $$(sed -n 's/^Suite \*\([a-z0-9_]*_suite\)(void)$$/\1/p' $(TEST_SRCS)); do \
	  grep -qw "$$s" tests/check_main.c || \
	  { echo "$$s is defined but not listed in tests/check_main.c" >&2; exit 1; }; \
	done

# Every source through a second compiler's front end, nothing built: CI runs
# `make CC=clang WERROR=1 warnings` so the code stays warning-free with both.
warnings: have-deps
	@for f in $(LIB_SRCS) $(HARNESS_SRCS) $(TEST_SRCS) $(wildcard tests/fuzz_*.c); do \
	  $(CC) $(TCPCONF_CFLAGS) $(CHECK_CFLAGS) -Iharness $(CFLAGS) -fsyntax-only $$f || exit 1; \
	done

# Runs the whole catalogue against this host's kernel.
run: have-deps
	@$(MAKE) --no-print-directory all
	./$(HARNESS) run $(RUN_FLAGS) cases/

# The catalogue as a kselftest: KTAP on standard output, exit 0 pass, 1 fail,
# 4 all skipped (harness/ksft_runner.sh; KSFT_MACHINE_SLOW=1 widens the tolerance).
kselftest: have-deps
	@$(MAKE) --no-print-directory all
	harness/ksft_runner.sh $(RUN_FLAGS)

# Headers alone, unit tests (no root needed) and, as root, the integration tests and the
# catalogue; Check's summary stays the last line.
check: have-deps
	@$(MAKE) --no-print-directory all $(TESTS) headers suites
	./$(TESTS)

# The unit tests again, built with AddressSanitizer, LeakSanitizer and UBSan:
# a leak or an invalid access makes the test it happens in fail.
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
asan: have-deps
	@$(MAKE) --no-print-directory all
	@mkdir -p build/asan
	$(CC) $(TCPCONF_CFLAGS) $(CHECK_CFLAGS) -Iharness $(filter-out -O2,$(CFLAGS)) $(ASAN_FLAGS) \
	  -DTCPCONF_COMMIT='"$(GIT_COMMIT)"' -o build/asan/unit \
	  $(LIB_SRCS) $(filter-out harness/main.c,$(HARNESS_SRCS)) $(TEST_SRCS) $(PKG_LIBS) $(CHECK_LIBS) -lpthread
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 ./build/asan/unit

# Test-bed and round-trip costs, and the suite's wall time at -j1 and -jN.
bench: have-deps
	@$(MAKE) --no-print-directory all
	./$(HARNESS) bench

# The catalogue SOAK_COUNT times; SOAK_LOAD=1 saturates every CPU meanwhile.
SOAK_COUNT ?= 50
SOAK_LOAD  ?= 0
soak: have-deps
	@$(MAKE) --no-print-directory all
	harness/soak.sh $(SOAK_COUNT) $(SOAK_LOAD)

# libFuzzer targets (clang, ASan+UBSan) for the parsers, FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  = -g -O1 $(TCPCONF_CFLAGS) -fsanitize=fuzzer,address,undefined
# Each target links the whole of lib/ (the linker keeps what it needs), so a
# module split in two never breaks a fuzz build.
tests/fuzz_packet tests/fuzz_script tests/fuzz_netlink: tests/fuzz_%: tests/fuzz_%.c $(LIB_SRCS) lib/*.h
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(PKG_LIBS)
tests/fuzz_json: tests/fuzz_json.c harness/json.c harness/json_put.c harness/record.c lib/error.c lib/*.h harness/*.h
	clang $(FUZZ_CFLAGS) -Iharness -o $@ tests/fuzz_json.c harness/json.c harness/json_put.c harness/record.c lib/error.c
# call_arg.c's table names every call's function, and those the helpers they use.
FUZZ_CALL_SRCS = $(wildcard harness/call*.c) harness/shell.c harness/state.c harness/timeline.c
tests/fuzz_call: tests/fuzz_call.c $(FUZZ_CALL_SRCS) $(LIB_SRCS) lib/*.h harness/*.h
	clang $(FUZZ_CFLAGS) -Iharness -o $@ tests/fuzz_call.c $(FUZZ_CALL_SRCS) $(LIB_SRCS) $(PKG_LIBS) -lpthread
tests/fuzz_command: tests/fuzz_command.c harness/command.c lib/error.c lib/*.h harness/*.h
	clang $(FUZZ_CFLAGS) -Iharness -o $@ tests/fuzz_command.c harness/command.c lib/error.c
# libFuzzer is there when clang can link a fuzz target, wherever LLVM keeps it.
fuzz: have-deps
	@mkdir -p build
	@echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return d && n < 0; }' | \
	  clang -fsanitize=fuzzer -x c -o build/fuzz-probe - >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang libclang-rt-dev >/dev/null; }
	@$(MAKE) --no-print-directory tests/fuzz_packet tests/fuzz_script tests/fuzz_json tests/fuzz_netlink \
	  tests/fuzz_call tests/fuzz_command
	mkdir -p build/corpus/packet build/corpus/script build/corpus/json build/corpus/netlink \
	  build/corpus/call build/corpus/command
	cp -n tests/scripts/*.pkt cases/*/*.pkt build/corpus/script/ 2>/dev/null || true
	cat results/*/results.jsonl 2>/dev/null | split -a 4 -l 1 - build/corpus/json/seed- || true
	cp -n tests/corpus/netlink/* build/corpus/netlink/ 2>/dev/null || true
	cp -n tests/corpus/call/* cases/*/*.pkt build/corpus/call/ 2>/dev/null || true
	cp -n tests/corpus/command/* build/corpus/command/ 2>/dev/null || true
	@for t in packet script json netlink call command; do \
	  ./tests/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=build/fuzz-$$t- build/corpus/$$t >build/fuzz-$$t.log 2>&1; rc=$$?; \
	  n=$$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz-$$t.log); \
	  if [ $$rc -eq 0 ]; then echo "fuzz_$$t: $$n executions in $(FUZZ_SECONDS) s, no crash"; \
	  else echo "fuzz_$$t: FAILED after $$n executions (build/fuzz-$$t.log, build/fuzz-$$t-*)"; exit 1; fi; \
	done

# `make install PREFIX=/usr DESTDIR=pkg/`: the binary, the catalogue and the
# kselftest wrapper under $(PREFIX)/share/tcpconf, the man page, and the kernel
# config fragment the suite needs (share/tcpconf/config).
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/tcpconf
MANDIR  ?= $(PREFIX)/share/man
install: all
	install -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(DATADIR)' '$(DESTDIR)$(MANDIR)/man1'
	install -m 755 $(HARNESS) '$(DESTDIR)$(BINDIR)/tcpconf'
	install -m 644 doc/tcpconf.1 '$(DESTDIR)$(MANDIR)/man1/tcpconf.1'
	install -m 644 config '$(DESTDIR)$(DATADIR)/config'
	install -m 755 harness/ksft_runner.sh '$(DESTDIR)$(DATADIR)/ksft_runner.sh'
	for d in $$(cd cases && find . -type d); do install -d "$(DESTDIR)$(DATADIR)/cases/$$d" || exit 1; done
	for f in $$(cd cases && find . -type f -name '*.pkt'); do \
	  install -m 644 "cases/$$f" "$(DESTDIR)$(DATADIR)/cases/$$f" || exit 1; done

clean:
	rm -f lib/*.[od] harness/*.[od] tests/*.[od] $(LIB) $(HARNESS) $(TESTS) tests/fuzz_packet tests/fuzz_script tests/fuzz_json tests/fuzz_netlink \
	  tests/fuzz_call tests/fuzz_command
	rm -rf build/asan build/commit

# ---- matrix (owner: harness/matrix.sh) ---------------------------------------
# The catalogue under other kernels in QEMU, plus this host's kernel, then
# `tcpconf compare`.  Exact package versions: Debian drops superseded
# kernels, so bump these when a download fails (the .deb files stay cached in
# build/kernels/).  MATRIX_MODULES may name built-in drivers too; the
# initramfs gets whichever of them each kernel builds as modules.
# KERNEL=path/to/bzImage boots a kernel you built beside them, with
# MODULES=its lib/modules/<release> (or the INSTALL_MOD_PATH of
# `make modules_install`); `make matrix MATRIX_KERNELS= KERNEL=...` boots it
# alone.  MATRIX_GUESTS guests boot at once (default: one per CPU).
MATRIX_KERNELS := linux-image-6.1.0-56-cloud-amd64-unsigned=6.1.192-2 \
                  linux-image-6.12.117+deb12-cloud-amd64-unsigned=6.12.117-1~deb12u1
MATRIX_MODULES := veth nf_tables inet_diag tcp_diag af_packet ipv6
MATRIX_TIMEOUT ?= 300
MATRIX_ACCEL   ?= auto
MATRIX_GUESTS  ?=
MATRIX_FLAGS   ?=
KERNEL         ?=
MODULES        ?=

.PHONY: matrix
matrix: have-deps
	@$(MAKE) -s --no-print-directory all
	@harness/matrix.sh --modules '$(MATRIX_MODULES)' --timeout $(MATRIX_TIMEOUT) \
	  --accel $(MATRIX_ACCEL) $(if $(JOBS),--jobs $(JOBS)) $(if $(MATRIX_GUESTS),--guests $(MATRIX_GUESTS)) \
	  $(if $(KERNEL),--kernel '$(KERNEL)') $(if $(MODULES),--kernel-modules '$(MODULES)') \
	  $(MATRIX_FLAGS) $(MATRIX_KERNELS)
# ---- end matrix ---------------------------------------------------------------

# The requirement table: written even when it has holes, which then fail the target.
coverage: $(HARNESS)
	$(HARNESS) coverage --format markdown --output results/coverage.md $(wildcard results/*/)

