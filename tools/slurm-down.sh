#!/usr/bin/env bash
# Stops the cluster tools/slurm-up.sh started from the same folder: slurmd, slurmctld and munged, by their process ids.
set -uo pipefail
dir="${1:-/tmp/isc-slurm}"
stop() { # name pidfile
  local pid
  [ -f "$2" ] || return 0
  pid="$(cat "$2" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || { echo "slurm-down: stopped $1 ($pid)"; return 0; }; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null; echo "slurm-down: killed $1 ($pid)"
}
# Jobs still running belong to slurmd's step daemons: cancel them while the controller is up.
if [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
  SLURM_CONF="$dir/slurm.conf" scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
fi
stop slurmd "$dir/slurmd.pid"
stop slurmctld "$dir/slurmctld.pid"
stop munged "$dir/munge/munged.pid"
if [ -f "$dir/linked-etc" ]; then rm -f /etc/slurm/slurm.conf "$dir/linked-etc"; fi
exit 0
