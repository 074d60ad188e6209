#!/usr/bin/env bash
# Builds the fuzz targets once (stable compiler, RUSTC_BOOTSTRAP=1), then runs each for SECONDS
# (default 600), two at a time, with its corpus in fuzz/corpus/<target> and crashes in
# fuzz/artifacts/<target>/; logs in fuzz/logs/. Running the built binaries directly means editing
# the library during a run does not trigger rebuilds.
set -u
cd "$(dirname "$0")"
secs=${1:-600}
RUSTC_BOOTSTRAP=1 cargo fuzz build -O || exit 1
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
run() {
  mkdir -p "corpus/$1" "artifacts/$1"
  timeout $((secs + 120)) "$bin/$1" "corpus/$1" -artifact_prefix="artifacts/$1/" \
    -max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 -max_len=65536 >"logs/$1.log" 2>&1
  echo "$1 exit $? $(date -u +%FT%TZ)" >>logs/summary
}
(run front_matter; run site_yml; run post_names; run jekyll_rules; run manifest) &
(run markdown_file; run data_file; run redirects) &
wait
