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

# Chromium, the npm packages, COBROWSE_BIN.
source scripts/web-env.sh

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
