#!/usr/bin/env bash
# The README's first `npm ci && npm start` on a fresh machine, timed to "Ready": a fresh clone, an empty HOME (no npm
# cache, no Temporal CLI cached) and no `temporal` on PATH. BENCHMARKS.md, "First start".
#   bench/first-start.sh            (clones this repository's HEAD into a temporary folder)
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/first-start-XXXXXX)
chmod 755 "$work"
git clone -q "$repo" "$work/clone"
mkdir "$work/home"
cd "$work/clone"
export HOME="$work/home"
export PATH=$(echo "$PATH" | tr ':' '\n' | grep -v '/go/bin' | paste -sd:)
if command -v temporal >/dev/null; then echo "temporal is on PATH ($(command -v temporal)): remove it to measure a fresh machine"; exit 2; fi
start=$(date +%s.%N)
npm ci > "$HOME/npm-ci.log" 2>&1 || { cat "$HOME/npm-ci.log"; exit 1; }
ci_done=$(date +%s.%N)
# A session of its own, so that the whole tree is stopped at the end; ports of its own, beside anything running.
PORT=3950 TEMPORAL_PORT=7950 TEMPORAL_UI_PORT=8950 EMBEDDED_POSTGRES_PORT=54950 setsid npm start > "$HOME/npm-start.log" 2>&1 &
pid=$!
until grep -q "Press Ctrl-C" "$HOME/npm-start.log"; do sleep 0.2; if ! kill -0 $pid 2>/dev/null; then echo "npm start exited"; cat "$HOME/npm-start.log"; exit 1; fi; done
ready=$(date +%s.%N)
grep -E 'Temporal CLI' "$HOME/npm-start.log"
echo "npm ci: $(echo "$ci_done - $start" | bc) s; npm start to Ready: $(echo "$ready - $ci_done" | bc) s; total: $(echo "$ready - $start" | bc) s"
# As a service manager stops it (a background job ignores SIGINT), then clean up.
kill -TERM -- "-$pid"
wait $pid
rm -rf "$work"
