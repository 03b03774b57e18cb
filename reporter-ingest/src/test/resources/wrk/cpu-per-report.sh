#!/usr/bin/env bash
# Ingest CPU per report: the ingest process's CPU time (utime + stime from /proc/<pid>/stat) over the reports it
# committed (ingest_reports_written on /metrics), while wrk offers reports.lua. CPU time, not wall time, so a busy
# shared machine slows the run without changing the figure much. Also prints wrk's own CPU.
#   cpu-per-report.sh <ingest pid> <ingest base url> <connections> <seconds> [wrk threads]
set -euo pipefail
pid=$1 url=$2 connections=$3 seconds=$4 threads=${5:-2}
here=$(cd "$(dirname "$0")" && pwd)
tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
written() {
  curl -fsS "$url/metrics" | awk '/^ingest_reports_written_total/ {sum += $2} END {printf "%d", sum}'
}
cpu0=$(cpu "$pid"); reports0=$(written)
/usr/bin/wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$here/reports.lua" "$url" > /tmp/wrk-out.$$ &
wrk_pid=$!
wrk_cpu=0
while kill -0 "$wrk_pid" 2>/dev/null; do
  wrk_cpu=$(cpu "$wrk_pid" 2>/dev/null || echo "$wrk_cpu"); sleep 0.5
done
wait "$wrk_pid"
cpu1=$(cpu "$pid"); reports1=$(written)
grep -E 'Requests/sec|requests |status |latency p' /tmp/wrk-out.$$ | tr '\n' ';'; echo
rm -f /tmp/wrk-out.$$
awk -v c="$((cpu1 - cpu0))" -v n="$((reports1 - reports0))" -v w="$wrk_cpu" -v t="$tick" -v s="$seconds" 'BEGIN {
  printf "reports %d, ingest cpu %.2f s (%.2f cores), %.3f ms/report; wrk cpu %.2f s (%.2f cores)\n",
    n, c / t, c / t / s, n ? c / t * 1000 / n : 0, w / t, w / t / s }'
