#!/usr/bin/env bash
# Install the Debian packages the tests need when their command is missing:
#   chromium (+ fonts-liberation, so pages render real text): the browser test drives
#     /usr/bin/chromium (Playwright's own browser download cannot run here);
#   docker-compose: validates docker-compose.yml (no Docker engine is needed for that).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
command -v docker-compose >/dev/null || missing+=(docker-compose)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing Debian packages: ${missing[*]}"
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
