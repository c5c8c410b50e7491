#!/bin/busybox sh
# shellcheck shell=dash
# guest-init.sh - /init of the initramfs that harness/matrix.sh boots under QEMU:
# run the case catalogue against this kernel and print the result files on the
# serial console between markers, then power off.
#
# Everything the host reads is a line that starts with "==tcpconf-":
#   ==tcpconf-probe-ok==                   (only when booted with tcpconf.probe=1)
#   ==tcpconf-uname RELEASE==
#   ==tcpconf-module NAME ok|failed==
#   ==tcpconf-begin NAME SHA256==  base64 lines  ==tcpconf-end==
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

echo "==tcpconf-uname $(uname -r)=="

# Modules the suite needs that this kernel builds as modules (matrix.sh
# writes the list; built-in ones are not in it).
if [ -r /etc/tcpconf/modules ]; then
	while read -r mod; do
		[ -n "$mod" ] || continue
		if modprobe "$mod"; then
			echo "==tcpconf-module $mod ok=="
		else
			echo "==tcpconf-module $mod failed=="
		fi
	done </etc/tcpconf/modules
fi

# The root namespace's loopback; the harness builds its own namespaces.
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null

# Unset, the harness picks its own parallelism and tolerance; matrix.sh
# passes tcpconf.jobs=N and tcpconf.tolerance=USECS on the kernel command line.
jobs=""
tolerance=""
for arg in $cmdline; do
	case "$arg" in
	tcpconf.jobs=*) jobs="-j ${arg#tcpconf.jobs=}" ;;
	tcpconf.tolerance=*) tolerance="--tolerance_usecs=${arg#tcpconf.tolerance=}" ;;
	esac
done

mkdir -p /tmp/out
cd /
# shellcheck disable=SC2086
/tcpconf run --results /tmp/out $jobs $tolerance /cases
status=$?

dmesg >/tmp/dmesg.txt 2>&1
for f in /tmp/out/* /tmp/dmesg.txt; do
	[ -f "$f" ] || continue
	sum=$(sha256sum "$f")
	echo "==tcpconf-begin ${f##*/} ${sum%% *}=="
	base64 "$f"
	echo "==tcpconf-end=="
done
read -r up _ </proc/uptime
echo "==tcpconf-exit $status $up=="
