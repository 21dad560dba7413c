#!/usr/bin/env bash
# Debian's chromium drives the browser tests (Playwright with executable_path=/usr/bin/chromium).
# Browser downloads are impossible on these machines, so the OS package is the only source.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
