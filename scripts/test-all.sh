#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL; fails if either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

echo "=== Test suite on SQLite ==="
env -u TAFEL_TEST_DATABASE_URL $PY -m pytest -p no:cacheprovider --junitxml="$reports/sqlite.xml"
sqlite=$?

echo "=== Test suite on PostgreSQL ==="
bash scripts/with-postgres.sh $PY -m pytest -p no:cacheprovider --junitxml="$reports/postgres.xml"
postgres=$?

echo "=== SQLite exit $sqlite, PostgreSQL exit $postgres ==="
$PY scripts/junit_total.py "$reports"/*.xml
[ "$sqlite" = 0 ] && [ "$postgres" = 0 ]
