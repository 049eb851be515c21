#!/usr/bin/env bash
# Browser tests of the SIPMAS web app: node:test + playwright-core driving
# Debian's /usr/bin/chromium (installed on demand; Playwright never downloads
# a browser of its own).
#
#   SIPMAS_BIN=path/to/sipmas bash e2e/run.sh [extra node --test args]
#
# Works from any cwd. Each run gets a scratch dir in $SIPMAS_E2E_TMP, removed
# at exit unless the run failed. Screenshots land in e2e/artifacts/.
set -euo pipefail

e2e_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ -z "${SIPMAS_BIN:-}" ]; then
  echo "e2e/run.sh: SIPMAS_BIN is not set; point it at a built sipmas binary, e.g." >&2
  echo "  SIPMAS_BIN=\$HOME/.cache/sipmas/target/debug/sipmas bash e2e/run.sh" >&2
  exit 2
fi
if [ ! -x "$SIPMAS_BIN" ] || [ -d "$SIPMAS_BIN" ]; then
  echo "e2e/run.sh: SIPMAS_BIN=$SIPMAS_BIN is not an executable file" >&2
  exit 2
fi
SIPMAS_BIN="$(cd "$(dirname "$SIPMAS_BIN")" && pwd)/$(basename "$SIPMAS_BIN")"
export SIPMAS_BIN

# shellcheck source=../scripts/ensure-chromium.sh
source "$e2e_dir/../scripts/ensure-chromium.sh"

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# npm ci leaves node_modules/.package-lock.json behind; reinstall when it is
# missing or older than the committed lock file.
if [ ! -e "$e2e_dir/node_modules/.package-lock.json" ] \
   || [ "$e2e_dir/package-lock.json" -nt "$e2e_dir/node_modules/.package-lock.json" ]; then
  (cd "$e2e_dir" && npm ci --no-audit --no-fund)
fi

SIPMAS_E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/sipmas-e2e.XXXXXX")"
export SIPMAS_E2E_TMP
cleanup() {
  local rc=$?
  if [ "$rc" -eq 0 ]; then
    rm -rf "$SIPMAS_E2E_TMP"
  else
    echo "e2e/run.sh: failed (exit $rc); scratch files kept in $SIPMAS_E2E_TMP" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
mkdir -p "$e2e_dir/artifacts"

cd "$e2e_dir"
node --test --test-concurrency=1 "$@" tests/
