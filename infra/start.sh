#!/usr/bin/env bash
# Start the local test services on loopback, leaving any that already run:
#   PostgreSQL 127.0.0.1:5432, Redis 127.0.0.1:6379,
#   Kafka (KRaft, broker+controller) 127.0.0.1:9092 / controller :9093,
#   stripe-mock http://127.0.0.1:12111.
# Prints one `ok <service> <address>` line per service on stdout; exits
# non-zero at the first service that does not come up, with its log tail.
# Run infra/install.sh first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Any unexpected error (set -e) still ends with a line saying so.
on_exit() { (($1 == 0)) || log "start.sh failed (exit $1)"; }
trap 'on_exit $?' EXIT

# fail SERVICE MESSAGE [LOGFILE]: report, show the log's tail, exit 1.
fail() {
  log "FAILED $1: $2"
  if [[ -n ${3:-} && -f $3 ]]; then
    log "last lines of $3:"
    tail -n 40 "$3" >&2
  fi
  exit 1
}

ok() { echo "ok $1 $2"; }

# start_daemon PIDFILE LOGFILE CMD...: run CMD in the background, detached
# from this shell's session (setsid: no SIGHUP or Ctrl-C from the caller's
# terminal), stdout+stderr appended to LOGFILE. The pid written is the
# daemon's own: the inner shell writes $$ and then execs CMD.
start_daemon() {
  local pidfile=$1 logfile=$2; shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016  # $$, $1 and $@ are the inner shell's
  nohup setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" "$@" \
    </dev/null >>"$logfile" 2>&1 &
  wait_until 10 "pid file $pidfile" test -s "$pidfile" || return 1
}

# ---------------------------------------------------------------- PostgreSQL

pg_cluster_running() { pg_ctlcluster "$PG_VERSION" main status >/dev/null 2>&1; }

# psql as the postgres superuser over the Unix socket (peer auth). cd / so
# that postgres is not left in a folder it cannot read.
pg_admin() {
  (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@")
}

pg_setting() {
  pg_admin -At -c "SHOW $1" 2>/dev/null
}

# Debian's postgresql.conf includes conf.d/; settings there override it
# without editing the packaged file.
pg_write_config() {
  local conf="/etc/postgresql/$PG_VERSION/main/conf.d/registrar.conf"
  local want
  want=$(cat <<EOF
# Written by registrar infra/start.sh: loopback only, room for benchmarks.
listen_addresses = '$HOST'
port = $PG_PORT
max_connections = $PG_MAX_CONNECTIONS
EOF
)
  if [[ ! -f $conf || "$(cat "$conf")" != "$want" ]]; then
    printf '%s\n' "$want" >"$conf"
  fi
}

# Debian's default pg_hba.conf already has `host all all 127.0.0.1/32
# scram-sha-256`; add it only if a site changed that.
pg_ensure_hba() {
  local hba="/etc/postgresql/$PG_VERSION/main/pg_hba.conf"
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+(scram-sha-256|md5)' "$hba"; then
    echo "host all all 127.0.0.1/32 scram-sha-256  # registrar infra" >>"$hba"
  fi
}

# Role and databases, each created only if missing; the password is reset
# every time so that it is known to be right.
pg_provision() {
  pg_admin <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER;
  END IF;
END
\$\$;
ALTER ROLE $PG_USER WITH LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
SQL
  local db
  for db in $PG_DATABASES; do
    pg_admin <<SQL
SELECT 'CREATE DATABASE $db OWNER $PG_USER'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db') \gexec
ALTER DATABASE $db OWNER TO $PG_USER;
SQL
  done
}

start_postgres() {
  PG_VERSION=$(pg_version) || fail postgres "PostgreSQL server is not installed (run infra/install.sh)"
  local pglog="/var/log/postgresql/postgresql-$PG_VERSION-main.log"

  # The package creates cluster "main"; make it if someone dropped it.
  if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$PG_VERSION/main"; then
    log "postgres: creating cluster $PG_VERSION/main"
    pg_createcluster "$PG_VERSION" main >/dev/null
  fi
  # /run is a tmpfs on real machines: the socket folder may be gone.
  install -d -m 2775 -o postgres -g postgres /var/run/postgresql
  pg_write_config
  pg_ensure_hba

  if pg_cluster_running; then
    # Running, but perhaps from before these settings: listen address, port
    # and max_connections only change on a restart.
    if [[ "$(pg_setting max_connections)" != "$PG_MAX_CONNECTIONS" ||
          "$(pg_setting listen_addresses)" != "$HOST" ]]; then
      log "postgres: restarting to apply settings"
      pg_ctlcluster "$PG_VERSION" main restart || fail postgres "restart failed" "$pglog"
    else
      pg_ctlcluster "$PG_VERSION" main reload >/dev/null  # picks up pg_hba edits
    fi
  else
    log "postgres: starting cluster $PG_VERSION/main"
    pg_ctlcluster "$PG_VERSION" main start || fail postgres "pg_ctlcluster start failed" "$pglog"
  fi

  wait_until 60 "postgres on $HOST:$PG_PORT" pg_isready -q -h "$HOST" -p "$PG_PORT" ||
    fail postgres "not accepting connections on $HOST:$PG_PORT" "$pglog"
  pg_provision || fail postgres "creating role/databases failed" "$pglog"

  # The check the services will do: password auth over TCP.
  local db
  for db in $PG_DATABASES; do
    psql -X -q -At "postgresql://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT/$db" -c 'select 1' </dev/null >/dev/null ||
      fail postgres "cannot log in as $PG_USER to $db over TCP" "$pglog"
  done
  ok postgres "$HOST:$PG_PORT"
}

# --------------------------------------------------------------------- Redis

redis_ping() { [[ "$(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

start_redis() {
  command -v redis-server >/dev/null || fail redis "redis-server is not installed (run infra/install.sh)"
  local logfile="$LOG_DIR/redis.log"
  if ! redis_ping; then
    log "redis: starting"
    mkdir -p "$CACHE_DIR/redis"
    # A cache for tests: no RDB snapshots, no AOF.
    redis-server --bind "$HOST" --port "$REDIS_PORT" --daemonize yes \
      --pidfile "$RUN_DIR/redis.pid" --logfile "$logfile" \
      --dir "$CACHE_DIR/redis" --save '' --appendonly no ||
      fail redis "redis-server did not start" "$logfile"
    wait_until 30 "redis on $HOST:$REDIS_PORT" redis_ping ||
      fail redis "no PONG from $HOST:$REDIS_PORT" "$logfile"
  fi
  ok redis "$HOST:$REDIS_PORT"
}

# --------------------------------------------------------------------- Kafka

# Regenerated on every start (cheap, and edits here take effect); the data
# folder is what persists.
kafka_write_config() {
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Generated by registrar infra/start.sh; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA

# One node: every internal topic has one replica.
auto.create.topics.enable=true
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests start consumers and expect them to get partitions at once.
group.initial.rebalance.delay.ms=0
EOF
}

# Storage is formatted once; meta.properties marks a formatted log dir.
kafka_format() {
  [[ -f $KAFKA_DATA/meta.properties ]] && return 0
  log "kafka: formatting storage in $KAFKA_DATA (cluster id $KAFKA_CLUSTER_ID)"
  mkdir -p "$KAFKA_DATA"
  kafka_java kafka.tools.StorageTool format --ignore-formatted \
    -t "$KAFKA_CLUSTER_ID" -c "$KAFKA_DIR/server.properties" >>"$LOG_DIR/kafka-format.log" 2>&1 ||
    fail kafka "storage format failed" "$LOG_DIR/kafka-format.log"
}

# Lists topics through the broker: answers only when the broker really is up
# (metadata loaded, requests served), unlike a bare port check.
kafka_list_topics() {
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$KAFKA_PORT" --list </dev/null
}

kafka_start_process() {
  local logfile=$1 pidfile=$2
  # Keep the previous run's log for a look after a crash.
  [[ -f $logfile ]] && mv -f "$logfile" "$logfile.1"
  # JVM flags follow Kafka's kafka-server-start.sh, with a smaller heap.
  # shellcheck disable=SC2086
  start_daemon "$pidfile" "$logfile" \
    java $KAFKA_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
      -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$INFRA_DIR/kafka/log4j2.properties" \
      -Dkafka.logs.dir="$LOG_DIR" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_DIR/server.properties" ||
    fail kafka "java did not start" "$logfile"
}

start_kafka() {
  [[ -f $KAFKA_LIBS/.installed ]] || fail kafka "Kafka jars missing in $KAFKA_LIBS (run infra/install.sh)"
  command -v java >/dev/null || fail kafka "java is not installed"
  local logfile="$LOG_DIR/kafka.log" pidfile="$RUN_DIR/kafka.pid"

  if pid_alive "$pidfile" kafka.Kafka && port_open "$KAFKA_PORT"; then
    ok kafka "$HOST:$KAFKA_PORT"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    # Not ours (e.g. started from another checkout): fine if it answers.
    KAFKA_TOOL_TIMEOUT=20 kafka_list_topics >/dev/null ||
      fail kafka "port $KAFKA_PORT is taken by something that is not a working Kafka broker"
    log "kafka: a broker not started by this checkout already answers on $HOST:$KAFKA_PORT"
    ok kafka "$HOST:$KAFKA_PORT"
    return 0
  fi
  if pid_alive "$pidfile" kafka.Kafka; then
    # Started by an earlier run that is still coming up, or hung: restart.
    log "kafka: pid $(<"$pidfile") is alive but not listening; restarting it"
    stop_pidfile kafka "$pidfile" kafka.Kafka 30 >/dev/null
  fi

  kafka_write_config
  kafka_format
  log "kafka: starting (log: $logfile)"
  kafka_start_process "$logfile" "$pidfile"

  # Wait for the broker's own "started" line, failing early if the JVM dies.
  local deadline=$((SECONDS + 90))
  until grep -q 'Kafka Server started' "$logfile" 2>/dev/null; do
    pid_alive "$pidfile" kafka.Kafka || fail kafka "the broker exited during startup" "$logfile"
    ((SECONDS < deadline)) || fail kafka "not started after 90s" "$logfile"
    sleep 0.5
  done
  kafka_list_topics >/dev/null || fail kafka "started but does not answer a topic listing" "$logfile"
  ok kafka "$HOST:$KAFKA_PORT"
}

# --------------------------------------------------------------- stripe-mock

stripe_ping() {
  curl -fs -o /dev/null --max-time 2 -u sk_test_123: "http://$HOST:$STRIPE_PORT/v1/customers"
}

start_stripe_mock() {
  [[ -x $BIN_DIR/stripe-mock ]] || fail stripe-mock "not installed in $BIN_DIR (run infra/install.sh)"
  local logfile="$LOG_DIR/stripe-mock.log" pidfile="$RUN_DIR/stripe-mock.pid"
  if ! stripe_ping; then
    port_open "$STRIPE_PORT" &&
      fail stripe-mock "port $STRIPE_PORT is taken by something that is not stripe-mock"
    pid_alive "$pidfile" stripe-mock && stop_pidfile stripe-mock "$pidfile" stripe-mock 10 >/dev/null
    log "stripe-mock: starting"
    # stripe-mock always opens an HTTPS port too, on all interfaces unless
    # told otherwise (-http-addr alone does not turn it off): pin both to
    # loopback.
    start_daemon "$pidfile" "$logfile" "$BIN_DIR/stripe-mock" \
      -http-addr "$HOST:$STRIPE_PORT" -https-addr "$HOST:$STRIPE_HTTPS_PORT" ||
      fail stripe-mock "did not start" "$logfile"
    wait_until 60 "stripe-mock on $HOST:$STRIPE_PORT" stripe_ping ||
      fail stripe-mock "no answer on http://$HOST:$STRIPE_PORT" "$logfile"
  fi
  ok stripe-mock "$HOST:$STRIPE_PORT"
}

main() {
  mkdir -p "$LOG_DIR" "$RUN_DIR" "$KAFKA_DIR"
  start_postgres
  start_redis
  start_kafka
  start_stripe_mock
}

main "$@"
