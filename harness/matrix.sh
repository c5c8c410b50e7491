#!/usr/bin/env bash
# matrix.sh - run the case catalogue under other Debian kernels in QEMU, and
# natively on this host, then compare the results.
#
# usage: harness/matrix.sh [options] PACKAGE[=VERSION]...
#   PACKAGE     a Debian kernel image package, e.g.
#               linux-image-6.1.0-56-cloud-amd64-unsigned=6.1.192-2
#   --modules LIST   kernel modules the suite needs (built-in ones are fine)
#   --timeout S      bound on one guest boot+run, seconds (default 300)
#   --accel A        auto (KVM if a probe boot works, else TCG), tcg, kvm
#   --smp N          guest CPUs (default 1)
#   --jobs N         `tcpconf run -j N` in the guests (default 1: an emulated CPU
#                    is slow, and parallel cases there would measure its contention)
#                    and on the host (default: its own)
#   --tolerance US   timing tolerance in the guests (default 10000: an emulated
#                    CPU adds milliseconds to every wake-up; the host keeps 4000)
#   --no-host        do not run the catalogue on the host kernel
#   --no-compare     do not run `tcpconf compare` at the end
#   --build DIR      build products (default build); .deb files are cached in DIR/kernels
#   --results DIR    results/<kernel release>/ go here (default results)
#   --harness FILE   the binary to put in the guest (default harness/tcpconf)
#   --cases DIR      the catalogue (default cases)
#
# Kernel packages are downloaded with `apt-get download` and unpacked with
# `dpkg -x`; they are never installed on the host.  Each guest boots from a
# reproducible initramfs holding busybox-static, the harness with its shared
# libraries, the cases, the needed modules and harness/guest-init.sh as /init.
# The guest prints its result files on the serial console (base64 between
# markers); they land in results/<guest uname -r>/.
#
# Exit status: 0 when every kernel produced results (failing cases are in the
# results, not in this status), 1 when a guest hung, crashed or printed no
# results, 2 on a usage or set-up error.

set -euo pipefail
umask 022
export LC_ALL=C

cd "$(dirname "$0")/.."

HOST_PACKAGES="qemu-system-x86 busybox-static cpio kmod xz-utils"
modules="veth nf_tables inet_diag tcp_diag af_packet ipv6"
timeout_s=300
accel=auto
smp=1
jobs=""
tolerance=10000
do_host=1
do_compare=1
build=build
results=results
harness=harness/tcpconf
cases=cases
kernels=()

die() { echo "matrix: $*" >&2; exit 2; }
say() { echo "matrix: $*"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--modules) modules=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--tolerance) tolerance=$2; shift 2 ;;
	--no-host) do_host=0; shift ;;
	--no-compare) do_compare=0; shift ;;
	--build) build=$2; shift 2 ;;
	--results) results=$2; shift 2 ;;
	--harness) harness=$2; shift 2 ;;
	--cases) cases=$2; shift 2 ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) kernels+=("$1"); shift ;;
	esac
done
case "$accel" in auto|tcg|kvm) ;; *) die "--accel must be auto, tcg or kvm" ;; esac
[ -x "$harness" ] || die "$harness is missing: run 'make all' first"
[ -d "$cases" ] || die "no case directory $cases"

# Fixed file times make the initramfs reproducible: the last commit's time.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 0)
fi

install_host_packages()
{
	local p missing=""

	for p in $HOST_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
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

# Print the cached .deb of package $1 (version $2, or any when empty),
# downloading it first when it is not in the cache.
fetch_deb()
{
	local name=$1 ver=$2 cache=$build/kernels f spec

	mkdir -p "$cache"
	for f in "$cache/${name}"_*.deb; do
		[ -f "$f" ] || continue
		# A download cut short leaves a file dpkg cannot read: fetch it again.
		dpkg-deb --info "$f" >/dev/null 2>&1 || { rm -f "$f"; continue; }
		[ "$(dpkg-deb -f "$f" Package)" = "$name" ] || continue
		[ -z "$ver" ] || [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] || continue
		echo "$f"
		return 0
	done
	spec=$name${ver:+=$ver}
	say "downloading $spec" >&2
	if ! (cd "$cache" && apt-get download -q "$spec" >/dev/null 2>&1); then
		apt-get update -q >/dev/null 2>&1 || true
		(cd "$cache" && apt-get download -q "$spec" >/dev/null 2>&1) || {
			echo "matrix: cannot download $spec; Debian drops superseded kernels," \
			     "so pick one that exists (apt-cache search '^linux-image-.*cloud-amd64-unsigned')" \
			     "and update MATRIX_KERNELS" >&2
			return 1
		}
	fi
	for f in "$cache/${name}"_*.deb; do
		[ -f "$f" ] || continue
		[ "$(dpkg-deb -f "$f" Package)" = "$name" ] || continue
		[ -z "$ver" ] || [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] || continue
		echo "$f"
		return 0
	done
	echo "matrix: apt-get download $spec left no .deb in $cache" >&2
	return 1
}

# Unpack a .deb once (next to it) and set kroot (the directory holding
# lib/modules), krelease and kimage.
unpack_kernel()
{
	local deb=$1 dir d

	dir=${deb%.deb}
	if [ ! -f "$dir/.unpacked" ]; then
		rm -rf "$dir"
		dpkg -x "$deb" "$dir"
		touch "$dir/.unpacked"
	fi
	kroot=""
	for d in "$dir" "$dir/usr"; do
		if [ -d "$d/lib/modules" ] && [ ! -L "$d/lib" ]; then
			kroot=$d
			break
		fi
	done
	[ -n "$kroot" ] || { echo "matrix: no lib/modules in $deb" >&2; return 1; }
	krelease=$(ls "$kroot/lib/modules")
	[ "$(echo "$krelease" | wc -l)" = 1 ] ||
		{ echo "matrix: several releases in $deb" >&2; return 1; }
	kimage=$dir/boot/vmlinuz-$krelease
	[ -f "$kimage" ] || { echo "matrix: no $kimage" >&2; return 1; }
	# The packages ship no modules.dep; modprobe -d needs one.
	[ -f "$kroot/lib/modules/$krelease/modules.dep" ] ||
		depmod -b "$kroot" "$krelease"
}

# For each wanted module: built-in, a module (its files and those it depends
# on go to kfiles, its name to kload), or absent.  Fills kstatus.
resolve_modules()
{
	local m out line
	kfiles=()
	kload=()
	kstatus=""
	for m in $modules; do
		if ! out=$(modprobe -d "$kroot" -S "$krelease" --show-depends "$m" 2>/dev/null); then
			kstatus="$kstatus $m=absent"
			continue
		fi
		if echo "$out" | grep -q "^builtin $m\$" && ! echo "$out" | grep -q '^insmod '; then
			kstatus="$kstatus $m=builtin"
			continue
		fi
		while read -r line; do
			case "$line" in
			"insmod "*) line=${line#insmod }; kfiles+=("${line%% *}") ;;
			esac
		done <<<"$out"
		kload+=("$m")
		kstatus="$kstatus $m=module"
	done
}

# Copy a file to the same path inside the tree (following symlinks).
copy_same_path()
{
	local src=$1 tree=$2
	mkdir -p "$tree$(dirname "$src")"
	cp -L "$src" "$tree$src"
}

# Build $build/matrix/<release>/initrd.img for the kernel in kroot/krelease.
build_initramfs()
{
	local dir=$build/matrix/$krelease tree f rel dest a lib busybox
	tree=$dir/initramfs
	rm -rf "$tree"
	mkdir -p "$tree"/{bin,dev,proc,sys,tmp,run,etc/tcpconf,cases} \
		"$tree/lib/modules/$krelease"

	busybox=$(dpkg -L busybox-static | grep -m1 '/bin/busybox$')
	cp "$busybox" "$tree/bin/busybox"
	for a in $("$tree/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$tree/bin/$a"
	done

	cp -L "$harness" "$tree/tcpconf"
	# A dynamically linked harness: every library ldd lists, and the loader,
	# at the same paths (ldd prints nothing useful for a static file).
	for lib in $(ldd "$harness" 2>/dev/null |
		     sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'); do
		copy_same_path "$lib" "$tree"
	done

	cp -R "$cases/." "$tree/cases/"
	install -m 0755 harness/guest-init.sh "$tree/init"

	for f in "${kfiles[@]}"; do
		# modprobe prints absolute paths whatever kroot looks like
		rel=${f#*/lib/modules/"$krelease"/}
		dest=$tree/lib/modules/$krelease/$rel
		mkdir -p "$(dirname "$dest")"
		case "$f" in
		*.ko.xz) xz -dc "$f" >"${dest%.xz}" ;;
		*.ko.gz) gzip -dc "$f" >"${dest%.gz}" ;;
		*.ko.zst) zstd -qdc "$f" >"${dest%.zst}" ;;
		*) cp "$f" "$dest" ;;
		esac
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$kroot/lib/modules/$krelease/$f" ] &&
			cp "$kroot/lib/modules/$krelease/$f" "$tree/lib/modules/$krelease/"
	done
	depmod -b "$tree" "$krelease"
	printf '%s\n' "${kload[@]}" >"$tree/etc/tcpconf/modules"

	find "$tree" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	(cd "$tree" && find . -mindepth 1 -print0 | sort -z |
		cpio --null --reproducible -R 0:0 -H newc -o --quiet) |
		gzip -n -9 >"$dir/initrd.img"
}

# boot ACCEL LOG TIMEOUT [EXTRA-CMDLINE]: one guest; status 124 when it hung.
boot()
{
	local acc=$1 log=$2 t=$3 extra=${4:-} cpu=max rc=0
	[ "$acc" = kvm ] && cpu=host
	timeout -k 10 "$t" qemu-system-x86_64 -no-user-config -nographic -no-reboot \
		-accel "$acc" -cpu "$cpu" -smp "$smp" -m 512 -nic none \
		-kernel "$kimage" -initrd "$build/matrix/$krelease/initrd.img" \
		-append "console=ttyS0 quiet panic=-1${extra:+ $extra}" \
		</dev/null >"$log" 2>&1 || rc=$?
	return $rc
}

# Decode the marked blocks of a console log into directory $2.
extract_results()
{
	local log=$1 out=$2 name sum
	rm -rf "$out"
	mkdir -p "$out"
	tr -d '\r' <"$log" | awk -v out="$out" '
		/^==tcpconf-begin [A-Za-z0-9._-]+ [0-9a-f]+==$/ {
			name = $2; sub(/==$/, "", $3)
			file = out "/" name ".b64"; print $3 > (out "/" name ".sha256")
			printf "" > file; inblock = 1; next
		}
		/^==tcpconf-end==$/ { if (inblock) close(file); inblock = 0; next }
		inblock { print >> file }
	'
	for f in "$out"/*.b64; do
		[ -f "$f" ] || continue
		name=${f%.b64}
		base64 -d "$f" >"$name" 2>/dev/null || { echo "matrix: $name: bad base64" >&2; rm -f "$name"; }
		sum=$(cat "$name.sha256")
		if [ -f "$name" ] && [ "$(sha256sum <"$name" | cut -d' ' -f1)" != "$sum" ]; then
			echo "matrix: ${name##*/}: checksum mismatch (console garbled?)" >&2
			rm -f "$name"
		fi
		rm -f "$f" "$name.sha256"
	done
}

# The value of a one-line marker; firmware may leave escape codes before it.
marker() { tr -d '\r' <"$1" | sed -n "s/^.*==tcpconf-$2 \\(.*\\)==\$/\\1/p" | head -n1; }

install_host_packages

summary=()
failed=0
chosen_accel=""

for spec in "${kernels[@]}"; do
	name=${spec%%=*}
	ver=""
	[ "$spec" = "$name" ] || ver=${spec#*=}
	if ! deb=$(fetch_deb "$name" "$ver") || ! unpack_kernel "$deb"; then
		summary+=("$(printf '%-36s %-4s %8s  %s' "$name" - - "download/unpack failed")")
		failed=1
		continue
	fi
	resolve_modules
	dir=$build/matrix/$krelease
	mkdir -p "$dir"
	build_initramfs
	echo "$kstatus" | tr ' ' '\n' | sed '/^$/d' >"$dir/modules.txt"
	say "$krelease ($(dpkg-deb -f "$deb" Version)):$kstatus"

	# KVM is used only when a short probe boot gets to /init and back.
	if [ -z "$chosen_accel" ]; then
		chosen_accel=tcg
		if [ "$accel" = auto ] && ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
			say "no usable /dev/kvm: using TCG"
		elif [ "$accel" != tcg ]; then
			# A working KVM reaches /init in a second or two; 15 s is plenty.
			if boot kvm "$dir/probe.log" 15 tcpconf.probe=1 &&
			   grep -q '==tcpconf-probe-ok==' <(tr -d '\r' <"$dir/probe.log"); then
				chosen_accel=kvm
			else
				say "KVM probe boot failed ($(tr -d '\r' <"$dir/probe.log" | grep -v '^$' | tail -n1 | cut -c1-120)); using TCG"
			fi
		fi
		if [ "$accel" = kvm ] && [ "$chosen_accel" != kvm ]; then
			die "--accel kvm asked for, but KVM does not work here"
		fi
	fi

	say "booting $krelease with $chosen_accel (timeout ${timeout_s}s)"
	start=$(date +%s.%N)
	rc=0
	boot "$chosen_accel" "$dir/console.log" "$timeout_s" "tcpconf.jobs=${jobs:-1} tcpconf.tolerance=$tolerance" || rc=$?
	wall=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }')
	extract_results "$dir/console.log" "$dir/out"
	[ -f "$dir/out/dmesg.txt" ] && mv "$dir/out/dmesg.txt" "$dir/dmesg.txt"

	guest=$(marker "$dir/console.log" uname)
	exitline=$(marker "$dir/console.log" exit)
	release=${guest:-$krelease}
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		note="HUNG: killed after ${timeout_s}s"
	elif [ -z "$exitline" ]; then
		note="no results (qemu status $rc): see $dir/console.log"
	elif [ ! -s "$dir/out/results.jsonl" ]; then
		note="no results.jsonl (tcpconf run status ${exitline%% *}): see $dir/console.log"
	else
		rm -rf "${results:?}/$release"
		mkdir -p "$results/$release"
		cp "$dir"/out/* "$results/$release/"
		note="tcpconf run status ${exitline%% *}, guest uptime ${exitline#* }s -> $results/$release/"
	fi
	case "$note" in
	tcpconf*) ;;
	*)	failed=1
		# The console's last words, without the base64 blocks.
		tr -d '\r' <"$dir/console.log" |
			awk '/^==tcpconf-begin /{ skip = 1 } !skip { print } /^==tcpconf-end==$/{ skip = 0 }' |
			tail -n 20 >&2 ;;
	esac
	summary+=("$(printf '%-36s %-4s %7ss  %s' "$release" "$chosen_accel" "$wall" "$note")")
done

if [ $do_host = 1 ]; then
	release=$(uname -r)
	say "running the catalogue on the host kernel $release"
	rm -rf "${results:?}/$release"
	mkdir -p "$results/$release"
	start=$(date +%s.%N)
	rc=0
	"$harness" run --results "$results/$release" ${jobs:+-j "$jobs"} "$cases" || rc=$?
	wall=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }')
	if [ -s "$results/$release/results.jsonl" ]; then
		note="tcpconf run status $rc -> $results/$release/"
	else
		note="no results.jsonl (tcpconf run status $rc)"
		failed=1
	fi
	summary+=("$(printf '%-36s %-4s %7ss  %s' "$release" host "$wall" "$note")")
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
printf '%s\n' "${summary[@]}"
exit $failed
