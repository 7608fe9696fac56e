#!/usr/bin/env bash
# Install what the local test services need, skipping whatever is present:
#   - PostgreSQL and Redis servers (Debian packages),
#   - Kafka 4.x broker jars (Maven Central, via infra/kafka/pom.xml),
#   - stripe-mock (Go module proxy).
# Safe to re-run; a run with everything in place takes about a second.
# Works unattended (CI=true, no stdin) as root.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APT_PACKAGES=(postgresql redis-server)

# --- Debian packages --------------------------------------------------------

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Package maintainer scripts try to start the services through invoke-rc.d.
# There is no systemd here, and start.sh runs them itself on loopback with
# its own settings, so forbid that with a policy-rc.d that says "denied"
# (exit 101) for the duration of the install. An existing policy-rc.d (as in
# Docker images) is left alone.
with_services_denied() {
  local policy=/usr/sbin/policy-rc.d created=0 rc=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created=1
  fi
  "$@" || rc=$?
  ((created)) && rm -f "$policy"
  return "$rc"
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" </dev/null
}

install_apt_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    log "apt: ${APT_PACKAGES[*]} already installed"
    return 0
  fi
  ((EUID == 0)) || die "installing ${missing[*]} needs root (apt-get)"
  log "apt: installing ${missing[*]}"
  # Package lists are refreshed only when needed: `apt-get update` is slow,
  # and the machine's lists are usually fresh enough.
  if ! with_services_denied apt_install "${missing[@]}"; then
    log "apt: install failed; running apt-get update and retrying"
    DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
    with_services_denied apt_install "${missing[@]}"
  fi
}

# --- Kafka jars ---------------------------------------------------------------

# The marker records what the libs folder was built from, so a change of
# version or of pom.xml rebuilds it, and anything else skips Maven entirely.
kafka_marker_content() {
  echo "version=$1 pom=$(sha256sum "$INFRA_DIR/kafka/pom.xml" | cut -d' ' -f1)"
}

kafka_libs_ok() {
  local marker="$KAFKA_LIBS/.installed"
  [[ -f $marker ]] || return 1
  local version
  version=$(sed -n 's/^version=\([^ ]*\).*/\1/p' "$marker")
  [[ -n $version && "$(cat "$marker")" == "$(kafka_marker_content "$version")" ]]
}

# jar_has JAR CLASSFILE: the jar contains the class (jar from the JDK, or unzip).
jar_has() {
  if command -v jar >/dev/null; then
    jar tf "$1" | grep -qx "$2"
  else
    unzip -Z1 "$1" | grep -qx "$2"
  fi
}

# The broker needs kafka.Kafka, formatting needs kafka.tools.StorageTool (both
# in kafka_2.13), start.sh's readiness check needs TopicCommand (kafka-tools),
# and nothing prints without the slf4j -> log4j2 binding.
verify_kafka_libs() {
  local version=$1
  jar_has "$KAFKA_LIBS/kafka_2.13-$version.jar" kafka/Kafka.class ||
    die "kafka_2.13-$version.jar has no kafka.Kafka"
  jar_has "$KAFKA_LIBS/kafka_2.13-$version.jar" kafka/tools/StorageTool.class ||
    die "kafka_2.13-$version.jar has no kafka.tools.StorageTool"
  jar_has "$KAFKA_LIBS/kafka-tools-$version.jar" org/apache/kafka/tools/TopicCommand.class ||
    die "kafka-tools-$version.jar has no org.apache.kafka.tools.TopicCommand"
  compgen -G "$KAFKA_LIBS/log4j-slf4j-impl-*.jar" >/dev/null ||
    die "no slf4j -> log4j2 binding in $KAFKA_LIBS"
  compgen -G "$KAFKA_LIBS/log4j-core-*.jar" >/dev/null ||
    die "no log4j-core in $KAFKA_LIBS"
  # Actually run a class from the jars: proves the classpath loads on this JVM.
  kafka_java kafka.tools.StorageTool random-uuid >/dev/null ||
    die "kafka.tools.StorageTool does not run from $KAFKA_LIBS"
}

install_kafka() {
  if kafka_libs_ok; then
    log "kafka: $(sed -n 's/^version=\([^ ]*\).*/\1/p' "$KAFKA_LIBS/.installed") jars already in $KAFKA_LIBS"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn (Maven) is required to fetch the Kafka jars"
  command -v java >/dev/null || die "java (17+) is required for Kafka"
  local version staging="$KAFKA_DIR/libs.tmp"
  for version in $KAFKA_VERSIONS; do
    log "kafka: resolving org.apache.kafka:kafka_2.13:$version from Maven Central"
    rm -rf "$staging"
    # Copy into a staging folder and swap at the end, so a failed or
    # interrupted download never leaves a half-filled libs folder behind.
    # Maven's own output goes to a log (shown on failure): even with -q it
    # writes stray ANSI codes to stdout.
    if mvn -B -ntp -Dstyle.color=never -f "$INFRA_DIR/kafka/pom.xml" \
         -Dkafka.version="$version" \
         dependency:copy-dependencies -DincludeScope=runtime \
         -DoutputDirectory="$staging" </dev/null >"$LOG_DIR/maven-kafka.log" 2>&1; then
      rm -rf "$KAFKA_LIBS"
      mv "$staging" "$KAFKA_LIBS"
      verify_kafka_libs "$version"
      kafka_marker_content "$version" >"$KAFKA_LIBS/.installed"
      local jars=("$KAFKA_LIBS"/*.jar)
      log "kafka: $version installed (${#jars[@]} jars)"
      return 0
    fi
    tail -n 20 "$LOG_DIR/maven-kafka.log" >&2 || true
    log "kafka: $version did not resolve (log: $LOG_DIR/maven-kafka.log); trying the next version"
  done
  die "no Kafka version of ($KAFKA_VERSIONS) could be resolved"
}

# --- stripe-mock --------------------------------------------------------------

stripe_mock_ok() {
  [[ -x $BIN_DIR/stripe-mock ]] &&
    go version -m "$BIN_DIR/stripe-mock" 2>/dev/null |
      grep -Eq "^[[:space:]]+mod[[:space:]]+${STRIPE_MOCK_MODULE}[[:space:]]+${STRIPE_MOCK_VERSION}([[:space:]]|$)"
}

install_stripe_mock() {
  command -v go >/dev/null || die "go is required to build stripe-mock"
  if stripe_mock_ok; then
    log "stripe-mock: $STRIPE_MOCK_VERSION already in $BIN_DIR"
    return 0
  fi
  log "stripe-mock: go install $STRIPE_MOCK_MODULE@$STRIPE_MOCK_VERSION"
  mkdir -p "$BIN_DIR"
  GOBIN="$BIN_DIR" GOFLAGS=-buildvcs=false go install "$STRIPE_MOCK_MODULE@$STRIPE_MOCK_VERSION" </dev/null
  stripe_mock_ok || die "stripe-mock did not install into $BIN_DIR"
}

main() {
  mkdir -p "$CACHE_DIR" "$LOG_DIR" "$RUN_DIR" "$BIN_DIR" "$KAFKA_DIR"
  install_apt_packages
  install_kafka
  install_stripe_mock
  log "install done"
}

main "$@"
