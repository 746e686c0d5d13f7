#!/usr/bin/env bash
# The server-side benchmark of issue 7: cobrowse-loadgen against the release `cobrowse` binary and
# against a bare tokio-tungstenite relay, interleaved (A B A B …), median of 5 runs each; writes the
# tables into docs/benchmarks.md between <!-- SERVER: ... --> and <!-- /SERVER --> (the analysis
# under them is kept).
#
#   scripts/loadgen.sh           throughput (16 and 1,000 sessions × 300 B and 4 KiB payloads),
#                                latency at a fixed rate (paired runs: both servers in the same
#                                seconds, their frames taking turns; 8 s each: 12,800–16,000
#                                samples, so that a p99 is the 128th–160th-worst sample), idle
#                                memory per session (the slope of each fresh server's RSS from
#                                1,000 to 3,000 idle sessions)
#   scripts/loadgen.sh --soak    only the 10,000-session hold: 5 minutes at one 300-byte frame per
#                                second per session, every frame delivered, latency percentiles,
#                                the servers' memory and CPU sampled every 10 s; writes the SOAK
#                                section of docs/benchmarks.md (<!-- SOAK: ... --> to <!-- /SOAK -->)
#                                and leaves the SERVER section alone. About 15 minutes with the
#                                creation and login of the 10,000 agents. The client side runs as
#                                worker processes of at most 8,000 sockets each, and the sessions
#                                are spread over as many server processes as the limit of open
#                                files per process (`ulimit -n`, inherited) requires: two where the
#                                hard limit is 20,000 (one server holding 10,000 sessions needs
#                                20,000 sockets plus its own files).
#
# Builds the release binaries (the two commands are separate so that each reuses the artifacts of
# its own feature set). Environment: LOADGEN_ROUNDS (default 5), LOADGEN_DURATION (seconds per
# throughput run, default 3), LOADGEN_LATENCY_DURATION (seconds per latency run, default 8),
# LOADGEN_TRACE_DIR (write every latency run's per-frame samples there as CSV); for --soak LOADGEN_SOAK_SESSIONS (default 10000), LOADGEN_SOAK_DURATION
# (seconds, default 300).
set -euo pipefail
cd "$(dirname "$0")/.."

soak=0
for arg in "$@"; do
  case "$arg" in
    --soak) soak=1 ;;
    *) echo "usage: scripts/loadgen.sh [--soak]" >&2; exit 2 ;;
  esac
done

cargo build --release -p cobrowse-server
cargo build --release -p cobrowse-loadgen
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
loadgen="$target_dir/release/cobrowse-loadgen"
server="$target_dir/release/cobrowse"

# Two sockets per session on each side: 3,000 idle sessions need about 6,000 descriptors in the
# load generator and as many in the server (the servers and the soak's worker processes inherit
# the limit).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

rounds="${LOADGEN_ROUNDS:-5}"
duration="${LOADGEN_DURATION:-3}"
latency_duration="${LOADGEN_LATENCY_DURATION:-8}"
trace=()
if [ -n "${LOADGEN_TRACE_DIR:-}" ]; then
  trace=(--trace-dir "$LOADGEN_TRACE_DIR")
fi

if [ "$soak" -eq 1 ]; then
  exec "$loadgen" soak --server-bin "$server" \
    --sessions "${LOADGEN_SOAK_SESSIONS:-10000}" --duration "${LOADGEN_SOAK_DURATION:-300}" \
    --rate 1 --payload 300 --sample 10 \
    --command-line "scripts/loadgen.sh --soak" \
    --markdown docs/benchmarks.md
fi

"$loadgen" bench --server-bin "$server" --rounds "$rounds" --duration "$duration" \
  --throughput 16x300,16x4096,1000x300,1000x4096 \
  --latency 16x300@100,16x4096@100,1000x300@2,1000x4096@2 \
  --latency-duration "$latency_duration" "${trace[@]}" \
  --idle-base 1000 --idle 3000 \
  --command-line "scripts/loadgen.sh" \
  --markdown docs/benchmarks.md
