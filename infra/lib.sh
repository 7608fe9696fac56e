# shellcheck shell=bash disable=SC2034  # the settings are used by the scripts
# Shared settings and helpers for infra/*.sh. Sourced, never run.
#
# Everything the scripts download, generate or write at run time lives under
# infra/.cache (gitignored), so a fresh clone starts clean and `rm -rf
# infra/.cache` is a full reset of Kafka data, logs and pid files.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="$INFRA_DIR/.cache"
LOG_DIR="$CACHE_DIR/logs"
RUN_DIR="$CACHE_DIR/run"
BIN_DIR="$CACHE_DIR/bin"

# --- pinned versions (change here, then re-run install.sh) -----------------
# Kafka broker jars from Maven Central. The first version that resolves wins;
# the later ones are fallbacks for a Maven mirror that lacks the newest.
KAFKA_VERSIONS="${KAFKA_VERSIONS:-4.4.0 4.1.1}"
KAFKA_DIR="$CACHE_DIR/kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_DATA="$KAFKA_DIR/data"
# Fixed cluster id: storage is formatted once, and a fixed id keeps re-formats
# (after `rm -rf infra/.cache/kafka/data`) reproducible. Base64 of 16 bytes.
KAFKA_CLUSTER_ID="UmVnaXN0cmFyS2Fma2ExAA"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

# stripe-mock from the Go module proxy (the proxy serves v0.148.0, v0.162.0,
# v0.203.0 for this module; v0.203.0 is @latest).
STRIPE_MOCK_MODULE="github.com/stripe/stripe-mock"
STRIPE_MOCK_VERSION="v0.203.0"

# --- addresses (loopback only) ---------------------------------------------
HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
STRIPE_PORT=12111
STRIPE_HTTPS_PORT=12112

PG_USER=registrar
PG_PASSWORD=registrar
PG_DATABASES="registrar_student registrar_module registrar_registration registrar_payment registrar_identity"
PG_MAX_CONNECTIONS=300

# The Go toolchain is in /usr/local/go/bin on these machines, which a CI
# shell's PATH may not include.
export PATH="$PATH:/usr/local/go/bin"

# --- helpers ----------------------------------------------------------------
log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# port_open PORT: true when something accepts TCP connections on HOST:PORT.
port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# wait_until SECONDS DESCRIPTION CMD...: retry CMD every half second.
wait_until() {
  local timeout_s=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout_s))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout_s}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

# pid_alive PIDFILE PATTERN: the pid in PIDFILE is running and its command
# line contains PATTERN (so a stale pid reused by another program is not
# mistaken for ours).
pid_alive() {
  local pidfile=$1 pattern=$2 pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"
}

# stop_pidfile NAME PIDFILE PATTERN GRACE_SECONDS: TERM, wait, then KILL.
stop_pidfile() {
  local name=$1 pidfile=$2 pattern=$3 grace=$4 pid
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    echo "stopped $name (was not running)"
    return 0
  fi
  pid=$(<"$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored SIGTERM for ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  echo "stopped $name"
}

# kafka_java CLASS ARGS...: run a Kafka tool class from the jars (the quoted
# glob is expanded by the JVM), bounded in time so that a tool waiting for an
# absent broker cannot hang a script.
kafka_java() {
  timeout "${KAFKA_TOOL_TIMEOUT:-60}" java -cp "$KAFKA_LIBS/*" \
    -Dlog4j2.configurationFile="$INFRA_DIR/kafka/log4j2-tools.properties" "$@"
}

# Newest installed PostgreSQL major version (Debian: /usr/lib/postgresql/NN).
pg_version() {
  local v
  v=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -n | tail -1)
  [[ -n $v && -x /usr/lib/postgresql/$v/bin/postgres ]] || return 1
  echo "$v"
}
