#!/bin/sh
# First start of an empty PostgreSQL data directory (the official image's initdb hook): one
# database and one owning role per service, because services never read each other's tables.
# Each role's password comes from PG_PASSWORD_<DATABASE> (a Secret or the compose environment);
# nothing here holds a secret value.
set -eu
# gateway last: the readiness checks (pg_isready -d gateway) take its database to mean init is done.
for db in plan_registry budget_ledger monitoring notifications gateway; do
  var="PG_PASSWORD_$(echo "$db" | tr '[:lower:]' '[:upper:]')"
  eval "password=\${$var:-}"
  if [ -z "$password" ]; then
    echo "create-databases: $var is not set" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v db="$db" -v password="$password" <<'SQL'
CREATE ROLE :"db" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"db";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
done
