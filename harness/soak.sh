#!/usr/bin/env bash
# soak.sh - run the whole catalogue COUNT times (optionally with both CPUs saturated)
# and print verdict counts per case: any case whose verdict changed is a flake.
# usage: harness/soak.sh COUNT [LOAD]   (LOAD=1 runs stress-ng on every CPU meanwhile)
set -euo pipefail
count=${1:-50}
load=${2:-0}
out=build/soak
rm -rf "$out"
mkdir -p "$out"
stress_pid=
cleanup() { [ -n "$stress_pid" ] && kill "$stress_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
if [ "$load" = 1 ]; then
	command -v stress-ng >/dev/null || {
		apt-get update -q >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q stress-ng >/dev/null
	}
	stress-ng --cpu 0 --cpu-method matrixprod --quiet &
	stress_pid=$!
	sleep 1
fi
start=$(date +%s.%N)
for i in $(seq 1 "$count"); do
	harness/tcpconf run --results "$out/$i" cases/ >"$out/$i.log" 2>&1 || true
	printf '\rrun %d/%d' "$i" "$count" >&2
done
printf '\n' >&2
end=$(date +%s.%N)
# Our JSON writer puts case, ip and verdict first; tally them per case.
cat "$out"/*/results.jsonl |
	sed -E 's/^\{"case":"([^"]*)","path":"[^"]*","ip":"([^"]*)","verdict":"([^"]*)".*/\1 [\2] \3/' |
	sort | uniq -c |
	awk '{ key = $2 " " $3; n[key] = n[key] " " $4 "=" $1; c[key]++ }
	     END { flaky = 0
		   for (k in n) { printf "%-52s%s%s\n", k, n[k], (c[k] > 1 ? "   <- CHANGED" : "") | "sort"; if (c[k] > 1) flaky++ }
		   close("sort")
		   printf "%d case runs with a changed verdict\n", flaky
		   exit flaky > 0 }'
status=${PIPESTATUS[4]}
awk -v s="$start" -v e="$end" -v c="$count" -v l="$load" \
	'BEGIN { printf "%d runs in %.1f s (%.2f s a run)%s\n", c, e - s, (e - s) / c, l == 1 ? ", under stress-ng load" : "" }'
exit "$status"
