#!/usr/bin/env bash
# The fidelity benchmark: every page of the corpus (web/fidelity/corpus.ts) co-browsed with ours and
# with rrweb's live record/replay, each replica compared with the customer's viewport after load
# and after the page's scripted interactions; writes the table to docs/fidelity.md (keeping its
# hand-written analysis) and the screenshots and diff images to web/fidelity-results/.
#
#   scripts/fidelity.sh                       every page
#   scripts/fidelity.sh --grep todomvc        extra arguments go to Playwright (no report then)
#
# Needs what scripts/test.sh installs (Node, npm packages, Chromium, Rust). Builds the debug server
# binary, which embeds web/dist as it is in the work tree (scripts/test.sh or `npm run build` in
# web/ rebuilds it from the sources). Environment: CHROMIUM_PATH (default /usr/bin/chromium),
# COBROWSE_BIN (default: the workspace's debug binary), FIDELITY_WORKERS (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."

export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
[ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund)

if [ -z "${COBROWSE_BIN:-}" ]; then
  cargo build -p cobrowse-server --all-targets
  target_dir=$(cargo metadata --format-version 1 --no-deps | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
  export COBROWSE_BIN="$target_dir/debug/cobrowse"
fi

if [ "$#" -eq 0 ]; then
  # Only a run of every page writes the report.
  export FIDELITY_REPORT="$PWD/docs/fidelity.md"
  export FIDELITY_COMMAND="scripts/fidelity.sh"
fi
cd web
status=0
npx playwright test -c fidelity/playwright.config.ts "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "some pages could not be measured (see above); the report lists them" >&2
fi
exit "$status"
