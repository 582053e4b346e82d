#!/usr/bin/env bash
# idlerss.sh [BIN...]: the resident memory of an idle `sluice server`. Each binary (default:
# one built from this tree) is started on a fresh data directory with default flags, and
# read 6 s later from /proc/PID/status (VmRSS, and its split into RssAnon, the process's own
# memory, and RssFile, mostly the executable's pages); three rounds, binaries alternating.
set -euo pipefail
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  go build -o "$tmp/sluice" ./cmd/sluice
  bins=("$tmp/sluice")
fi
for round in 1 2 3; do
  for bin in "${bins[@]}"; do
    d=$(mktemp -d /tmp/sluice-idlerss.XXXX)
    SLUICE_ACCESS_KEY_ID=AKIAIDLERSS000000001 SLUICE_SECRET_ACCESS_KEY=idle-rss-secret-000000000000000000000000 \
      "$bin" server --listen 127.0.0.1:0 --data-dir "$d/data" >"$d/log" 2>&1 &
    pid=$!
    sleep 6
    echo "$bin round $round: $(grep -E '^(VmRSS|RssAnon|RssFile)' /proc/$pid/status | awk '{printf "%s %.1f MB  ", $1, $2/1024}')"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$d"
  done
done
