#!/bin/sh
# The FGD paper's comparison (Fig. 7): the six policies × seeds 42..51 (the seeds of the paper's
# run scripts), one `ksim run` each, then a table of gpu_unallocated_at_100_pct (mean ± sd).
# Usage: scripts/fgd-sweep.sh [OUT_DIR] [SEEDS] [POLICIES]
#   (defaults: results/fgd-openb, "42 ... 51", all six)
set -e
out=${1:-results/fgd-openb}
seeds=${2:-"42 43 44 45 46 47 48 49 50 51"}
policies=${3:-"random dotprod gpuclustering gpupacking bestfit fgd"}
mkdir -p "$out"
for policy in $policies; do
  mkdir -p "$out/$policy"
  for seed in $seeds; do
    node bin/ksim.js run "scenarios/fgd-openb/$policy.yaml" --seed "$seed" -o "$out/$policy/$seed" -q --json > "$out/$policy/$seed.json"
  done
done
node scripts/fgd-table.mjs "$out"
