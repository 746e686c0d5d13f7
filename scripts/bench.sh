#!/usr/bin/env bash
# The browser benchmark (issue 7, customer side): our SDK against rrweb's recorder on the same pages
# in the same run, interleaved, median of BENCH_RUNS (default 5): full snapshot main-thread time and
# longest task (synthetic pages of 10k, 50k, 150k nodes and corpus pages), rrweb's dom-mutation
# workloads, bytes sent for a snapshot and a scripted session, gzipped bundle size, a CPU profile
# of our snapshot, the mutation → replica latency through the agent desktop, and on the agent's side
# a full snapshot and bursts of batches applied by our viewer and by rrweb's Replayer (live mode),
# with a CPU profile of our replica build (web/bench/replay.spec.ts). Writes the tables
# between the BROWSER markers of docs/benchmarks.md (the server section and the hand-written
# analysis after the markers are kept); raw figures in web/bench-results/.
#
#   scripts/bench.sh                          everything (about 6 minutes on two cores)
#   scripts/bench.sh --grep snapshot          extra arguments go to Playwright (no report then)
#   BENCH_SMOKE=1 scripts/bench.sh            seconds: one small page, one run each (no report)
#
# Needs what scripts/test.sh installs (Node, npm packages, Chromium, Rust). Builds the debug server
# binary, which embeds web/dist as it is in the work tree. Environment: CHROMIUM_PATH (default
# /usr/bin/chromium), COBROWSE_BIN (default: the workspace's debug binary), BENCH_RUNS (default 5),
# BENCH_SESSION_SECONDS (the scripted session, default 60), BENCH_SIZES (synthetic page sizes, comma
# separated), FIDELITY_CORPUS (the corpus, default ../shared/corpus/rrweb-fixtures beside the
# repository, as for scripts/fidelity.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium, the npm packages, COBROWSE_BIN.
source scripts/web-env.sh

if [ "$#" -eq 0 ] && [ -z "${BENCH_SMOKE:-}" ]; then
  # Only a full run writes the report.
  export BENCH_REPORT="$PWD/docs/benchmarks.md"
  export BENCH_COMMAND="scripts/bench.sh"
fi
cd web
npx playwright test -c bench/playwright.config.ts "$@"
