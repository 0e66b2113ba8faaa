#!/usr/bin/env bash
# Starts a single-node Slurm cluster on 127.0.0.1 for the cluster tests: munge, slurmctld, slurmd, 4 fake GPUs.
# Needs root and Debian's slurmctld, slurmd, slurm-client and munge. Everything (configuration, state, logs,
# pids) lives in one folder (default /tmp/isc-slurm); tools/slurm-down.sh stops it by process id.
# Clients find the configuration through /etc/slurm/slurm.conf, linked here when no other configuration exists.
set -euo pipefail
dir="${1:-/tmp/isc-slurm}"
for tool in munged mungekey slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || { echo "slurm-up: $tool is missing (apt-get install slurmctld slurmd slurm-client munge)" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "slurm-up: must run as root (daemons, mknod)" >&2; exit 2; }
if [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
  echo "slurm-up: a cluster from $dir is already running (pid $(cat "$dir/slurmctld.pid")); run tools/slurm-down.sh first" >&2; exit 1
fi
if (exec 3<>/dev/tcp/127.0.0.1/16817) 2>/dev/null; then
  echo "slurm-up: port 16817 is in use: another test cluster's slurmctld runs (see /etc/slurm/slurm.conf); stop it with tools/slurm-down.sh <its folder>" >&2; exit 1
fi
host="$(hostname -s)"
mkdir -p "$dir"/{state,spool,log}
chmod 755 "$dir"

# munge: a key, its run folder, the daemon with its pid file in our folder.
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
mkdir -p "$dir/munge" && chown munge:munge "$dir/munge"
runuser -u munge -- /usr/sbin/munged --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --force
for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
munge -n | unmunge >/dev/null || { echo "slurm-up: munge does not work; see $dir/munge/munged.log" >&2; exit 1; }

# Four fake GPUs: character devices Slurm can hand out (they behave like /dev/null).
for i in 0 1 2 3; do [ -e "/dev/fakegpu$i" ] || mknod "/dev/fakegpu$i" c 1 3; done

cpus="$(nproc)"
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
cat > "$dir/slurm.conf" <<CONF
ClusterName=isc
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=defer_batch=0,sched_min_interval=0,bf_interval=1
MinJobAge=600
InactiveLimit=0
KillWait=5
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem Gres=gpu:4 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
cat > "$dir/gres.conf" <<CONF
AutoDetect=off
Name=gpu File=/dev/fakegpu[0-3]
CONF
mkdir -p /etc/slurm
# A link left by an earlier test cluster whose folder is gone points nowhere: replace it.
if [ -L /etc/slurm/slurm.conf ] && [ ! -e /etc/slurm/slurm.conf ]; then rm -f /etc/slurm/slurm.conf; fi
if [ ! -e /etc/slurm/slurm.conf ]; then ln -s "$dir/slurm.conf" /etc/slurm/slurm.conf && touch "$dir/linked-etc"; fi
if [ "$(readlink -f /etc/slurm/slurm.conf)" != "$(readlink -f "$dir/slurm.conf")" ]; then
  echo "slurm-up: note: /etc/slurm/slurm.conf is another configuration; export SLURM_CONF=$dir/slurm.conf for the clients" >&2
fi
export SLURM_CONF="$dir/slurm.conf"

slurmctld -c -f "$dir/slurm.conf"
slurmd -f "$dir/slurm.conf"
for _ in $(seq 100); do
  state="$(sinfo --noheader --format=%t 2>/dev/null | head -1 || true)"
  [ "$state" = "idle" ] && break
  sleep 0.2
done
if [ "$state" != "idle" ]; then
  echo "slurm-up: the node did not become idle (state '${state:-none}'); logs in $dir/log" >&2
  tail -5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
  exit 1
fi
echo "slurm-up: cluster 'isc' up: node $host, $cpus CPUs, ${mem} MB, gpu:4; configuration $dir/slurm.conf"
