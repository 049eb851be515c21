#!/usr/bin/env bash
# Makes a PostgreSQL server reachable for the test suite and exports
# SIPMAS_TEST_POSTGRES_URL (an account allowed to create databases).
# Uses $SIPMAS_TEST_POSTGRES_URL when it already answers; otherwise starts (and, where
# missing, installs) Debian's postgresql on 127.0.0.1:5432.
set -euo pipefail

url="${SIPMAS_TEST_POSTGRES_URL:-postgres://sipmas:sipmas@127.0.0.1:5432/postgres}"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }

reachable() { command -v pg_isready >/dev/null && pg_isready -q -d "$url"; }

if ! reachable; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "ensure-postgres: installing postgresql from Debian" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
      || { as_root apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
  fi
  cluster="$(pg_lsclusters --no-header 2>/dev/null | head -n1 || true)"
  if [ -z "$cluster" ]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
    as_root pg_createcluster "$version" main >&2
    cluster="$(pg_lsclusters --no-header | head -n1)"
  fi
  read -r version name _ <<<"$cluster"
  as_root pg_ctlcluster "$version" "$name" start >&2 || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  as_postgres psql -q -v ON_ERROR_STOP=1 -c "do \$\$ begin
      if not exists (select from pg_roles where rolname = 'sipmas') then
        create role sipmas login password 'sipmas' createdb;
      end if; end \$\$;" >&2
  url="postgres://sipmas:sipmas@127.0.0.1:5432/postgres"
fi

reachable || { echo "ensure-postgres: PostgreSQL at $url does not answer" >&2; exit 1; }
export SIPMAS_TEST_POSTGRES_URL="$url"
echo "ensure-postgres: using PostgreSQL for the contract suite" >&2
