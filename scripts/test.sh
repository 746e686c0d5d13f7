#!/usr/bin/env bash
# The test command: everything CI runs, in order, failing at the first problem.
#
#   scripts/test.sh
#
# On a fresh Debian 12 machine (as root, or a user with sudo) it first installs what is missing:
# Chromium and fonts from Debian, Node.js (>= 20) and the Rust toolchain when absent. Then:
# npm ci, rustfmt, clippy, regenerated files (TypeScript bindings, web/dist) must match what is
# committed, typecheck, Rust tests, DOM unit tests, the Playwright end-to-end tests against the
# debug server binary and /usr/bin/chromium, a quick subset of the fidelity suite, a smoke run
# of the browser benchmark and a few seconds of the load generator.
#
# Environment: CHROMIUM_PATH (default /usr/bin/chromium), COBROWSE_BIN (default: the workspace's
# debug binary), E2E_WORKERS (default 2), NODE_MAJOR (Node.js to install when missing, default 22).
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
started=$SECONDS

if [ -t 1 ]; then bold=$'\033[1m' red=$'\033[1;31m' plain=$'\033[0m'; else bold='' red='' plain=''; fi

current="setup"
section() {
  current=$1
  printf '\n%s==== %s%s  (%ds)\n' "$bold" "$1" "$plain" "$((SECONDS - started))"
}
# Whatever fails, say where.
trap 'status=$?; [ "$status" -eq 0 ] || printf "\n%sFAILED in \"%s\" (exit %d) after %ds%s\n" "$red" "$current" "$status" "$((SECONDS - started))" "$plain" >&2' EXIT

fail() {
  printf '\n%sFAILED: %s%s\n' "$red" "$1" "$plain" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    fail "need root (or sudo) to run: $*"
  fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# ---------------------------------------------------------------------------------------------
section "System packages"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM_PATH" ] || missing+=(chromium)
# Liberation fonts give every machine the same metrics (stable layout in the replica).
[ -d /usr/share/fonts/truetype/liberation ] || missing+=(fonts-liberation)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt_install "${missing[@]}"
else
  echo "chromium, fonts, git, a C toolchain and curl are present"
fi
[ -x "$CHROMIUM_PATH" ] || fail "no Chromium at $CHROMIUM_PATH"
"$CHROMIUM_PATH" --version 2>/dev/null | grep -i chromium || true

# Node.js: Debian 12's nodejs is too old for the web tooling; install an official build if needed.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if ! command -v node >/dev/null 2>&1 || [ "$(node_major)" -lt 20 ]; then
  case "$(uname -m)" in
    x86_64) node_arch=x64 ;;
    aarch64) node_arch=arm64 ;;
    *) fail "no Node.js >= 20 and no official build for $(uname -m): install it, then rerun" ;;
  esac
  version_line=$(curl -fsSL "https://nodejs.org/dist/latest-v${NODE_MAJOR:-22}.x/SHASUMS256.txt" |
    grep "linux-$node_arch.tar.xz\$")
  tarball=$(awk '{print $2}' <<<"$version_line")
  echo "installing Node.js from $tarball"
  tmp=$(mktemp -d)
  curl -fsSL "https://nodejs.org/dist/latest-v${NODE_MAJOR:-22}.x/$tarball" -o "$tmp/$tarball"
  (cd "$tmp" && awk '{print $1"  "$2}' <<<"$version_line" | sha256sum -c -)
  as_root tar -xJf "$tmp/$tarball" -C /usr/local --strip-components=1 --exclude='*.md' --exclude=LICENSE
  rm -rf "$tmp"
  hash -r
fi
echo "node $(node --version), npm $(npm --version)"

# Rust: rustup's stable toolchain (the workspace needs a recent compiler, edition 2024).
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "installing Rust with rustup"
  curl --proto '=https' --tlsv1.2 -fsSL https://sh.rustup.rs |
    sh -s -- -y --no-modify-path --profile minimal -c rustfmt -c clippy
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi
cargo --version

# ---------------------------------------------------------------------------------------------
section "npm ci"
# Playwright uses the Debian Chromium; never download browsers.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd web && npm ci --no-audit --no-fund)

# ---------------------------------------------------------------------------------------------
section "cargo fmt --check"
cargo fmt --all --check

section "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

# ---------------------------------------------------------------------------------------------
section "Regenerate TypeScript bindings and web/dist"
cargo test -p cobrowse-protocol --test export_typescript
npm run build --prefix web
generated=(web/dist web/packages/protocol/src/generated)
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if ! git diff --exit-code --stat -- "${generated[@]}" || [ -n "$(git status --porcelain -- "${generated[@]}")" ]; then
    git status --short -- "${generated[@]}"
    fail "regenerated files differ from the committed ones: commit ${generated[*]} (they are rebuilt by this script)"
  fi
  echo "generated files match the committed ones"
else
  echo "not a git work tree: skipping the check that generated files are committed"
fi

# ---------------------------------------------------------------------------------------------
section "TypeScript typecheck"
npm run typecheck --prefix web

# ---------------------------------------------------------------------------------------------
section "Rust tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace
else
  cargo test --workspace
fi

# ---------------------------------------------------------------------------------------------
section "Unit tests (vitest)"
(cd web && npx vitest run)

# ---------------------------------------------------------------------------------------------
section "End-to-end tests (Playwright)"
# --all-targets builds the binary with the same dependency features as the test build above, so it
# reuses those artifacts instead of recompiling a dozen crates (dev-dependencies add features).
cargo build -p cobrowse-server --all-targets
if [ -z "${COBROWSE_BIN:-}" ]; then
  target_dir=$(cargo metadata --format-version 1 --no-deps | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
  export COBROWSE_BIN="$target_dir/debug/cobrowse"
fi
echo "server binary: $COBROWSE_BIN"
(cd web && npx playwright test -c e2e/playwright.config.ts)

# ---------------------------------------------------------------------------------------------
section "Fidelity suite (quick subset)"
# A few pages of web/fidelity/ (ours and rrweb's replica against the customer's viewport): checks
# that the suite still measures (pages settle, screenshots have the viewport's size), never the
# percentages. scripts/fidelity.sh runs every page and writes docs/fidelity.md.
(cd web && FIDELITY_SMOKE=1 npx playwright test -c fidelity/playwright.config.ts)

# ---------------------------------------------------------------------------------------------
section "Browser benchmark (smoke)"
# web/bench/ with BENCH_SMOKE=1 (one small page, one run of each benchmark, seconds): checks that
# the benchmark still runs (ours and rrweb record, frames are seen, figures are written), never
# the timings. scripts/bench.sh runs it fully and writes docs/benchmarks.md.
(cd web && BENCH_SMOKE=1 npx playwright test -c bench/playwright.config.ts)

# ---------------------------------------------------------------------------------------------
section "Load generator (smoke)"
# A few sessions on the debug server for two seconds (scripts/loadgen.sh is the real benchmark):
# fails only if a frame was lost or the tool errored, never on timings. --all-targets reuses the
# test build's artifacts (same features).
cargo build --workspace --all-targets
loadgen_dir=$(cargo metadata --format-version 1 --no-deps | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
"$loadgen_dir/debug/cobrowse-loadgen" relay --server-bin "$COBROWSE_BIN" --sessions 3 --duration 2 --rate 100

section "All tests passed"
echo "in $((SECONDS - started)) s ($repo)"
