#!/usr/bin/env bash
# Runs a program on N local ranks under Open MPI's mpirun:
#   tools/mpirun.sh N program [args...]
# e.g. tools/mpirun.sh 2 build/examples/ddp_mlp
# What a container needs: --allow-run-as-root when run as root, and
# --oversubscribe so N may exceed the cores. Each rank gets its share of the
# cores as its thread budget (OMP_NUM_THREADS, at least 1) unless set already.
# Across nodes use mpirun (or srun) directly with a hostfile; see docs/SCALING.md.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 N program [args...]" >&2
  exit 2
fi
n=$1
shift
flags=(-np "$n" --oversubscribe --bind-to none)
[ "$(id -u)" -eq 0 ] && flags+=(--allow-run-as-root)
threads=${OMP_NUM_THREADS:-$(( $(nproc) / n > 0 ? $(nproc) / n : 1 ))}
exec mpirun "${flags[@]}" -x OMP_NUM_THREADS="$threads" -x OPENBLAS_NUM_THREADS=1 "$@"
