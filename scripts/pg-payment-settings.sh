#!/usr/bin/env bash
# PostgreSQL server settings for the monthly payment run (docs/operations.md), on a server
# of this machine's kind (Debian cluster, run as root): `apply` or `restore` (the defaults).
# shared_buffers needs a restart; the WAL settings a reload. Used around bench/cycle_bench.py.
set -euo pipefail
action="${1:-}"
version="$(ls /etc/postgresql | sort -V | tail -1)"
psqlc() { psql -h 127.0.0.1 -U postgres -d postgres -Atqc "$1"; }
case "$action" in
  apply)
    mem_kb="$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
    buffers_mb=$(( mem_kb / 1024 / 4 ))          # a quarter of the memory
    (( buffers_mb > 8192 )) && buffers_mb=8192
    psqlc "ALTER SYSTEM SET shared_buffers = '${buffers_mb}MB'"
    psqlc "ALTER SYSTEM SET max_wal_size = '16GB'"
    psqlc "ALTER SYSTEM SET checkpoint_timeout = '30min'"
    psqlc "ALTER SYSTEM SET wal_compression = 'lz4'"
    ;;
  restore)
    for knob in shared_buffers max_wal_size checkpoint_timeout wal_compression; do
      psqlc "ALTER SYSTEM RESET $knob"
    done
    ;;
  *) echo "usage: $0 apply|restore" >&2; exit 2 ;;
esac
pg_ctlcluster --skip-systemctl-redirect "$version" main restart
until pg_isready -h 127.0.0.1 -p 5432 -q; do sleep 0.5; done
psqlc "SELECT name || '=' || current_setting(name) FROM pg_settings WHERE name IN
       ('shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_compression')"
