#!/usr/bin/env bash
# The published figures of shared/data/mse (README.md: SparseMSE on the
# UK 2013 five lists, Rcapture's profile interval, checkident's codes on
# artificial_3) through 'ctis estimate', each to the precision the README
# prints it with, read from the README itself (tests/mse/published.py).
# The data must be beside the checkout: without it the test fails.
. "$(dirname "$0")/../lib.sh"
D=${MSE_DATA:-$CTIS_SRC/../shared/data/mse}
[ -d "$D" ] || D=$CTIS_SRC/../../shared/data/mse
if [ ! -f "$D/README.md" ] || [ ! -f "$D/uk2013_5lists.csv" ]; then
    not_ok "shared/data/mse is beside the checkout"
    exit 0
fi
python3 "$CTIS_SRC/tests/mse/published.py" "$CTIS" "$D"
