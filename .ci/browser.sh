#!/usr/bin/env bash
# Browser tests of `gazette serve`: headless Chromium through chromedriver. Sourced or run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends chromium chromium-driver
fi
cargo test --test testsuite browser -- --include-ignored
# axe-core (vendored by scripts/vendor-npm) on every page of the demo with each built-in theme:
# 0 violations; then screenshots at 1280 and 390 px in target/screenshots/<theme>/ (reports of
# axe in target/axe/<theme>.json).
cargo test --test testsuite accessibility -- --include-ignored --nocapture
