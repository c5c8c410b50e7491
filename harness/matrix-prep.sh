# shellcheck shell=bash
# shellcheck disable=SC2154 # the globals of matrix.sh, which sources this
# matrix-prep.sh - sourced by harness/matrix.sh: gets each kernel ready to
# boot (a Debian package fetched and unpacked, or a kernel you built), the
# modules the suite needs resolved in kmod's order, the kernel ELF for qemu's
# PVH start, and the guest's initramfs, each kept in build/ while its inputs
# do not change.  Uses matrix.sh's globals (build, modules, harness, cases)
# and its say/die.

# Print the cached .deb of package $1 (version $2, or any when empty).
cached_deb()
{
	local f
	for f in "$build/kernels/${1}"_*.deb; do
		[ -f "$f" ] || continue
		[ "$(dpkg-deb -f "$f" Package 2>/dev/null)" = "$1" ] || continue
		[ -z "$2" ] || [ "$(dpkg-deb -f "$f" Version)" = "$2" ] || continue
		echo "$f"
		return 0
	done
	return 1
}

# Print the cached .deb of package $1 (version $2, or any when empty),
# downloading it first when it is not in the cache.
fetch_deb()
{
	local name=$1 ver=$2 cache=$build/kernels spec

	mkdir -p "$cache"
	cached_deb "$name" "$ver" && return 0
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
	# A download cut short leaves a file dpkg cannot read.
	cached_deb "$name" "$ver" && dpkg-deb --info "$(cached_deb "$name" "$ver")" >/dev/null 2>&1 &&
		return 0
	echo "matrix: apt-get download $spec left no usable .deb in $cache" >&2
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
		dpkg -x "$deb" "$dir" || { rm -f "$deb"; return 1; }
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

# A kernel the user built: image $1, modules in $2 (lib/modules/<release>, or
# a directory holding lib/modules/<release>; may be empty).  Sets kroot
# (empty: no modules, everything built in), krelease and kimage.
local_kernel()
{
	local image=$1 mods=$2 rel tree
	kimage=$image
	krelease=$(image_release "$image") || { echo "matrix: $image: not a bzImage" >&2; return 1; }
	kroot=""
	[ -n "$mods" ] || return 0
	if [ -d "$mods/lib/modules" ]; then
		rel=$(ls "$mods/lib/modules")
		mods=$mods/lib/modules/$rel
	else
		rel=${mods##*/}
	fi
	[ "$rel" = "$krelease" ] || {
		echo "matrix: $image is $krelease but its modules ($mods) are for ${rel:-nothing}" >&2
		return 1
	}
	# modprobe -d wants ROOT/lib/modules/RELEASE with a modules.dep; the
	# user's tree is only read: a tree of links to it gets the index.
	tree=$build/matrix/$krelease/kroot
	rm -rf "$tree"
	mkdir -p "$tree/lib/modules"
	cp -rs "$mods" "$tree/lib/modules/$krelease"
	[ -f "$mods/modules.dep" ] || depmod -b "$tree" "$krelease"
	kroot=$tree
}

# For each wanted module: built-in, a module (the files to load, in kmod's
# order with soft dependencies first, go to kfiles; its name to kload), or
# absent.  Fills kstatus.
resolve_modules()
{
	local m out line f seen=" "
	kfiles=()
	kload=()
	kstatus=""
	for m in $modules; do
		if [ -z "$kroot" ]; then
			kstatus="$kstatus $m=built-in?"
			continue
		fi
		if ! out=$(modprobe -d "$kroot" -S "$krelease" --show-depends "$m" 2>/dev/null); then
			kstatus="$kstatus $m=absent"
			continue
		fi
		if ! echo "$out" | grep -q '^insmod '; then
			kstatus="$kstatus $m=builtin"
			continue
		fi
		while read -r line; do
			case "$line" in
			"insmod "*) f=${line#insmod }; f=${f%% *}
				case "$seen" in *" $f "*) ;; *) kfiles+=("$f"); seen="$seen$f " ;; esac ;;
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

# The shared libraries of the harness and its loader, one path a line.
harness_libs()
{
	ldd "$harness" 2>/dev/null |
		sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'
}

# What the initramfs is made of, hashed: it is rebuilt only when this changes.
# (common_key: what all guests share, hashed once a run by build_initramfs).
# The file times (the last commit's) are left out: a commit that changes
# none of these files does not rebuild anything.
initramfs_key()
{
	echo "$common_key $krelease $modules ${kload[*]} ${kfiles[*]}"
	# a kernel you built may change its modules in place; a package's do not
	[ ${#kfiles[@]} = 0 ] || [[ $kroot != "$build"/matrix/* ]] || stat -L -c '%s %Y' "${kfiles[@]}"
}

# Build $build/matrix/<release>/initrd.cpio for the kernel in kroot/krelease,
# unless the one there was built from the same things.  Uncompressed: the
# kernel unpacks it fastest, and qemu loads it from the page cache.
build_initramfs()
{
	local dir=$build/matrix/$krelease tree f rel dest a key

	[ -n "${busybox:-}" ] || busybox=$(dpkg -L busybox-static | grep -m1 '/bin/busybox$')
	# busybox has no chrt; util-linux's needs only the C library the
	# harness brings too
	[ -n "${chrt:-}" ] || chrt=$(command -v chrt) || { say "chrt (util-linux) is missing"; return 1; }
	if [ -z "${common_key:-}" ]; then
		common_key=$({
			# shellcheck disable=SC2046 # one word per library
			sha256sum "$harness" "$busybox" "$chrt" harness/guest-init.sh $(harness_libs)
			(cd "$cases" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
		} | sha256sum | cut -c1-32)
	fi
	key=$(initramfs_key)
	if [ -f "$dir/initrd.cpio" ] && [ -f "$dir/initrd.key" ] && [ "$(<"$dir/initrd.key")" = "$key" ]; then
		return 0
	fi
	say "building the initramfs for $krelease"
	tree=$dir/initramfs
	rm -rf "$tree" "$dir/initrd.key"
	mkdir -p "$tree"/{bin,sbin,dev,proc,sys,tmp,run,etc/tcpconf,cases} \
		"$tree/lib/modules/$krelease"

	cp "$busybox" "$tree/bin/busybox"
	for a in $("$tree/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$tree/bin/$a"
	done
	# The kernel asks /sbin/modprobe for what a module requests at run time.
	ln -s ../bin/busybox "$tree/sbin/modprobe"
	rm -f "$tree/bin/chrt"
	cp "$chrt" "$tree/bin/chrt"

	cp -L "$harness" "$tree/tcpconf"
	for f in $(harness_libs); do
		copy_same_path "$f" "$tree"
	done

	cp -R "$cases/." "$tree/cases/"
	install -m 0755 harness/guest-init.sh "$tree/init"

	: >"$tree/etc/tcpconf/insmod"
	for f in "${kfiles[@]}"; do
		# modprobe prints absolute paths whatever kroot looks like
		rel=${f#*/lib/modules/"$krelease"/}
		dest=$tree/lib/modules/$krelease/$rel
		mkdir -p "$(dirname "$dest")"
		# Decompressed here: busybox's insmod then needs no decompressor.
		case "$f" in
		*.ko.xz) xz -dc "$f" >"${dest%.xz}"; rel=${rel%.xz} ;;
		*.ko.gz) gzip -dc "$f" >"${dest%.gz}"; rel=${rel%.gz} ;;
		*.ko.zst) zstd -qdc "$f" >"${dest%.zst}"; rel=${rel%.zst} ;;
		*) cp -L "$f" "$dest" ;;
		esac
		echo "$rel" >>"$tree/etc/tcpconf/insmod"
	done
	if [ -n "$kroot" ]; then
		for f in modules.builtin modules.builtin.modinfo modules.order; do
			[ -f "$kroot/lib/modules/$krelease/$f" ] &&
				cp -L "$kroot/lib/modules/$krelease/$f" "$tree/lib/modules/$krelease/"
		done
		depmod -b "$tree" "$krelease"
	fi
	printf '%s\n' "${kload[@]}" >"$tree/etc/tcpconf/modules"

	find "$tree" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	(cd "$tree" && find . -mindepth 1 -print0 | sort -z |
		cpio --null --reproducible -R 0:0 -H newc -o --quiet) >"$dir/initrd.cpio"
	echo "$key" >"$dir/initrd.key"
}

# The uncompressed ELF inside bzImage $1, written to $2 once (reused while
# it is newer than the image), when it has a PVH entry note: qemu then starts
# it directly, and the guest skips decompressing itself under emulation.
# Status 1 (boot the bzImage) when there is none or a tool is missing.
extract_vmlinux()
{
	local image=$1 out=$2 pair off
	[ ! -s "$out" ] || [ "$out" -ot "$image" ] || return 0
	command -v readelf >/dev/null || return 1
	rm -f "$out"
	# magic of each compressed format a bzImage may carry, and its decompressor
	for pair in $'\x02\x21\x4c\x18:lz4 -dc' $'\x28\xb5\x2f\xfd:zstd -qdc' \
		    $'\xfd7zXZ:xz -dc' $'\x1f\x8b\x08:gzip -dc' $'\x89LZO:lzop -dc'; do
		command -v "${pair#*:}" >/dev/null 2>&1 || command -v "$(echo "${pair#*:}" | cut -d' ' -f1)" \
			>/dev/null || continue
		for off in $(grep -abo "${pair%%:*}" "$image" 2>/dev/null | cut -d: -f1 | head -n 4); do
			# shellcheck disable=SC2086 # the decompressor and its flags
			tail -c +$((off + 1)) "$image" | ${pair#*:} >"$out.tmp" 2>/dev/null || true
			if [ "$(head -c 4 "$out.tmp" | od -An -c | tr -d ' ')" = 177ELF ] &&
			   readelf -n "$out.tmp" 2>/dev/null | grep -q 'Xen.*0x00000012'; then
				mv "$out.tmp" "$out"
				return 0
			fi
		done
	done
	rm -f "$out.tmp"
	return 1
}

# Get spec $1 ready to boot; sets klabel, krelease, kimage (and kroot,
# kfiles, kload, kstatus).  What a package or image gave is kept in
# $build/matrix/prep/, used again while it is newer than what it came from.
prepare_kernel()
{
	local spec=$1 name ver deb img mods="" prep
	prep=$build/matrix/prep/$(echo "$spec" | tr -c 'A-Za-z0-9._+=\n-' '_')
	if [ -f "$prep" ]; then
		# shellcheck disable=SC1090 # written by declare -p below
		. "$prep"
		if [ "$p_modules" = "$modules" ] && [ -f "$p_source" ] && [ ! "$p_source" -nt "$prep" ] &&
		   { [ -z "$p_mods" ] || { [ -d "$p_mods" ] && [ ! "$p_mods" -nt "$prep" ]; }; } &&
		   [ -f "$kimage" ] && [ -d "$build/matrix/$krelease" ]; then
			build_initramfs
			return
		fi
	fi
	case "$spec" in
	deb:*)
		spec=${spec#deb:}
		name=${spec%%=*}
		ver=""
		[ "$spec" = "$name" ] || ver=${spec#*=}
		deb=$(fetch_deb "$name" "$ver") && unpack_kernel "$deb" || return 1
		klabel="$krelease (Debian $(dpkg-deb -f "$deb" Version))"
		p_source=$deb
		;;
	image:*)
		spec=${spec#image:}
		img=${spec%%:*}
		[ "$spec" = "$img" ] || mods=${spec#*:}
		local_kernel "$img" "$mods" || return 1
		klabel="$krelease ($img)"
		p_source=$img
		;;
	esac
	resolve_modules
	mkdir -p "$build/matrix/$krelease" "${prep%/*}"
	! extract_vmlinux "$kimage" "$build/matrix/$krelease/vmlinux" ||
		kimage=$build/matrix/$krelease/vmlinux
	echo "$kstatus" | tr ' ' '\n' | sed '/^$/d' >"$build/matrix/$krelease/modules.txt"
	build_initramfs || return 1
	p_modules=$modules
	p_mods=$mods
	declare -p klabel krelease kimage kroot kfiles kload kstatus p_modules p_mods p_source |
		sed 's/^declare -a/declare -ga/; s/^declare --/declare -g/' >"$prep"
}
