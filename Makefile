# tcpconf - TCP teardown conformance suite.  Plain GNU make; flags from pkg-config.

CC      ?= cc
PKGS    := libmnl libnftnl
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror=implicit-function-declaration \
           -D_GNU_SOURCE -Ilib
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

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

.PHONY: all deps check run clean bench soak fuzz asan

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

lib/%.o: lib/%.c lib/*.h
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

harness/%.o: harness/%.c lib/*.h harness/*.h
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -c -o $@ $<

tests/%.o: tests/%.c lib/*.h tests/*.h
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -c -o $@ $<

$(LIB): $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(HARNESS): $(HARNESS_OBJS) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(HARNESS_OBJS) $(LIB) $(PKG_LIBS) -lpthread

$(TESTS): $(TEST_OBJS) $(HARNESS_LIB_OBJS) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(TEST_OBJS) $(HARNESS_LIB_OBJS) $(LIB) $(PKG_LIBS) $(CHECK_LIBS) -lpthread

# Runs the whole catalogue against this host's kernel.
run: deps
	@$(MAKE) --no-print-directory all
	./$(HARNESS) run $(RUN_FLAGS) cases/

# Unit tests (no root needed) and, as root, the integration tests and the
# catalogue; Check's summary stays the last line.
check: deps
	@$(MAKE) --no-print-directory all $(TESTS)
	./$(TESTS)

# The unit tests again, built with AddressSanitizer, LeakSanitizer and UBSan:
# a leak or an invalid access makes the test it happens in fail.
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
asan: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p build/asan
	$(CC) $(filter-out -O2,$(CFLAGS)) $(ASAN_FLAGS) $(PKG_CFLAGS) -Iharness -o build/asan/unit \
	  $(LIB_SRCS) $(filter-out harness/main.c,$(HARNESS_SRCS)) $(TEST_SRCS) $(PKG_LIBS) $(CHECK_LIBS) -lpthread
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 ./build/asan/unit

# Test-bed and round-trip costs, and the suite's wall time at -j1 and -jN.
bench: deps
	@$(MAKE) --no-print-directory all
	./$(HARNESS) bench

# The catalogue SOAK_COUNT times; SOAK_LOAD=1 saturates every CPU meanwhile.
SOAK_COUNT ?= 50
SOAK_LOAD  ?= 0
soak: deps
	@$(MAKE) --no-print-directory all
	harness/soak.sh $(SOAK_COUNT) $(SOAK_LOAD)

# libFuzzer targets (clang, ASan+UBSan) for the two parsers, FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -g -O1 -std=gnu11 -D_GNU_SOURCE -Ilib -fsanitize=fuzzer,address,undefined
tests/fuzz_packet: tests/fuzz_packet.c lib/packet.c lib/tcp_option.c lib/tcp_option_kinds.c lib/text.c lib/checksum.c lib/error.c lib/*.h
	clang $(FUZZ_CFLAGS) -o $@ tests/fuzz_packet.c lib/packet.c lib/tcp_option.c lib/tcp_option_kinds.c lib/text.c lib/checksum.c lib/error.c
tests/fuzz_script: tests/fuzz_script.c lib/*.c lib/*.h
	clang $(FUZZ_CFLAGS) -o $@ tests/fuzz_script.c lib/script.c lib/lexer.c lib/expr.c lib/packet_line.c \
	  lib/symbol.c lib/error.c lib/tcp_option.c lib/tcp_option_kinds.c lib/text.c
fuzz: deps
	@command -v clang >/dev/null && [ -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ] || \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang libclang-rt-14-dev >/dev/null; }
	@$(MAKE) --no-print-directory tests/fuzz_packet tests/fuzz_script
	mkdir -p build/corpus/packet build/corpus/script
	cp -n tests/scripts/*.pkt cases/*/*.pkt build/corpus/script/ 2>/dev/null || true
	@for t in packet script; do \
	  ./tests/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=build/fuzz-$$t- build/corpus/$$t >build/fuzz-$$t.log 2>&1; rc=$$?; \
	  n=$$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz-$$t.log); \
	  if [ $$rc -eq 0 ]; then echo "fuzz_$$t: $$n executions in $(FUZZ_SECONDS) s, no crash"; \
	  else echo "fuzz_$$t: FAILED after $$n executions (build/fuzz-$$t.log, build/fuzz-$$t-*)"; exit 1; fi; \
	done

clean:
	rm -f lib/*.o harness/*.o tests/*.o $(LIB) $(HARNESS) $(TESTS) tests/fuzz_packet tests/fuzz_script
	rm -rf build/asan

# ---- matrix (owner: harness/matrix.sh) ---------------------------------------
# The catalogue under other Debian kernels in QEMU, plus this host's kernel,
# then `tcpconf compare`.  Exact package versions: Debian drops superseded
# kernels, so bump these when a download fails (the .deb files stay cached in
# build/kernels/).  MATRIX_MODULES may name built-in drivers too; the
# initramfs gets whichever of them each kernel builds as modules.
MATRIX_KERNELS := linux-image-6.1.0-56-cloud-amd64-unsigned=6.1.192-2 \
                  linux-image-6.12.117+deb12-cloud-amd64-unsigned=6.12.117-1~deb12u1
MATRIX_MODULES := veth nf_tables inet_diag tcp_diag af_packet ipv6
MATRIX_TIMEOUT ?= 300
MATRIX_ACCEL   ?= auto
MATRIX_FLAGS   ?=

.PHONY: matrix
matrix: deps
	@$(MAKE) --no-print-directory all
	harness/matrix.sh --modules '$(MATRIX_MODULES)' --timeout $(MATRIX_TIMEOUT) \
	  --accel $(MATRIX_ACCEL) $(if $(JOBS),--jobs $(JOBS)) $(MATRIX_FLAGS) $(MATRIX_KERNELS)
# ---- end matrix ---------------------------------------------------------------
