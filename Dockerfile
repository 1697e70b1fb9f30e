# syntax=docker/dockerfile:1
# The careergraph HTTP API as a container: the `api` service of docker-compose.yml.
#   docker compose build api        (or: docker build -t careergraph-api .)
# It serves the Neo4j backend (CAREERGRAPH_BACKEND=neo4j) on port 8000 of the container;
# compose publishes it on 127.0.0.1 of the host only. Runs as an unprivileged user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 careergraph \
    && useradd --system --uid 10001 --gid careergraph --create-home --home-dir /home/careergraph careergraph

WORKDIR /app
# The package's folders (installed as one `careergraph` namespace, see pyproject.toml's
# package-dir) with the data files they ship (Cypher, the release manifest, graph/data).
COPY pyproject.toml README.md ./
COPY src ./src
COPY api ./api
COPY graph ./graph
COPY loaders ./loaders
COPY cypher ./cypher
# A regular (non-editable) install: the Cypher and data files are package data.
RUN pip install . \
    && mkdir -p /home/careergraph/.cache/careergraph \
    && chown -R careergraph:careergraph /home/careergraph

USER careergraph
ENV CAREERGRAPH_BACKEND=neo4j
EXPOSE 8000
CMD ["careergraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
