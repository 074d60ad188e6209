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
# Search in the demo with each built-in theme: "developpement" finds the posts tagged développement
# first, in French and in English.
cargo test --test testsuite search:: -- --include-ignored
# axe-core (vendored by scripts/vendor-npm) on every page of the demo with each built-in theme:
# 0 violations; then screenshots at 1280 and 390 px in target/screenshots/<theme>/ (reports of
# axe in target/axe/<theme>.json).
cargo test --test testsuite accessibility -- --include-ignored --nocapture
# The programme's real site (../shared/corpus) as real Jekyll built it and as gazette imports and
# builds it, side by side at 1280 and 390 px: pairs and scores in target/screenshots/eig-site/.
GAZETTE_CORPUS="$(cd ../shared/corpus/eig-site && pwd)" GAZETTE_REQUIRE_CORPUS=1 \
  cargo test --test testsuite corpus_screens -- --include-ignored --nocapture
