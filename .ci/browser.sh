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
