"""Streamlit's static files sent compressed, each compressed once (issue 20), and the
join page drawing only what it shows."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest
from servestatic.compress import Compressor

from teamroles.web import server
from teamroles.web.compress import IMMUTABLE, CompressedStatic, streamlit_static_dir
from tests.apptest import open_app, open_url
from tests.threads import run_async

BROWSER = "gzip, deflate, br, zstd"  # what Chromium sends
SCRIPT = "js/index.abc123.js"
BODY = b"export const team = ['PM', 'DS', 'Dev team', 'QA'];\n" * 400


class CountingCompressor(Compressor):
    def __init__(self):
        super().__init__(use_zstd=False, quiet=True)
        self.compressed: list[str] = []

    def compress(self, path):
        self.compressed.append(Path(path).name)
        return super().compress(path)


async def _streamlit(scope, receive, send):
    """Stands for Streamlit: answers every request it is given, uncompressed."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-from", b"st")]})
    await send({"type": "http.response.body", "body": b"from streamlit"})


def get(app, path: str, accept: str | None = BROWSER, method: str = "GET", extra=()):
    """One request through the ASGI app: (status, headers, body)."""
    headers = [(b"accept-encoding", accept.encode())] if accept is not None else []
    headers += list(extra)
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
    }
    messages = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    run_async(app(scope, receive, send))
    start = messages[0]
    found = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], found, b"".join(m.get("body", b"") for m in messages[1:])


@pytest.fixture
def source(tmp_path):
    """A Streamlit-like static folder: index.html and static/js/<hashed>.js."""
    folder = tmp_path / "streamlit-static"
    (folder / "static" / "js").mkdir(parents=True)
    (folder / "static" / SCRIPT).write_bytes(BODY)
    (folder / "index.html").write_text("<html></html>")
    return folder


def test_a_file_is_compressed_once_however_many_ask_for_it(source, tmp_path):
    compressor = CountingCompressor()
    app = CompressedStatic(
        _streamlit, source=source, cache_dir=tmp_path / "cache", compressor=compressor
    )
    first = get(app, f"/static/{SCRIPT}")
    second = get(app, f"/static/{SCRIPT}")
    third = get(app, f"/static/{SCRIPT}", accept="gzip")
    assert compressor.compressed == [Path(SCRIPT).name]
    assert first[0] == second[0] == 200
    assert first[1]["content-encoding"] == "br" and brotli.decompress(first[2]) == BODY
    assert second[2] == first[2]
    assert third[1]["content-encoding"] == "gzip" and gzip.decompress(third[2]) == BODY
    assert len(first[2]) < len(BODY) / 10


def test_a_restarted_server_compresses_nothing_again(source, tmp_path):
    before, after = CountingCompressor(), CountingCompressor()
    cache = tmp_path / "cache"
    get(
        CompressedStatic(_streamlit, source=source, cache_dir=cache, compressor=before),
        f"/static/{SCRIPT}",
    )
    status, _, body = get(
        CompressedStatic(_streamlit, source=source, cache_dir=cache, compressor=after),
        f"/static/{SCRIPT}",
    )
    assert before.compressed and after.compressed == []
    assert status == 200 and brotli.decompress(body) == BODY


def test_the_compressed_file_keeps_streamlits_caching_and_says_it_varies(source, tmp_path):
    app = CompressedStatic(_streamlit, source=source, cache_dir=tmp_path / "cache")
    _, headers, _ = get(app, f"/static/{SCRIPT}")
    assert headers["cache-control"] == IMMUTABLE
    assert headers["vary"] == "Accept-Encoding"
    assert headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize(
    "path, accept",
    [
        (f"/static/{SCRIPT}", None),  # a client that accepts no compression
        (f"/static/{SCRIPT}", "identity"),
        ("/static/js/not-there.js", BROWSER),  # not one of Streamlit's files
        ("/static/../index.html", BROWSER),
        ("/join", BROWSER),  # a page: Streamlit's own gzip decides
        (f"/join/static/{SCRIPT}", BROWSER),  # not the static route
    ],
)
def test_anything_else_goes_to_streamlit_unchanged(source, tmp_path, path, accept):
    compressor = CountingCompressor()
    app = CompressedStatic(
        _streamlit, source=source, cache_dir=tmp_path / "cache", compressor=compressor
    )
    status, headers, body = get(app, path, accept=accept)
    assert (status, headers.get("x-from"), body) == (200, "st", b"from streamlit")
    assert compressor.compressed == []


def test_the_app_serves_streamlits_own_files_through_it():
    assert any(m.cls is CompressedStatic for m in server.middleware())
    assert (streamlit_static_dir() / "index.html").is_file()


def test_it_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("TEAMROLES_COMPRESS", "0")
    assert not any(m.cls is CompressedStatic for m in server.middleware())


def test_the_join_page_draws_no_progress_store_other_pages_do():
    """The join page is a phone's first visit: the browser store's component (its
    script and Arrow's) is not drawn there."""
    at = open_app()
    assert at.sidebar.get("bidi_component"), "the home page keeps a reader's progress"
    open_url(at, "join")
    assert not at.sidebar.get("bidi_component")
    open_url(at, "quiz")
    assert at.sidebar.get("bidi_component")


def test_a_revalidation_or_a_range_is_answered_from_the_compressed_copy(source, tmp_path):
    app = CompressedStatic(_streamlit, source=source, cache_dir=tmp_path / "cache")
    _, headers, body = get(app, f"/static/{SCRIPT}")
    head = get(app, f"/static/{SCRIPT}", method="HEAD")
    assert head[0] == 200 and head[2] == b"" and head[1]["content-length"] == str(len(body))
    again = get(app, f"/static/{SCRIPT}", extra=[(b"if-none-match", headers["etag"].encode())])
    assert again[0] == 304 and again[2] == b""
    part = get(app, f"/static/{SCRIPT}", extra=[(b"range", b"bytes=0-9")])
    assert part[0] == 206 and part[2] == body[:10]
