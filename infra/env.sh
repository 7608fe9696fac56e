#!/usr/bin/env bash
# Print the environment for the services infra/start.sh runs, as `export`
# lines:   eval "$(bash infra/env.sh)"
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_url() { echo "postgres://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT/registrar_$1"; }

cat <<EOF_ENV
export DATABASE_URL_STUDENT=$(pg_url student)
export DATABASE_URL_MODULE=$(pg_url module)
export DATABASE_URL_REGISTRATION=$(pg_url registration)
export DATABASE_URL_PAYMENT=$(pg_url payment)
export DATABASE_URL_IDENTITY=$(pg_url identity)
export REDIS_URL=redis://$HOST:$REDIS_PORT
export KAFKA_BROKERS=$HOST:$KAFKA_PORT
export STRIPE_API_BASE=http://$HOST:$STRIPE_PORT
export STRIPE_SECRET_KEY=sk_test_123
EOF_ENV
