#!/usr/bin/env bash
# Installs the bench's PyTorch peer once: Debian's python3-torch and OpenBLAS (libopenblas0-pthread), so PyTorch runs on the BLAS a pip user gets.
#
#   bench/setup-peer.sh    exit 0: /usr/bin/python3 imports torch (installed here or already); prints that python's path
#                          exit 3: it cannot be had here (no root, no apt-get, install failed); the reason is on stderr
#
# Without libopenblas0-pthread, Debian's torch links the reference BLAS (libblas3): about 6 GFLOP/s on a 512 x 512
# sgemm where OpenBLAS does about 100 on the same core, so the PyTorch column would be an unfair peer.
set -uo pipefail

PYTHON=/usr/bin/python3
log() { echo "[setup-peer] $*" >&2; }
unavailable() { log "PyTorch columns will be skipped: $*"; exit 3; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

need=()
dpkg -s python3-torch >/dev/null 2>&1 || need+=(python3-torch)
dpkg -s libopenblas0-pthread 2>/dev/null | grep -q '^Status: install ok installed' || need+=(libopenblas0-pthread)
if [ ${#need[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || unavailable "${need[*]} missing and there is no apt-get"
  if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
    unavailable "${need[*]} missing and installing needs root (not root, no password-less sudo)"
  fi
  log "apt-get install ${need[*]} (once)"
  apt_log=$(mktemp)
  # another apt-get may hold the dpkg lock for a while: wait for it rather than fail
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >"$apt_log" 2>&1 \
    || { tail -5 "$apt_log" >&2; rm -f "$apt_log"; unavailable "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >"$apt_log" 2>&1 \
    || { tail -5 "$apt_log" >&2; rm -f "$apt_log"; unavailable "apt-get install ${need[*]} failed"; }
  rm -f "$apt_log"
fi
"$PYTHON" -c 'import torch' 2>/dev/null || unavailable "$PYTHON cannot import torch"
echo "$PYTHON"
