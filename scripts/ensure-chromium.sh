#!/usr/bin/env bash
# Makes Debian's Chromium available at /usr/bin/chromium for the browser tests
# (e2e/, driven through playwright-core; no browser download of its own).
# Does nothing when /usr/bin/chromium already exists; otherwise installs the
# Debian package `chromium` non-interactively, running `apt-get update` only
# when the first install attempt fails. Meant to be `source`d or run.
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
  _ensure_chromium_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  echo "ensure-chromium: installing chromium from Debian" >&2
  _ensure_chromium_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2 \
    || { _ensure_chromium_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
         && _ensure_chromium_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2; }
  unset -f _ensure_chromium_as_root
  if [ ! -x /usr/bin/chromium ]; then
    echo "ensure-chromium: /usr/bin/chromium is still missing after the install" >&2
    # `return` when sourced, `exit` when run.
    return 1 2>/dev/null || exit 1
  fi
fi
