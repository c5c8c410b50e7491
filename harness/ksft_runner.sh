#!/bin/sh
# ksft_runner.sh - tcpconf's catalogue as a kselftest: KTAP version 1 on
# standard output and kselftest's exit status (0 pass, 1 fail, 4 skip), so
# run_kselftest.sh, KernelCI and LAVA read it as they read the kernel's own.
#
#   harness/ksft_runner.sh [tcpconf run options] [PATH...]
#
# With no PATH, the whole catalogue: cases/ of the source tree beside this
# script, or of the installed share directory.  KSFT_MACHINE_SLOW set (as
# the kernel's selftests use it) widens the timing tolerance to 14 ms.
set -u

KSFT_FAIL=1
KSFT_SKIP=4
here=$(dirname "$(readlink -f "$0")")

# Source tree: harness/tcpconf beside this script.  Installed: PREFIX/bin,
# two levels above PREFIX/share/tcpconf, else whatever PATH has.
for t in "$here/tcpconf" "$here/../../bin/tcpconf" "$(command -v tcpconf 2>/dev/null)"; do
	if [ -n "$t" ] && [ -x "$t" ]; then
		tcpconf=$t
		break
	fi
done
if [ -z "${tcpconf:-}" ]; then
	printf 'KTAP version 1\n1..0 # SKIP tcpconf not found (build it: make)\n'
	exit "$KSFT_SKIP"
fi

cases=
for d in "$here/../cases" "$here/cases"; do
	if [ -d "$d" ]; then
		cases=$d
		break
	fi
done

# Any argument that is neither an option nor an option's value names the cases to run.
have_path=no
value=no
for a in "$@"; do
	if [ "$value" = yes ]; then
		value=no
		continue
	fi
	case $a in
	-j|--results|--json|--tap|--junit|--ktap|--pcap-dir|--format|--ip_version|--tolerance_usecs)
		value=yes ;;
	-*) ;;
	*) have_path=yes ;;
	esac
done
if [ "$have_path" = no ] && [ -z "$cases" ]; then
	printf 'KTAP version 1\n1..0 # SKIP no cases/ beside %s\n' "$0"
	exit "$KSFT_FAIL"
fi

if [ -n "${KSFT_MACHINE_SLOW:-}" ]; then
	set -- --tolerance_usecs=14000 "$@"
fi
if [ "$have_path" = no ]; then
	set -- "$@" "$cases"
fi
exec "$tcpconf" run --format ktap "$@"
