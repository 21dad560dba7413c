#!/usr/bin/env bash
# GNU gettext (msgfmt, xgettext, msgmerge): `make venv` compiles the message catalogues with
# msgfmt and `make messages` refreshes them with Django's makemessages, which calls xgettext.
set -euo pipefail
if command -v msgfmt >/dev/null; then exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gettext >/dev/null
msgfmt --version | head -1
