#!/bin/busybox sh
# shellcheck shell=dash
# guest-init.sh - /init of the initramfs that harness/matrix.sh boots under QEMU:
# run the case catalogue against this kernel and print the result files on the
# serial console between markers, then power off.
#
# Everything the host reads is a line that starts with "==tcpconf-":
#   ==tcpconf-probe-ok==                   (only when booted with tcpconf.probe=1)
#   ==tcpconf-uname RELEASE UPTIME==       (uptime: when /init started)
#   ==tcpconf-module NAME ok|failed==
#   ==tcpconf-begin PATH SHA256==  base64 lines  ==tcpconf-end==
#                                          (PATH under the results directory,
#                                          pcap/... included, or dmesg.txt; the
#                                          file gzipped, then base64: each byte
#                                          on an emulated UART costs)
#   ==tcpconf-ran UPTIME==                 (when the cases were done)
#   ==tcpconf-exit STATUS UPTIME==         (status of `tcpconf run`, guest uptime)
# Anything else on the console is the kernel's or the harness's own output.

PATH=/bin
export PATH HOME=/ TMPDIR=/tmp LC_ALL=C
umask 022

# If this script ends for any reason, the kernel panics (init exited) and with
# panic=-1 and qemu's -no-reboot that ends the virtual machine too; poweroff is
# just the clean way out.
finish()
{
	sync
	poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger
}
trap finish EXIT

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mount -t tmpfs -o mode=0755 tmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /run
mount -t tmpfs -o mode=0755 tmpfs /run

# Keep late kernel messages from splitting the base64 blocks below; the
# kernel log is still printed in full (dmesg) for diagnosis.
echo 1 >/proc/sys/kernel/printk
# The firmware's last screen codes end without a newline.
echo

read -r cmdline </proc/cmdline
case " $cmdline " in
*" tcpconf.probe=1 "*)
	echo "==tcpconf-probe-ok=="
	exit 0
	;;
esac

read -r up _ </proc/uptime
echo "==tcpconf-uname $(uname -r) $up=="

# Modules the suite needs that this kernel builds as modules.  matrix.sh
# lists the files to load in kmod's order, soft dependencies first (an rt
# kernel's libcrc32c needs crc32c_generic: busybox's modprobe ignores
# softdeps), and the names it wants loaded; built-in ones are in neither.
echo /sbin/modprobe >/proc/sys/kernel/modprobe
if [ -r /etc/tcpconf/insmod ]; then
	while read -r ko; do
		[ -z "$ko" ] || insmod "/lib/modules/$(uname -r)/$ko" 2>/dev/null || true
	done </etc/tcpconf/insmod
fi
if [ -r /etc/tcpconf/modules ]; then
	while read -r mod; do
		[ -n "$mod" ] || continue
		if [ -d "/sys/module/$(echo "$mod" | tr - _)" ] || modprobe "$mod"; then
			echo "==tcpconf-module $mod ok=="
		else
			echo "==tcpconf-module $mod failed=="
		fi
	done </etc/tcpconf/modules
fi

# The root namespace's loopback; the harness builds its own namespaces.
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null

# Softirq work the kernel defers (packets a case injected, its TCP timers)
# runs in ksoftirqd, an ordinary thread, while the cases' threads run at
# SCHED_FIFO (SANDBOX_RTPRIO_MAX, 10): on one emulated CPU, eight cases at
# once starved it, and segments came 10 ms late or a socket was still there
# when a case looked (6.1 defers more: there, once ksoftirqd is woken, all
# softirqs wait for it).  Above the cases, it runs as soon as it is woken,
# as on an idle machine.  This kernel is ours; the host's is never touched.
for d in /proc/[0-9]*; do
	read -r comm 2>/dev/null <"$d/comm" || continue
	case "$comm" in
	ksoftirqd/*) chrt -f -p 50 "${d#/proc/}" >/dev/null ||
		echo "tcpconf: could not raise $comm: deferred softirqs wait behind the cases" ;;
	esac
done

# matrix.sh passes tcpconf.jobs=N, tcpconf.tolerance=USECS, tcpconf.results=DIR,
# tcpconf.vary=1 (run with --vary) and tcpconf.accel=A on the kernel command
# line; the last is not read here but by tcpconf itself, for meta.json.
# The catalogue is run from / as `cases`, and results go to DIR/<release>
# relative to it: the paths the records cite (scripts, pcaps of failures) are
# those the host keeps them at.
jobs=""
tolerance=""
results=results
vary=""
for arg in $cmdline; do
	case "$arg" in
	tcpconf.jobs=*) jobs="-j ${arg#tcpconf.jobs=}" ;;
	tcpconf.tolerance=*) tolerance="--tolerance_usecs=${arg#tcpconf.tolerance=}" ;;
	tcpconf.results=*) results=${arg#tcpconf.results=} ;;
	tcpconf.vary=1) vary=--vary ;;
	esac
done
out=$results/$(uname -r)

cd /
mkdir -p "$out"
# One connection in each IP version before the catalogue, its verdict not
# kept: costs a kernel pays once, at its first connections (what it sets up
# lazily, which under emulation takes milliseconds), would otherwise land in
# the timing of whichever cases happen to run first.
cat >/tmp/warm-up.pkt <<'EOF'
0    socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0   bind(3, ..., ...) = 0
+0   listen(3, 1) = 0
+0   < S 0:0(0) win 65535 <mss 1460>
+.5  > S. 0:0(0) ack 1 <...>
+0   < . 1:1(0) ack 1 win 65535
+0   accept(3, ..., ...) = 4
EOF
/tcpconf run --tolerance_usecs=1000000 /tmp/warm-up.pkt >/dev/null 2>&1 || true
# shellcheck disable=SC2086
/tcpconf run --results "$out" $jobs $tolerance $vary cases
status=$?
read -r up _ </proc/uptime
echo "==tcpconf-ran $up=="

dmesg >/tmp/dmesg.txt 2>&1
send()
{
	sum=$(sha256sum "$1")
	echo "==tcpconf-begin $2 ${sum%% *}=="
	gzip -c "$1" | base64
	echo "==tcpconf-end=="
}
for f in $(cd "$out" && find . -type f | sort); do
	send "$out/${f#./}" "${f#./}"
done
send /tmp/dmesg.txt dmesg.txt
read -r up _ </proc/uptime
echo "==tcpconf-exit $status $up=="
