"""Streamlit's own JavaScript and CSS, sent compressed (Brotli or gzip), each file
compressed once.

Streamlit 1.67 keeps its static files (`/static/...`) out of its gzip middleware:
Starlette's `GZipMiddleware` would compress every response again and keep nothing.
So a phone's first visit moved about 2.6 MB, almost all of it JavaScript that
compresses to a third or less.

`CompressedStatic` sits in front of Streamlit (it is in `server.middleware()`). The
first request for a file under `/static/` copies that file into a cache folder and
writes its compressed forms beside it (`.br`, `.gz`: servestatic's `Compressor`),
once, in a worker thread, while other requests for the same file wait for it. From
then on servestatic serves the smallest form the browser accepts (`Accept-Encoding`,
with `Vary: Accept-Encoding`, ETag and `Range`); the bytes of each form are read from
the folder once and kept in memory (a few MB for every page's files): nothing is
compressed, or even opened, per request. The folder outlives the process (it is keyed by Streamlit's
version), so a restart compresses nothing again. Everything else, and a request that
accepts no compression, goes on to Streamlit unchanged.

The headers stay Streamlit's: the files are content-hashed and sent
`Cache-Control: public, immutable, max-age=31536000`, so a second visit fetches none.

Set `TEAMROLES_COMPRESS=0` to turn it off (the benchmark compares both), and
`TEAMROLES_STATIC_CACHE` to choose the folder (default: the user's cache folder,
else the temporary folder). See docs/deploy.md (which layer compresses) and
docs/performance.md (the figures).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import brotli
from servestatic import ServeStaticASGI
from servestatic.compress import Compressor
from servestatic.utils import parse_accept_encoding

logger = logging.getLogger(__name__)

# What Streamlit sends for its hashed bundles (starlette_static_routes.py).
IMMUTABLE = "public, immutable, max-age=31536000"
STATIC_PREFIX = "/static/"
# Brotli's best quality costs about 1.5 s of CPU a megabyte, once; above this size a
# file (Plotly's 4.6 MB, say) gets quality 9: 10% larger, twenty times faster.
BEST_QUALITY_UP_TO = 1_000_000
ENCODINGS = frozenset({"br", "gzip"})


def enabled() -> bool:
    return os.environ.get("TEAMROLES_COMPRESS", "1").strip().lower() not in {"0", "false", "no"}


def streamlit_static_dir() -> Path:
    """Streamlit's static folder (its index.html and `static/`), found without
    importing Streamlit (this package stays importable without it)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Streamlit is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def default_cache_dir() -> Path:
    """`TEAMROLES_STATIC_CACHE`, else the user's cache folder, else the temporary
    folder; one folder per Streamlit version (its files change with it)."""
    configured = os.environ.get("TEAMROLES_STATIC_CACHE")
    if configured:
        return Path(configured)
    name = Path("teamroles") / f"streamlit-{version('streamlit')}-static"
    for base in (os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", tempfile.gettempdir()):
        folder = Path(base) / name
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
    return Path(tempfile.mkdtemp(prefix="teamroles-static-"))


class _Compressor(Compressor):
    """servestatic's compressor (gzip level 9, and Brotli, each kept only when it
    saves 5% or more), with Brotli's quality chosen by size (see BEST_QUALITY_UP_TO)."""

    def compress_brotli(self, data: bytes) -> bytes:  # type: ignore[override]
        quality = 11 if len(data) <= BEST_QUALITY_UP_TO else 9
        return brotli.compress(data, quality=quality)


class CompressedStatic:
    """ASGI middleware: Streamlit's `/static/` files from a folder of compressed copies.

    `source` is Streamlit's static folder, `cache_dir` where the copies go;
    `compressor` (for tests) is servestatic's `Compressor` or one like it.
    """

    def __init__(
        self,
        app: Callable,
        *,
        source: Path | None = None,
        cache_dir: Path | None = None,
        compressor: Compressor | None = None,
        base_path: str | None = None,
    ) -> None:
        self.app = app
        if base_path is None:
            base_path = os.environ.get("STREAMLIT_SERVER_BASE_URL_PATH", "")
        base = base_path.strip("/")
        self.prefix = f"/{base}{STATIC_PREFIX}" if base else STATIC_PREFIX
        self.source = Path(source or streamlit_static_dir())
        self.cache_dir = Path(cache_dir or default_cache_dir())
        self.compressor = compressor or _Compressor(use_zstd=False, quiet=True)
        # Only files that are in Streamlit's folder now, found once: a request's path
        # is looked up in this set and never joined onto the file system unchecked.
        self.known = frozenset(_files_under(self.source / "static"))
        self.server = ServeStaticASGI(
            None,
            allow_all_origins=False,
            add_headers_function=_immutable,
        )
        self._locks: dict[str, asyncio.Lock] = {}
        self._failed: set[str] = set()  # files that could not be copied: Streamlit sends them
        self._bytes: dict[str, bytes] = {}  # each form's bytes, once read

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        relative = self._candidate(scope)
        if relative is None:
            await self.app(scope, receive, send)
            return
        url = scope["path"]
        if url not in self.server.files:
            async with self._locks.setdefault(relative, asyncio.Lock()):
                if url not in self.server.files and relative not in self._failed:
                    try:
                        path = await asyncio.to_thread(self.prepare, relative)
                    except OSError as error:  # a full or read-only disk: send it as before
                        logger.warning("not compressing %s: %s", relative, error)
                        self._failed.add(relative)
                    else:
                        self.server.add_file_to_dictionary(url, str(path))
        static_file = self.server.files.get(url)
        if static_file is None:
            await self.app(scope, receive, send)
            return
        if _header(scope, b"range"):
            await self.server(scope, receive, send)  # servestatic streams the slice
            return
        # servestatic chooses the form and the headers (Accept-Encoding, ETag, 304);
        # the bytes come from memory, read once per form: no file opened per request.
        request = {
            "HTTP_" + key.decode("latin-1").upper().replace("-", "_"): value.decode("latin-1")
            for key, value in scope["headers"]
        }
        response = await static_file.aget_response(scope["method"], request, pathsend=True)
        body = b""
        if response.path is not None:
            body = self._bytes.get(response.path)
            if body is None:
                body = self._bytes[response.path] = await asyncio.to_thread(
                    Path(response.path).read_bytes
                )
        headers = [
            (key.lower().encode("latin-1"), value.encode("latin-1"))
            for key, value in response.headers
            if value is not None
        ]
        await send(
            {"type": "http.response.start", "status": int(response.status), "headers": headers}
        )
        await send({"type": "http.response.body", "body": body})

    def _candidate(self, scope: dict) -> str | None:
        """The file under Streamlit's `static/` this request asks for, when it is one
        this middleware serves: a GET or HEAD that accepts Brotli or gzip."""
        if scope["type"] != "http" or scope.get("method") not in {"GET", "HEAD"}:
            return None
        path: str = scope.get("path", "")
        root_path: str = scope.get("root_path", "")
        if root_path and path.startswith(f"{root_path}/"):
            path = path[len(root_path) :]
        if not path.startswith(self.prefix):
            return None
        relative = path[len(self.prefix) :]
        if relative not in self.known or not self.compressor.should_compress(relative):
            return None
        accepted = parse_accept_encoding(_header(scope, b"accept-encoding"))
        return relative if accepted & ENCODINGS else None

    def prepare(self, relative: str) -> Path:
        """Copy `static/<relative>` into the cache folder with its compressed forms,
        unless an earlier run (or process) already did; return the copy's path.

        The compressed forms are moved into place first and the copy last, so a copy
        that is there always has its forms beside it, even after a crash."""
        target = self.cache_dir / "static" / relative
        if target.is_file():
            return target
        original = self.source / "static" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.cache_dir, prefix=".staging-") as staging:
            staged = Path(staging) / target.name
            shutil.copy2(original, staged)
            for written in self.compressor.compress(staged):
                os.replace(written, target.parent / Path(written).name)
            os.replace(staged, target)
        return target


def _immutable(headers: Any, path: str, url: str) -> None:
    headers["Cache-Control"] = IMMUTABLE


def _header(scope: dict, name: bytes) -> str:
    return ",".join(
        value.decode("latin-1") for key, value in scope.get("headers", ()) if key == name
    )


def _files_under(root: Path) -> Iterable[str]:
    with contextlib.suppress(FileNotFoundError):
        for directory, _, names in os.walk(root):
            for name in names:
                yield Path(directory, name).relative_to(root).as_posix()


def middleware() -> list:
    """What `server.middleware()` adds: `CompressedStatic`, unless turned off."""
    from starlette.middleware import Middleware

    return [Middleware(CompressedStatic)] if enabled() else []
