# syntax=docker/dockerfile:1
# Production image: multi-stage, non-root, health-checked on /healthz.

# 1. Front-end assets from the npm registry (the same pinned versions the CDN tags use).
FROM node:20-slim AS assets
WORKDIR /assets
COPY app/config.py ./config.py
RUN set -eu; \
    htmx="$(sed -n 's/^HTMX_VERSION = "\(.*\)"/\1/p' config.py)"; \
    npm pack --silent "htmx.org@${htmx}" && tar xzf "htmx.org-${htmx}.tgz" && \
    mkdir -p vendor && cp package/dist/htmx.min.js vendor/

# 2. Python dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml ./
COPY app ./app
RUN /opt/venv/bin/pip install . && \
    /opt/venv/bin/pybabel compile -d app/locales -D messages

# 3. Runtime.
FROM python:3.11-slim
ENV PATH="/opt/venv/bin:$PATH" PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    ASSETS=local DATA_DIR=/data WEB_CONCURRENCY=2
RUN useradd --system --uid 10001 --home-dir /srv/app --shell /usr/sbin/nologin app
WORKDIR /srv/app
COPY --from=build /opt/venv /opt/venv
COPY --chown=app:app alembic.ini ./
COPY --chown=app:app migrations ./migrations
COPY --chown=app:app scripts ./scripts
COPY --chown=app:app --from=build /src/app ./app
COPY --chown=app:app --from=assets /assets/vendor ./app/static/vendor
RUN mkdir -p /srv/app/data && chown app:app /srv/app/data
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
ENTRYPOINT ["scripts/docker-entrypoint.sh"]
