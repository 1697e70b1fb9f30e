"""The ``/v1`` endpoints of the HTTP API, one module per resource, collected in :data:`v1`."""

from __future__ import annotations

from fastapi import APIRouter

from careergraph.api.routes import gap, health, occupations, paths, roles, titles

v1 = APIRouter(prefix="/v1")
for _module in (titles, roles, occupations, paths, gap, health):
    v1.include_router(_module.router)
