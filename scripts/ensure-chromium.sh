#!/usr/bin/env bash
# The browser tests (tests/browser) drive Debian's Chromium at /usr/bin/chromium; install it
# from Debian's packages when it is missing (Playwright's own browser download is not used).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

echo "installing Debian's chromium package for the browser tests"
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
# fonts-liberation: metric-compatible fonts, so that pages and screenshots render real text.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation
/usr/bin/chromium --version 2>/dev/null  # stderr: a harmless warning of the wrapper script
