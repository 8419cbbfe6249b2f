#!/usr/bin/env bash
# Start PostgreSQL, Redis and RabbitMQ on localhost when they are installed but not running
# (the machines fedshop is developed and tested on have them as Debian packages).
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  for _ in $(seq 1 120); do port_open "$2" && return 0; sleep 0.5; done
  echo "$1 did not start listening on port $2" >&2
  return 1
}

if ! port_open 5432; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  wait_for_port PostgreSQL 5432
fi
if ! port_open 6379; then
  echo "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for_port Redis 6379
fi
# A node can keep its port open while it no longer answers (seen on this machine after a day of
# test runs): then every broker test would wait for its timeout. Restart a node that does not
# answer its own status check within 30 s.
broker_answers() { timeout 30 rabbitmq-diagnostics -q check_running >/dev/null 2>&1; }
if port_open 5672 && ! broker_answers; then
  echo "RabbitMQ listens but does not answer: restarting it"
  pkill -9 -f 'beam.smp.*rabbit' || true
  for _ in $(seq 1 40); do port_open 5672 || break; sleep 0.5; done
fi
if ! port_open 5672; then
  echo "starting RabbitMQ"
  (ulimit -n "$(ulimit -Hn)" 2>/dev/null; rabbitmq-server -detached)
  wait_for_port RabbitMQ 5672
  for _ in $(seq 1 60); do broker_answers && break; sleep 1; done
fi
# RabbitMQ 3.10 reserves file handles for every quorum queue in its file handle cache, whose
# limit it derives from the open-files limit it started with (1024 here: 927 handles). A few
# hundred quorum queues (each test stack declares dozens) reserve them all, and from then on
# every new AMQP connection waits for a handle forever, while the port and rabbitmqctl still
# answer. The handles are mostly reservations, not open files (57 were open when it stalled):
# raise the cache's limit on the running node.
FHC_LIMIT=16000
limit="$(timeout 20 rabbitmqctl -q eval 'file_handle_cache:get_limit().' 2>/dev/null || echo unknown)"
if [[ "$limit" =~ ^[0-9]+$ ]] && (( limit < FHC_LIMIT )); then
  echo "RabbitMQ's file handle cache allows $limit handles: raising it to $FHC_LIMIT"
  timeout 20 rabbitmqctl -q eval "file_handle_cache:set_limit($FHC_LIMIT)." >/dev/null
fi
