#!/usr/bin/env bash
# Installs Debian's Chromium (and a font with full Vietnamese coverage) for the dashboard browser tests.
# The browser always comes from the distribution's packages, never from a browser download.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && [ "$(fc-list 2>/dev/null | grep -ci 'noto sans' || true)" -gt 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-core fonts-dejavu-core >/dev/null
chromium --version
