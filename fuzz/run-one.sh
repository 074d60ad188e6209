#!/usr/bin/env bash
# Runs one already-built fuzz target for SECONDS (default 600): ./run-one.sh TARGET [SECONDS]
set -u
cd "$(dirname "$0")"
t=$1; secs=${2:-600}
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs "corpus/$t" "artifacts/$t"
timeout $((secs + 120)) "$bin/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
  -max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 -max_len=65536 >"logs/$t.log" 2>&1
echo "$t exit $? $(date -u +%FT%TZ)" >>logs/summary
