#!/bin/sh
# Beyond the paper: the six policies on scenarios/fgd-openb/churn.yaml (pods arrive and leave at
# the trace's times on a 40-GPU cluster), without and with random node failures (each node: MTBF
# exponential 12 h, repair lognormal p50 10 min, p99 2 h), one `ksim run --seed` each, then a
# table per variant. Usage: scripts/fgd-churn.sh [OUT_DIR] [SEEDS]  (results/fgd-churn, "42 43 44")
set -e
out=${1:-results/fgd-churn}
seeds=${2:-"42 43 44"}
faults='faults=[{random: {pool: g2, mtbf: {exponential: {mean: 12h}}, mttr: {lognormal: {p50: 10m, p99: 2h}}}}, {random: {pool: t4, mtbf: {exponential: {mean: 12h}}, mttr: {lognormal: {p50: 10m, p99: 2h}}}}]'
for variant in churn failures; do
  for p in random:RandomScore:random dotprod:DotProductScore:best gpuclustering:GpuClusteringScore:best gpupacking:GpuPackingScore:best bestfit:BestFitScore:best fgd:FGDScore:FGDScore; do
    policy=${p%%:*}; rest=${p#*:}; plugin=${rest%%:*}; sel=${rest#*:}
    mkdir -p "$out/$variant/$policy"
    for seed in $seeds; do
      set -- --set "scheduler.config.profiles[0].plugins.score.enabled[0].name=$plugin" --set "scheduler.config.profiles[0].pluginConfig[0].args.gpuSelection=$sel"
      if [ "$plugin" = RandomScore ]; then set -- "$@" --set 'scheduler.config.profiles[0].plugins.preScore.enabled=[{name: RandomScore}]'; fi
      if [ "$variant" = failures ]; then set -- "$@" --set "$faults"; fi
      node bin/ksim.js run scenarios/fgd-openb/churn.yaml --seed "$seed" "$@" -o "$out/$variant/$policy/$seed" -q --json > "$out/$variant/$policy/$seed.json"
    done
  done
  echo "$variant:"
  node scripts/fgd-table.mjs "$out/$variant" churn
done
