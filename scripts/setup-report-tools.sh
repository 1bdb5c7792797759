#!/usr/bin/env bash
# Installs what the report tests need from Debian: the font the figures name (fonts-dejavu-core, for PNGs with text)
# and Jupyter's nbconvert with pandas, matplotlib and a Python kernel (to execute the notebook `emn report` writes).
# Exit 3 (the tests that need them are skipped, with this reason) when they are missing and cannot be installed here.
set -euo pipefail

log() { echo "[setup-report-tools] $*" >&2; }

PACKAGES=(fonts-dejavu-core jupyter-nbconvert python3-pandas python3-matplotlib python3-ipykernel)
need=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || need+=("$p")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "notebook tests will be skipped: ${need[*]} missing and no apt-get here"
  exit 3
fi
if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
  log "notebook tests will be skipped: ${need[*]} missing and installing them needs root"
  exit 3
fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
log "apt-get install ${need[*]}"
as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
