#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL; fails if either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

echo "=== Test suite on SQLite ==="
env -u TAFEL_TEST_DATABASE_URL $PY -m pytest -p no:cacheprovider
sqlite=$?

echo "=== Test suite on PostgreSQL ==="
bash scripts/with-postgres.sh $PY -m pytest -p no:cacheprovider
postgres=$?

echo "=== Summary: SQLite exit $sqlite, PostgreSQL exit $postgres ==="
[ "$sqlite" = 0 ] && [ "$postgres" = 0 ]
