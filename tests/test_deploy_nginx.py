"""The shipped nginx config (deploy/nginx/teamroles.conf), read as nginx reads it.

The browser tests (test_browser_cluster.py) run it; these check what a short test run
cannot show: a held changes request outlasts nothing nginx cuts, a websocket lives for
hours, and exactly one layer compresses.
"""

from __future__ import annotations

import re

import pytest

from bench import cluster
from teamroles.room import broker

# How long the app holds a changes request (the broker's default).
HOLD_SECONDS = broker.HOLD_SECONDS
_TOKEN = re.compile(r"""#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{};]|[^\s{};#"']+""")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse(text: str) -> list:
    """nginx's syntax as nested lists: (name, args, children or None)."""
    tokens = [t for t in _TOKEN.findall(text) if not t.startswith("#")]
    position = 0

    def block() -> list:
        nonlocal position
        items, words = [], []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == ";":
                items.append((words[0], words[1:], None))
                words = []
            elif token == "{":
                items.append((words[0], words[1:], block()))
                words = []
            elif token == "}":
                return items
            else:
                words.append(token.strip("\"'"))
        assert not words, f"unterminated directive {words}"
        return items

    return block()


def seconds(value: str) -> float:
    number, unit = re.fullmatch(r"(\d+)(ms|s|m|h|d)?", value).groups()
    return int(number) * _UNITS[unit or "s"]


def find(items: list, name: str, *args: str) -> list:
    return [item for item in items if item[0] == name and (not args or item[1] == list(args))]


def value(items: list, name: str) -> list[str]:
    (found,) = find(items, name)
    return found[1]


CONFIG = parse(cluster.NGINX_SITE.read_text(encoding="utf-8"))
(SERVER,) = (item[2] for item in find(CONFIG, "server"))
(UPSTREAM,) = (item[2] for item in find(CONFIG, "upstream", "teamroles"))


def location(*args: str) -> list:
    (found,) = find(SERVER, "location", *args)
    return found[2]


def test_every_request_goes_to_a_server_chosen_by_client_address():
    assert find(UPSTREAM, "ip_hash")
    assert len(find(UPSTREAM, "server")) >= 2
    for path in (("/",), ("=", "/_stcore/stream"), ("/rooms/",)):
        assert value(location(*path), "proxy_pass") == ["http://teamroles"], path


def test_a_held_changes_request_is_passed_on_unbuffered_and_never_cut_by_nginx():
    rooms = location("/rooms/")
    assert value(rooms, "proxy_buffering") == ["off"]
    assert seconds(value(rooms, "proxy_read_timeout")[0]) >= 2 * HOLD_SECONDS


def test_a_websocket_is_upgraded_and_kept_for_hours():
    headers = {args[0]: args[1] for _, args, _ in find(SERVER, "proxy_set_header")}
    assert headers["Upgrade"] == "$http_upgrade"
    (upgrade_map,) = (item for item in find(CONFIG, "map") if item[1][1] == headers["Connection"])
    assert upgrade_map[1][0] == "$http_upgrade"
    assert value(upgrade_map[2], "default") == ["upgrade"]
    assert headers["Host"] == "$http_host"  # Streamlit checks Origin against Host, port too
    assert value(SERVER, "proxy_http_version") == ["1.1"]
    stream = location("=", "/_stcore/stream")
    assert seconds(value(stream, "proxy_read_timeout")[0]) >= 3600
    # A location that set a header of its own would drop all the server's headers.
    for _, _, children in find(SERVER, "location"):
        assert not find(children, "proxy_set_header")


def test_the_app_compresses_and_sets_cache_headers_and_nginx_changes_neither():
    assert value(SERVER, "gzip") == ["off"]
    everything = [SERVER] + [children for _, _, children in find(SERVER, "location")]
    for items in everything:
        for name in ("proxy_cache", "expires", "proxy_hide_header", "gunzip", "add_header"):
            assert not find(items, name), name


def test_the_tests_run_the_shipped_file_with_only_its_ports_changed():
    rendered = cluster.site_config(9000, [9001, 9002, 9003])
    parsed = parse(rendered)
    (upstream,) = (item[2] for item in find(parsed, "upstream", "teamroles"))
    servers = [args for _, args, _ in find(upstream, "server")]
    assert servers == [["127.0.0.1:9001"], ["127.0.0.1:9002"], ["127.0.0.1:9003"]]
    (server,) = (item[2] for item in find(parsed, "server"))
    assert value(server, "listen") == ["127.0.0.1:9000"]
    shipped = cluster.NGINX_SITE.read_text(encoding="utf-8")
    assert _without_ports(rendered) == _without_ports(shipped)
    with pytest.raises(ValueError, match="listen"):
        cluster.site_config(9000, [9001], text=shipped.replace("listen 80;", ""))
    with pytest.raises(ValueError, match="upstream"):
        cluster.site_config(9000, [9001], text=shipped.replace("upstream teamroles", "x"))


def _without_ports(text: str) -> str:
    return re.sub(r"^\s*(server|listen)\s+[^\s{]+;\n", "", text, flags=re.M)
