#!/usr/bin/env bash
# Multiple systems estimation: every model of six lists (2^15 fits, target
# under 2 s) and a 1,000-replicate stepwise bootstrap on the UK 2013 data.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s BUILD=build build/bench/mse
build/bench/mse
