#!/usr/bin/env bash
# matrix.sh - run the case catalogue under other kernels in QEMU (Debian
# packages or a kernel you built), and natively on this host, then compare.
#
# usage: harness/matrix.sh [options] [PACKAGE[=VERSION]...]
#   PACKAGE     a Debian kernel image package, e.g.
#               linux-image-6.1.0-56-cloud-amd64-unsigned=6.1.192-2
#   --kernel FILE    a kernel image you built (arch/x86/boot/bzImage); may repeat
#   --kernel-modules DIR
#                    the modules of the --kernel before it: lib/modules/<release>
#                    as `make modules_install` leaves it (or its INSTALL_MOD_PATH);
#                    without it, the suite's modules must be built in
#   --modules LIST   kernel modules the suite needs (built-in ones are fine)
#   --timeout S      bound on one guest boot+run, seconds (default 300)
#   --accel A        auto (KVM if the CPU has vmx/svm and a probe boot works,
#                    else TCG), tcg, kvm
#   --smp N          guest CPUs (default 1)
#   --guests N       guests booted at once (default: this machine's CPUs)
#   --jobs N         `tcpconf run -j N` in the guests (default 8: cases spend
#                    most of their time waiting) and on the host (default: its own)
#   --tolerance US   timing tolerance in the guests (default 10000: an emulated
#                    CPU adds milliseconds to every wake-up; the host keeps 4000)
#   --append ARGS    more kernel command line for the guests (default:
#                    cryptomgr.notests: the crypto self-tests cost 0.2-0.3 s
#                    of every boot under emulation)
#   --vary           run the cases with `tcpconf run --vary` (guests and host):
#                    each case again under perturbed unpinned conditions, a
#                    verdict that changes marked condition-dependent
#   --no-host        do not run the catalogue on the host kernel
#   --no-compare     do not run `tcpconf compare` at the end
#   --build DIR      build products (default build); .deb files are cached in DIR/kernels
#   --results DIR    results/<kernel release>/ go here (default results)
#   --harness FILE   the binary to put in the guest (default harness/tcpconf)
#   --cases DIR      the catalogue (default cases)
#   --read-console LOG DIR
#                    only read a guest's console log: its result files into DIR
#                    and its one-line summary (what a boot ends with; for tests)
#
# Kernel packages are downloaded with `apt-get download` and unpacked with
# `dpkg -x`; they are never installed on the host.  Each guest boots from an
# initramfs holding busybox-static, the harness with its shared libraries, the
# cases, the needed modules (decompressed) and harness/guest-init.sh as /init;
# it is rebuilt only when one of those changes.  The guest prints its result
# files, pcaps of failures included, on the serial console (base64 between
# markers); they land in results/<guest uname -r>/.
#
# Exit status: 0 when every kernel produced results (failing cases are in the
# results, not in this status), 1 when a guest hung, crashed, printed no
# results, or skipped every case (a module did not load), 2 on a usage or
# set-up error.

set -euo pipefail
umask 022
export LC_ALL=C

cd "$(dirname "$0")/.."

HOST_PACKAGES="qemu-system-x86 busybox-static cpio kmod xz-utils util-linux"
modules="veth nf_tables inet_diag tcp_diag af_packet ipv6"
timeout_s=300
accel=auto
smp=1
guests=""
jobs=""
tolerance=10000
append="cryptomgr.notests"
do_host=1
do_compare=1
vary=""
build=build
results=results
harness=harness/tcpconf
cases=cases
specs=()	# "deb:PACKAGE[=VERSION]" or "image:FILE" or "image:FILE:MODULES"
console=()

die() { echo "matrix: $*" >&2; exit 2; }
say() { echo "matrix: $*"; }

elapsed() { echo "$(date +%s.%N) $1" | awk '{ printf "%.1f", $1 - $2 }'; }

# "N passed, N failed, N skipped" of a results.jsonl (one record a line),
# and ", N condition-dependent" when a --vary run marked any.
counts()
{
	local v n out=""
	for v in pass:passed fail:failed skip:skipped; do
		n=$(grep -c "\"verdict\":\"${v%%:*}\"" "$1" || true)
		out="$out${out:+, }$n ${v#*:}"
	done
	n=$(grep -c '"condition_dependent":' "$1" || true)
	[ "$n" = 0 ] || out="$out, $n condition-dependent"
	echo "$out"
}

# The release a bzImage names in its setup header (kernel_version field), or
# status 1 when FILE is no bzImage.
image_release()
{
	local f=$1 off
	[ "$(dd if="$f" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ] || return 1
	off=$(od -An -t u2 -j 526 -N 2 "$f" | tr -d ' ')
	[ -n "$off" ] && [ "$off" -gt 0 ] || return 1
	dd if="$f" bs=1 skip=$((off + 512)) count=128 2>/dev/null | tr '\0' '\n' | head -n1 | cut -d' ' -f1
}

install_host_packages()
{
	local p missing="" installed

	# shellcheck disable=SC2086 # one word per package
	installed=" $(dpkg-query -W -f='${Package}=${Status}\n' $HOST_PACKAGES 2>/dev/null |
		sed -n 's/=install ok installed$//p' | tr '\n' ' ')"
	for p in $HOST_PACKAGES; do
		[[ $installed == *" $p "* ]] || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	[ "$(id -u)" = 0 ] || die "need root to install$missing"
	say "installing$missing"
	# shellcheck disable=SC2086 # one word per package
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null 2>&1 || {
		apt-get update -q >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
	} || die "could not install$missing"
}

# Kernel preparation: fetch_deb, unpack_kernel, local_kernel, resolve_modules,
# build_initramfs, extract_vmlinux, prepare_kernel.
# shellcheck source=harness/matrix-prep.sh
. harness/matrix-prep.sh

# boot ACCEL IMAGE INITRD LOG TIMEOUT [EXTRA-CMDLINE]: one guest; status 124
# when it hung.  qemu runs in a subshell whose stderr is the log, so that when
# it dies of a signal bash's "Aborted ... <command line>" lands there too.
boot()
{
	local acc=$1 image=$2 initrd=$3 log=$4 t=$5 extra=${6:-} cpu=max
	[ "$acc" = kvm ] && cpu=host
	(
		timeout -k 5 "$t" qemu-system-x86_64 -no-user-config -nographic -no-reboot \
			-accel "$acc" -cpu "$cpu" -smp "$smp" -m 512 -nic none \
			-kernel "$image" -initrd "$initrd" \
			-append "console=ttyS0 quiet panic=-1${extra:+ $extra}" </dev/null
		exit $?
	) >"$log" 2>&1
}

# Sets chosen_accel (kvm or tcg) and accel_why.  KVM is tried only where the
# CPU has vmx or svm (a paravirtual /dev/kvm such as kvm-pvm has neither and
# cannot boot these kernels; --accel kvm tries all the same), and only once
# per host kernel, qemu and guest kernel: a probe boot's outcome is kept in
# $build/matrix/kvm-probe.
choose_accel()
{
	local image=$1 dir=$2 key cache=$build/matrix/kvm-probe line
	chosen_accel=tcg
	accel_why=""
	[ "$accel" != tcg ] || return 0
	if ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
		accel_why="no usable /dev/kvm"
	elif [ "$accel" = auto ] && ! grep -qw -E 'vmx|svm' /proc/cpuinfo; then
		accel_why="/dev/kvm without vmx/svm in the CPU flags"
	else
		key="$(uname -r) $(qemu-system-x86_64 --version | head -n1) $(sha256sum <"$image" | cut -c1-16)"
		line=$(grep -F -x -e "$key ok" -e "$key failed" "$cache" 2>/dev/null | tail -n1) || true
		if [ -z "$line" ]; then
			# A working KVM reaches /init in a second or two; 15 s is plenty.
			if boot kvm "$image" "$dir/initrd.cpio" "$dir/probe.log" 15 tcpconf.probe=1 &&
			   tr -d '\r' <"$dir/probe.log" | grep -q '==tcpconf-probe-ok=='; then
				line="$key ok"
			else
				line="$key failed"
			fi
			echo "$line" >>"$cache"
		fi
		case "$line" in
		*" ok") chosen_accel=kvm ;;
		*) accel_why="a KVM probe boot failed (kept in $cache)" ;;
		esac
	fi
	if [ "$accel" = kvm ] && [ "$chosen_accel" != kvm ]; then
		die "--accel kvm asked for, but KVM does not work here: $accel_why"
	fi
}

# Read a console log once: the marked blocks (gzip, base64) decoded into
# directory $2 (NAME
# is a path under it, pcap/x.pcap, never absolute nor with ".."; a block
# whose checksum does not match is dropped), and the one-line markers into
# the globals m_uname, m_init, m_ran, m_exit and m_failed (modules not loaded).
read_console()
{
	local log=$1 out=$2 key val f
	m_uname="" m_init="" m_ran="" m_exit="" m_failed=""
	rm -rf "$out"
	mkdir -p "$out"
	# Firmware may leave escape codes before a marker on its line.
	while read -r key val; do
		case "$key" in
		uname) m_uname=${val%% *}; [ "$val" = "$m_uname" ] || m_init=${val#* } ;;
		ran) m_ran=$val ;;
		exit) m_exit=$val ;;
		module) m_failed="$m_failed${m_failed:+ }$val" ;;
		esac
	done < <(awk -v out="$out" '
		{ sub(/\r$/, "") }
		inblock && /^==tcpconf-end==$/ { close(file); inblock = 0; next }
		inblock { print > file; next }
		/^==tcpconf-begin [A-Za-z0-9._+-][A-Za-z0-9._+\/-]* [0-9a-f]+==$/ {
			name = $2; sub(/==$/, "", $3)
			if (name ~ /(^|\/)\.\.(\/|$)/ || seen[name]++)
				next
			file = out "/" name ".b64"; n = split(name, part, "/"); dir = out
			for (i = 1; i < n; i++) dir = dir "/" part[i]
			print $3 "  " name >> (out "/.sums"); inblock = 1; names[++nb] = name
			if (n > 1 && !(dir in made)) { made[dir] = 1; system("mkdir -p \"" dir "\"") }
			next
		}
		match($0, /==tcpconf-[a-z]+ .*==$/) {
			m = substr($0, RSTART + 10, RLENGTH - 12); split(m, w, " ")
			if (w[1] == "module") { if (w[3] == "failed") print "module", w[2] }
			else if (w[1] != "begin" && !(w[1] in got)) { got[w[1]] = 1; print m }
		}
	' "$log")
	[ -f "$out/.sums" ] || return 0
	while read -r val f; do
		base64 -d "$out/$f.b64" 2>/dev/null | gzip -dc >"$out/$f" 2>/dev/null ||
			echo "matrix: $f: bad base64 or gzip" >&2
		rm -f "$out/$f.b64"
	done <"$out/.sums"
	(cd "$out" && sha256sum -c --quiet .sums 2>/dev/null) | sed -n 's/: FAILED.*//p' |
		while read -r f; do
			echo "matrix: $f: checksum mismatch (console garbled?)" >&2
			rm -f "$out/$f"
		done
	rm -f "$out/.sums"
}

# read_guest LOG DIR QEMU-STATUS: the result files of a guest's console log
# into DIR (and the markers, see read_console), and one line on how it went.
# Status 1 when the guest hung, gave no results or skipped every case.
read_guest()
{
	local log=$1 out=$2 rc=$3 c why times
	read_console "$log" "$out"
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "HUNG: killed after ${timeout_s}s"
		return 1
	elif [ -z "$m_exit" ]; then
		echo "no results (qemu status $rc)"
		return 1
	elif [ ! -s "$out/results.jsonl" ]; then
		echo "no results.jsonl (tcpconf run status ${m_exit%% *})"
		return 1
	fi
	c=$(counts "$out/results.jsonl")
	if [[ $c =~ ^0\ passed,\ 0\ failed, ]]; then
		why=${m_failed:+module $m_failed did not load}
		[ -n "$why" ] || why=$(sed -n 's/.*"verdict":"skip","message":"\([^"]*\)".*/\1/p' \
					"$out/results.jsonl" | head -n1)
		echo "$c: every case skipped ($why)"
		return 1
	fi
	# where the guest's time went: boot to /init, the cases, results out
	if [ -n "$m_init" ] && [ -n "$m_ran" ]; then
		times=$(echo "$m_init $m_ran ${m_exit#* }" |
			awk '{ printf "boot %.1f s, cases %.1f s, out %.1f s", $1, $2 - $1, $3 - $2 }')
	else
		times="guest uptime ${m_exit#* } s"
	fi
	echo "$c${m_failed:+ (not loaded: $m_failed)}; $times"
}

# One guest, in the background: boot, read, put the results in place, say
# how it went in one line, and leave DIR/row (and DIR/ok when it went well).
run_guest()
{
	local release=$1 image=$2 dir=$3 label=$4 start rc=0 wall note ok=1
	rm -f "$dir/row" "$dir/ok"
	start=$(date +%s.%N)
	boot "$chosen_accel" "$image" "$dir/initrd.cpio" "$dir/console.log" "$timeout_s" \
		"$append${append:+ }tcpconf.accel=$chosen_accel${vary:+ tcpconf.vary=1} tcpconf.jobs=${jobs:-8} tcpconf.tolerance=$tolerance tcpconf.results=$results" || rc=$?
	wall=$(elapsed "$start")
	read_guest "$dir/console.log" "$dir/out" "$rc" >"$dir/note" || ok=0
	note=$(<"$dir/note")
	release=${m_uname:-$release}
	[ ! -f "$dir/out/dmesg.txt" ] || mv "$dir/out/dmesg.txt" "$dir/dmesg.txt"
	if [ -s "$dir/out/results.jsonl" ]; then
		rm -rf "${results:?}/$release"
		mkdir -p "$results/$release"
		cp -R "$dir/out/." "$results/$release/"
		note="$note -> $results/$release/"
	fi
	if [ $ok = 0 ]; then
		note="$note; see $dir/console.log"
		if [ ! -s "$dir/out/results.jsonl" ]; then
			# The console's last words, without the base64 blocks.
			tr -d '\r' <"$dir/console.log" |
				awk '/^==tcpconf-begin /{ skip = 1 } !skip { print } /^==tcpconf-end==$/{ skip = 0 }' |
				tail -n 20 | sed "s/^/$release| /" >&2
		fi
	fi
	say "$label: $note [${wall}s]"
	printf '%-36s %-4s %7ss  %s\n' "$release" "$chosen_accel" "$wall" "$note" >"$dir/row"
	[ $ok = 0 ] || touch "$dir/ok"
}

# An option's value: present, and a whole number where one is needed.
value() { [ $# -ge 2 ] || die "$1 needs a value"; }
number() { value "$@"; [[ $2 =~ ^[1-9][0-9]{0,5}$ ]] || die "$1 $2: not a positive whole number"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--modules) value "$@"; modules=$2; shift 2 ;;
	--timeout) number "$@"; timeout_s=$2; shift 2 ;;
	--accel) value "$@"; accel=$2; shift 2 ;;
	--smp) number "$@"; smp=$2; shift 2 ;;
	--guests) number "$@"; guests=$2; shift 2 ;;
	--jobs) number "$@"; jobs=$2; shift 2 ;;
	--tolerance) number "$@"; tolerance=$2; shift 2 ;;
	--kernel)
		value "$@"
		{ [ -f "$2" ] && [ -r "$2" ]; } || die "--kernel $2: no such readable file"
		[[ $2 != *:* ]] || die "--kernel $2: a path with ':' is not supported"
		image_release "$2" >/dev/null || die "--kernel $2: not a bzImage (arch/x86/boot/bzImage)"
		specs+=("image:$2"); shift 2 ;;
	--kernel-modules)
		value "$@"
		{ [ ${#specs[@]} -gt 0 ] && [[ ${specs[-1]} == image:* ]] && [[ ${specs[-1]#image:} != *:* ]]; } ||
			die "--kernel-modules $2: give it after the --kernel it belongs to"
		[ -d "$2" ] || die "--kernel-modules $2: no such directory"
		rel=${2%/}; rel=${rel##*/}
		[ ! -d "$2/lib/modules" ] || rel=$(ls "$2/lib/modules")
		img=${specs[-1]#image:}
		[ "$rel" = "$(image_release "$img")" ] ||
			die "--kernel-modules $2: modules for ${rel:-nothing}, but $img is $(image_release "$img")"
		specs[-1]+=":$(cd "$2" && pwd)"; shift 2 ;;
	--append) value "$@"; append=$2; shift 2 ;;
	--vary) vary=--vary; shift ;;
	--no-host) do_host=0; shift ;;
	--no-compare) do_compare=0; shift ;;
	--build) value "$@"; build=$2; shift 2 ;;
	--results) value "$@"; results=$2; shift 2 ;;
	--harness) value "$@"; harness=$2; shift 2 ;;
	--cases) value "$@"; cases=$2; shift 2 ;;
	--read-console) [ $# -ge 3 ] || die "--read-console needs LOG and DIR"; console=("$2" "$3"); shift 3 ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) specs+=("deb:$1"); shift ;;
	esac
done
case "$accel" in auto|tcg|kvm) ;; *) die "--accel $accel: must be auto, tcg or kvm" ;; esac
# The guest writes under the same relative path, so that the pcap paths its
# records cite are the host's: no spaces (the kernel command line splits there).
[[ $results =~ ^[A-Za-z0-9._/+-]+$ ]] || die "--results $results: letters, digits and ._/+- only"

# Fixed file times make the initramfs reproducible: the last commit's time.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 0)
fi

if [ ${#console[@]} -gt 0 ]; then
	[ -f "${console[0]}" ] || die "--read-console ${console[0]}: no such file"
	rc=0
	read_guest "${console[0]}" "${console[1]}" 0 || rc=$?
	exit $rc
fi

[ -x "$harness" ] || die "$harness is missing: run 'make all' first"
[ -d "$cases" ] || die "no case directory $cases"
[ ${#specs[@]} -gt 0 ] || [ $do_host = 1 ] || die "no kernel to run: name a package or --kernel, or drop --no-host"

install_host_packages

# Every kernel ready to boot first (downloads, initramfs), then the guests.
labels=() releases=() images=() dirs=()
failed=0
rows=()
for spec in "${specs[@]}"; do
	if ! prepare_kernel "$spec"; then
		rows+=("$(printf '%-36s %-4s %8s  %s' "${spec#*:}" - - "could not prepare this kernel")")
		failed=1
		continue
	fi
	labels+=("$klabel") releases+=("$krelease") images+=("$kimage") dirs+=("$build/matrix/$krelease")
done

if [ ${#releases[@]} -gt 0 ]; then
	choose_accel "${images[0]}" "${dirs[0]}"
	[ -n "$guests" ] || guests=$(nproc 2>/dev/null || echo 1)
	[ "$guests" -le ${#releases[@]} ] || guests=${#releases[@]}
	say "booting ${#releases[@]} kernel(s) under $chosen_accel${accel_why:+ ($accel_why)}," \
	    "$guests at a time, -j${jobs:-8} in each"
	running=0
	for i in "${!releases[@]}"; do
		if [ $running -ge "$guests" ]; then
			wait -n || true
			running=$((running - 1))
		fi
		run_guest "${releases[$i]}" "${images[$i]}" "${dirs[$i]}" "${labels[$i]}" &
		running=$((running + 1))
	done
	wait || true
	for i in "${!releases[@]}"; do
		row=$(cat "${dirs[$i]}/row" 2>/dev/null) || row="${releases[$i]} - - no outcome"
		rows+=("$row")
		[ -f "${dirs[$i]}/ok" ] || failed=1
	done
fi

if [ $do_host = 1 ]; then
	release=$(uname -r)
	mkdir -p "$build/matrix"
	rm -rf "${results:?}/$release"
	mkdir -p "$results/$release"
	start=$(date +%s.%N)
	rc=0
	"$harness" run --results "$results/$release" ${jobs:+-j "$jobs"} $vary "$cases" >"$build/matrix/host.log" 2>&1 || rc=$?
	wall=$(elapsed "$start")
	if [ -s "$results/$release/results.jsonl" ]; then
		note="$(counts "$results/$release/results.jsonl") (tcpconf run status $rc) -> $results/$release/"
	else
		note="no results.jsonl (tcpconf run status $rc): see $build/matrix/host.log"
		failed=1
	fi
	say "$release (host): $note"
	rows+=("$(printf '%-36s %-4s %7ss  %s' "$release" host "$wall" "$note")")
fi

if [ $do_compare = 1 ]; then
	dirs=()
	for d in "$results"/*/; do
		[ -s "$d/results.jsonl" ] && dirs+=("${d%/}")
	done
	if [ ${#dirs[@]} -gt 0 ]; then
		echo
		"$harness" compare "${dirs[@]}" || say "tcpconf compare exited with status $?"
	fi
fi

echo
echo "kernel                               how        wall  outcome"
printf '%s\n' "${rows[@]}"
exit $failed
