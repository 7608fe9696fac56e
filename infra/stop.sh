#!/usr/bin/env bash
# Stop the services infra/start.sh started. Safe to re-run: a service that is
# not running is reported as such. Kafka data stays in infra/.cache/kafka/data
# (delete that folder for an empty broker).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Only processes recorded in our pid files are signalled; a Kafka or
# stripe-mock started from another checkout is left alone.

stop_stripe_mock() { stop_pidfile stripe-mock "$RUN_DIR/stripe-mock.pid" stripe-mock 10; }

# SIGTERM makes Kafka do a controlled shutdown (flush, close the metadata
# log), which avoids log recovery on the next start; it takes a few seconds.
stop_kafka() { stop_pidfile kafka "$RUN_DIR/kafka.pid" kafka.Kafka 60; }

# redis-server writes its own pid file (--pidfile in start.sh); SIGTERM is
# its clean shutdown, and with --save '' nothing is written to disk.
stop_redis() { stop_pidfile redis "$RUN_DIR/redis.pid" redis-server 20; }

stop_postgres() {
  local v
  if ! v=$(pg_version); then
    echo "stopped postgres (not installed)"
    return 0
  fi
  if pg_ctlcluster "$v" main status >/dev/null 2>&1; then
    # "fast": roll back open sessions instead of waiting for clients
    # (test runs may leave pools open).
    pg_ctlcluster "$v" main stop -m fast
    echo "stopped postgres"
  else
    echo "stopped postgres (was not running)"
  fi
}

main() {
  stop_stripe_mock
  stop_kafka
  stop_redis
  stop_postgres
}

main "$@"
