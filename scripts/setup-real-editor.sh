#!/usr/bin/env bash
# Installs what the real-editor test needs (Debian's Chromium, code-server in a cache folder), once.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/emn-studio"
CODE_SERVER_DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_BIN="$CODE_SERVER_DIR/node_modules/.bin/code-server"

log() { echo "[setup-real-editor] $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
# headers code-server's native modules compile against
dpkg -s libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential >/dev/null 2>&1 \
  || need_apt+=(build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -x "$CODE_SERVER_BIN" ] && [ -f "$CODE_SERVER_DIR/.complete" ]; then
  echo "$CODE_SERVER_BIN"
  exit 0
fi

# @vscode/ripgrep's postinstall would download rg; seed its cache with Debian's rg instead.
tmp="$(node -p 'require("os").tmpdir()')"
for v in 1.15.9 1.15.10 1.15.11 1.15.12 1.15.13 1.15.14; do
  d="$tmp/vscode-ripgrep-cache-$v"; mkdir -p "$d"
  tar czf "$d/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
done

log "installing code-server@$CODE_SERVER_VERSION into $CODE_SERVER_DIR (a few minutes, once)"
mkdir -p "$CODE_SERVER_DIR"
npm_config_yes=true npm_config_unsafe_perm=true \
  npm install --prefix "$CODE_SERVER_DIR" --unsafe-perm --no-audit --no-fund --loglevel=error \
  "code-server@$CODE_SERVER_VERSION" >&2
touch "$CODE_SERVER_DIR/.complete"
echo "$CODE_SERVER_BIN"
