#!/usr/bin/env bash
# Brings up a one-node Slurm (Debian slurm-wlm + munge) for the Slurm tests when `sinfo` does not answer; `stop` ends what it started, by pid.
#
#   scripts/setup-slurm.sh start   exit 0: Slurm answers (already running, or started here)
#                                  exit 3: Slurm cannot be had here (no root, no apt-get, install failed); the reason is on stderr
#   scripts/setup-slurm.sh stop    kills the daemons this script started (pids recorded at start), nothing else
#
# The daemons' pids go to $STATE (one "name pid" a line) so `stop` never needs a process name.
set -uo pipefail

STATE="${EMN_SLURM_STATE:-${XDG_CACHE_HOME:-$HOME/.cache}/emn-studio/slurm-started.pids}"
log() { echo "[setup-slurm] $*" >&2; }
unavailable() { log "Slurm tests will be skipped: $*"; exit 3; }

answers() { timeout 10 sinfo -h >/dev/null 2>&1; }

node_idle() { timeout 10 sinfo -h -N -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

start() {
  if command -v sinfo >/dev/null 2>&1 && answers; then
    log "sinfo answers: using the running Slurm"
    return 0
  fi
  if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
    unavailable "sinfo does not answer and starting Slurm needs root (not root, no password-less sudo)"
  fi
  if [ ! -x /usr/sbin/slurmctld ] || [ ! -x /usr/sbin/slurmd ] || [ ! -x /usr/sbin/munged ]; then
    command -v apt-get >/dev/null 2>&1 || unavailable "Slurm is not installed and there is no apt-get to install it"
    log "apt-get install slurm-wlm munge (once; about a minute)"
    # another apt-get may hold the dpkg lock for a while: wait for it rather than fail
    local apt_log
    apt_log=$(mktemp)
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >"$apt_log" 2>&1 \
      || { tail -5 "$apt_log" >&2; rm -f "$apt_log"; unavailable "apt-get update failed"; }
    DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq slurm-wlm munge >"$apt_log" 2>&1 \
      || { tail -5 "$apt_log" >&2; rm -f "$apt_log"; unavailable "apt-get install slurm-wlm munge failed"; }
    rm -f "$apt_log"
  fi

  local host cpus mem
  host=$(hostname); cpus=$(nproc); mem=$(free -m | awk '/Mem/{print int($2*0.8)}')
  as_root mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
  as_root chown munge:munge /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    as_root dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
    as_root chown munge:munge /etc/munge/munge.key; as_root chmod 400 /etc/munge/munge.key
  fi
  # a slurm.conf someone else wrote is theirs: only write one where there is none, or where this script wrote it
  if [ ! -f /etc/slurm/slurm.conf ] || grep -q '^# written by emn-studio scripts/setup-slurm.sh' /etc/slurm/slurm.conf; then
    as_root tee /etc/slurm/slurm.conf >/dev/null <<EOF
# written by emn-studio scripts/setup-slurm.sh: a one-node cluster for the Slurm tests
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
JobCompType=jobcomp/none
MpiDefault=none
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  fi

  mkdir -p "$(dirname "$STATE")"
  # keep only entries of an earlier start whose daemon still runs under its name: a pid left by a crashed run may
  # since belong to another process, which stop must never kill
  if [ -f "$STATE" ]; then
    while read -r name pid; do
      [ -n "${pid:-}" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] && echo "$name $pid"
    done <"$STATE" >"$STATE.live" || true
    mv "$STATE.live" "$STATE"
  else
    : >"$STATE"
  fi
  if ! (munge -n | unmunge) >/dev/null 2>&1; then
    as_root su -s /bin/sh munge -c /usr/sbin/munged || unavailable "munged did not start"
    for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
    echo "munged $(cat /run/munge/munged.pid)" >>"$STATE"
  fi
  # a pid file left by a daemon that is gone would make us record (and later kill) someone else's pid
  as_root rm -f /run/slurmctld.pid /run/slurmd.pid
  # -c: a clean start: jobs or a drained node left by an earlier run must not hold up this one
  as_root /usr/sbin/slurmctld -c || unavailable "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
  for _ in $(seq 50); do [ -s /run/slurmctld.pid ] && break; sleep 0.1; done
  echo "slurmctld $(cat /run/slurmctld.pid)" >>"$STATE"
  as_root /usr/sbin/slurmd || unavailable "slurmd did not start (see /var/log/slurm/slurmd.log)"
  for _ in $(seq 50); do [ -s /run/slurmd.pid ] && break; sleep 0.1; done
  echo "slurmd $(cat /run/slurmd.pid)" >>"$STATE"

  # the node registers with the controller within seconds; a node left DOWN by an earlier run is resumed
  for k in $(seq 60); do
    node_idle && { log "Slurm is up: $(sinfo -h -N -o '%N %t %c CPUs')"; return 0; }
    [ "$k" = 10 ] && as_root scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1
    sleep 1
  done
  unavailable "the node did not become idle within a minute ($(sinfo -h -N -o '%N %t' 2>&1))"
}

stop() {
  [ -f "$STATE" ] || return 0
  # the daemons in reverse order of start: slurmd, slurmctld, then munged
  tac "$STATE" | while read -r name pid; do
    [ -n "${pid:-}" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping $name (pid $pid)"
      as_root kill "$pid" 2>/dev/null
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  rm -f "$STATE"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 1 ;;
esac
