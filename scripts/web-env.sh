# Sourced by the browser benchmark commands (scripts/fidelity.sh, scripts/bench.sh), from the
# repository's root: Chromium from Debian, the npm packages, and the server binary the runs use
# (COBROWSE_BIN, else the workspace's debug build, which embeds web/dist as it is in the work tree).
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
[ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund)

if [ -z "${COBROWSE_BIN:-}" ]; then
  cargo build -p cobrowse-server --all-targets
  target_dir=$(cargo metadata --format-version 1 --no-deps | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
  export COBROWSE_BIN="$target_dir/debug/cobrowse"
fi
