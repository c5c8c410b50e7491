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

TEST_SRCS := $(wildcard tests/check_*.c)
TEST_OBJS := $(TEST_SRCS:.c=.o)
TESTS     := tests/unit

JOBS ?=
RUN_FLAGS ?=

.PHONY: all deps check run clean

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

tests/%.o: tests/%.c lib/*.h
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -c -o $@ $<

$(LIB): $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(HARNESS): $(HARNESS_OBJS) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(HARNESS_OBJS) $(LIB) $(PKG_LIBS) -lpthread

$(TESTS): $(TEST_OBJS) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(TEST_OBJS) $(LIB) $(PKG_LIBS) $(CHECK_LIBS) -lpthread

# Runs the whole catalogue against this host's kernel.
run: deps
	@$(MAKE) --no-print-directory all
	./$(HARNESS) run $(RUN_FLAGS) cases/

# Unit tests (no root needed) and, as root, the integration tests and the
# catalogue; Check's summary stays the last line.
check: deps
	@$(MAKE) --no-print-directory all $(TESTS)
	./$(TESTS)

clean:
	rm -f lib/*.o harness/*.o tests/*.o $(LIB) $(HARNESS) $(TESTS)
