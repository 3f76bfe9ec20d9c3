#!/bin/sh
# Container start: migrate, import the data mounted at DATA_DIR (idempotent), serve.
set -eu
python -m app.db.migrate
if [ -d "${DATA_DIR:-/data}" ]; then
  python scripts/import_offers.py || echo "import reported problems; serving what is stored"
fi
# No Server header and no uvicorn access log (its request lines carry query strings);
# the app logs method, path, status and time itself.
exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --workers "${WEB_CONCURRENCY:-2}" \
  --proxy-headers --forwarded-allow-ips='*' \
  --no-server-header --no-access-log --log-config app/logging.json
