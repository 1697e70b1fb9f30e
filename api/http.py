"""HTTP features of the careergraph API around the routes: conditional caching, HEAD,
compression, CORS, named operation ids.

- **Caching.** The data change only when a new release is loaded, so every ``200`` JSON
  answer of a ``/v1`` data route carries ``Cache-Control: public, max-age=N``
  (``CAREERGRAPH_HTTP_MAX_AGE_S``, default 3600) and a weak ``ETag`` made of the loaded
  O*NET release (the answer's ``attribution.release``) and a SHA-256 of the body. A request
  whose ``If-None-Match`` names it gets ``304 Not Modified`` without a body. Health
  answers and errors are ``Cache-Control: no-store``.
- **HEAD** is answered on every GET route as the GET would be (same status and headers,
  no body); FastAPI routes answer only the methods they declare.
- **GZip** for answers of 1 KB and more when the client accepts it (a k=3 route: ~19 KB
  -> ~3 KB).
- **CORS** is off (no ``Access-Control-*`` headers: browsers keep other sites out) unless
  ``CAREERGRAPH_CORS_ORIGINS`` lists origins; then those origins may send GET and HEAD.
- **Docs** pages (``/docs``, ``/redoc``) carry a Content-Security-Policy that lets them load
  only from the app itself; the **web page** (``/``, ``/role``, ``/route``) a stricter one:
  no script at all, the app's own stylesheet, forms to the app only.
- **Operation ids** are the route functions' names (``get_paths``, ``get_occupation``), so
  generated clients get readable method names.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHED_PREFIX = "/v1/"
"""Answers below this path are data answers (cacheable when 200)."""
UNCACHED_PATHS = frozenset({"/v1/health"})
"""Answers that describe the server's state, never cached."""
GZIP_MINIMUM_BYTES = 1000


def operation_id(route: APIRoute) -> str:
    """OpenAPI ``operationId`` of a route: its function's name (``get_paths``)."""
    return route.name


_ATTRIBUTION_KEY = b'"attribution":'
_DECODER = json.JSONDecoder()


def _release_of(body: bytes) -> str | None:
    """The ``attribution.release`` of a JSON answer, or None.

    The answers' models put ``attribution`` last, so it is read from there (~20 µs) when
    the object after the key's last occurrence ends the body; otherwise (another layout)
    the whole body is parsed (~0.3 ms for a route answer of ~25 KB).
    """
    at = body.rfind(_ATTRIBUTION_KEY)
    if at >= 0:
        tail = body[at + len(_ATTRIBUTION_KEY) :].decode("utf-8", "replace")
        try:
            value, end = _DECODER.raw_decode(tail)
        except ValueError:
            value, end = None, 0
        if tail[end:].strip() == "}":  # the top-level object's last member
            return _release_from(value)
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return _release_from(data.get("attribution") if isinstance(data, dict) else None)


def _release_from(attribution: object) -> str | None:
    release = attribution.get("release") if isinstance(attribution, dict) else None
    return release if isinstance(release, str) else None


def entity_tag(body: bytes) -> str:
    """Weak ETag of a data answer: ``W/"<release>-<sha256 of the body, 32 hex>"``."""
    digest = hashlib.sha256(body).hexdigest()[:32]
    release = _release_of(body) or "none"
    return f'W/"{release}-{digest}"'


def _matches(if_none_match: str, tag: str) -> bool:
    """Whether an ``If-None-Match`` header value names ``tag`` (weak comparison)."""
    opaque = tag.removeprefix("W/")
    candidates = [c.strip().removeprefix("W/") for c in if_none_match.split(",")]
    return "*" in candidates or opaque in candidates


class ConditionalCacheMiddleware:
    """``Cache-Control``, ``ETag`` and ``304`` for the GET answers of the data routes
    (see the module notes). Buffers those answers (JSON of at most a few hundred KB)."""

    def __init__(self, app: ASGIApp, max_age_s: int) -> None:
        self.app = app
        self.max_age_s = max_age_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not path.startswith(CACHED_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        if path in UNCACHED_PATHS:
            await self.app(scope, receive, self._no_store(send))
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._finish(start, b"".join(chunks), if_none_match, send)

        await self.app(scope, receive, buffered)

    async def _finish(
        self, start: Message, body: bytes, if_none_match: str | None, send: Send
    ) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        if start["status"] != 200:
            headers["Cache-Control"] = "no-store"
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})
            return
        tag = entity_tag(body)
        headers["ETag"] = tag
        headers["Cache-Control"] = f"public, max-age={self.max_age_s}"
        if if_none_match is not None and _matches(if_none_match, tag):
            for name in ("content-length", "content-type"):
                del headers[name]
            await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({**start, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _no_store(send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                headers["Cache-Control"] = "no-store"
                message = {**message, "headers": headers.raw}
            await send(message)

        return wrapped


WEB_PAGE_PATHS = frozenset({"/", "/role", "/route"})
"""The web page's HTML pages (:mod:`api.web`); its stylesheet is under ``/static/``."""
WEB_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
"""The web page runs no script at all and loads only the app's own stylesheet; its forms
submit only to the app; no other site may frame it."""
DOCS_PATHS = frozenset({"/docs", "/redoc"})
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'"
)
"""The docs pages load nothing from elsewhere: ReDoc's script would fetch a logo from its
CDN, which this policy stops in the browser (ReDoc then leaves the logo out)."""


def page_policy(path: str) -> str | None:
    """The ``Content-Security-Policy`` of a page: the docs' or the web page's, else None."""
    if path in DOCS_PATHS:
        return DOCS_CONTENT_SECURITY_POLICY
    if path in WEB_PAGE_PATHS or path.startswith("/static/"):
        return WEB_CONTENT_SECURITY_POLICY
    return None


class DocsPolicyMiddleware:
    """``Content-Security-Policy`` on the docs pages (:data:`DOCS_CONTENT_SECURITY_POLICY`)
    and the web page (:data:`WEB_CONTENT_SECURITY_POLICY`, with ``X-Content-Type-Options:
    nosniff`` and ``Referrer-Policy: same-origin``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = page_policy(scope.get("path", "")) if scope["type"] == "http" else None
        if policy is None:
            await self.app(scope, receive, send)
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                headers["Content-Security-Policy"] = policy
                if policy is WEB_CONTENT_SECURITY_POLICY:
                    headers["X-Content-Type-Options"] = "nosniff"
                    headers["Referrer-Policy"] = "same-origin"
                message = {**message, "headers": headers.raw}
            await send(message)

        await self.app(scope, receive, with_policy)


class HeadAsGetMiddleware:
    """Answer ``HEAD`` as the matching ``GET`` would be answered, without the body
    (RFC 9110 9.3.2). The GET's ``Content-Length`` is kept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def install_http_features(app: FastAPI, *, max_age_s: int, cors_origins: list[str]) -> None:
    """Add the middleware of the module notes to ``app`` (innermost first: caching, gzip,
    CORS if ``cors_origins`` is not empty, HEAD)."""
    app.add_middleware(ConditionalCacheMiddleware, max_age_s=max_age_s)
    app.add_middleware(DocsPolicyMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_methods=["GET", "HEAD"],
            allow_headers=["If-None-Match"],
            expose_headers=["ETag"],
            max_age=600,
        )
    app.add_middleware(HeadAsGetMiddleware)


def docs_options() -> dict[str, Any]:
    """Keyword arguments of ``FastAPIOffline`` for the interactive docs: Swagger UI at
    ``/docs`` and ReDoc at ``/redoc``, their scripts and styles served by the app itself
    from the ``fastapi-offline`` package (no CDN: the docs work without a network)."""
    return {
        "docs_url": "/docs",
        "redoc_url": "/redoc",
        "static_url": "/static-offline-docs",
        "generate_unique_id_function": operation_id,
        "swagger_ui_parameters": {"displayOperationId": True},
    }
