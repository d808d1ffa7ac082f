"""A cluster: app servers sharing one PostgreSQL, nginx in front (the browser tests and
the 1,000-phone benchmark run one).

`running_cluster()` starts `streamlit run app.py` on two free ports, on a fresh schema
of the test PostgreSQL ($TEAMROLES_TEST_POSTGRES_URL, else the local one CI makes),
then nginx on a third free port with the shipped `deploy/nginx/teamroles.conf`, of
which only the port numbers are changed. It waits until the app answers through the
proxy, and stops nginx, the servers and the schema at the end: nothing is left running.

nginx runs as its own process (`nginx -p PREFIX -c FILE -g 'daemon off;'`) with a
small main configuration around the shipped file: the system's nginx service is never
started or touched. The access log names the server that answered each request
(`$upstream_addr`), so a test can tell which server the proxy sends it to.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.server import ROOT, Server, free_port, run_server
from teamroles.room import make_engine, upgrade

NGINX_SITE = ROOT / "deploy" / "nginx" / "teamroles.conf"
POSTGRES_ENV = "TEAMROLES_TEST_POSTGRES_URL"
LOCAL_POSTGRES = "postgresql+psycopg://teamroles:teamroles@127.0.0.1:5432/teamroles_test"

# Around the shipped file (which goes inside `http { }`): everything nginx writes stays
# in the prefix, and the access log says which server answered.
MAIN_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    log_format cluster '$remote_addr "$request" $status upstream=$upstream_addr';
    access_log {prefix}/access.log cluster;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/teamroles.conf;
}}
"""

_UPSTREAM = re.compile(r"(upstream teamroles \{)(.*?)(\n\})", re.S)
_UPSTREAM_SERVER = re.compile(r"^(\s*)server\s+\S+;\n", re.M)
_LISTEN = re.compile(r"^(\s*)listen\s+\d+;", re.M)


def site_config(listen: int, upstream_ports: list[int], text: str | None = None) -> str:
    """The shipped nginx file with its ports changed: `listen` and the upstream's servers.

    Fails if the file no longer has what is replaced, so the tests never run a config
    other than the shipped one."""
    text = NGINX_SITE.read_text(encoding="utf-8") if text is None else text
    upstream = _UPSTREAM.search(text)
    if upstream is None:
        raise ValueError(f"{NGINX_SITE}: no `upstream teamroles {{ ... }}` block")
    body = upstream.group(2)
    servers = list(_UPSTREAM_SERVER.finditer(body))
    if not servers:
        raise ValueError(f"{NGINX_SITE}: the upstream lists no `server HOST:PORT;`")
    indent = servers[0].group(1)
    ours = "".join(f"{indent}server 127.0.0.1:{port};\n" for port in upstream_ports)
    body = body[: servers[0].start()] + ours + _UPSTREAM_SERVER.sub("", body[servers[0].end() :])
    text = text[: upstream.start(2)] + body + text[upstream.end(2) :]
    text, listens = _LISTEN.subn(lambda m: f"{m.group(1)}listen 127.0.0.1:{listen};", text)
    if listens != 1:
        raise ValueError(f"{NGINX_SITE}: expected one `listen PORT;`, found {listens}")
    return text


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise RuntimeError("Debian's nginx is not installed: run `apt-get install nginx`")
    return found


# ---------------------------------------------------------------- PostgreSQL


def postgres_url() -> str:
    return os.environ.get(POSTGRES_ENV) or LOCAL_POSTGRES


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL, migrated; its URL; dropped at the end.

    The schema is migrated here, once, so that servers starting together do not race
    to create the tables."""
    base = make_url(postgres_url())
    admin = make_engine(base.update_query_dict({"connect_timeout": "3"}))
    schema = f"cluster_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        admin.dispose()
        raise RuntimeError(f"PostgreSQL at {base!r} is not reachable: {error}") from error
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    try:
        engine = make_engine(url_text)
        upgrade(engine)
        engine.dispose()
        yield url_text
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def restart_postgres(url: str) -> None:
    """Restart the PostgreSQL cluster behind `url` (`pg_ctlcluster`, as root), which
    drops every connection to it, and return once it accepts connections again."""
    engine = make_engine(url)
    with engine.connect() as connection:
        version, name = connection.execute(sa.text("SHOW cluster_name")).scalar_one().split("/")
    engine.dispose()
    subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True, timeout=120)


# ---------------------------------------------------------------- the cluster


@dataclass
class Cluster:
    """Running app servers, nginx in front of them, and the database they share."""

    servers: list[Server]
    proxy_url: str
    database_url: str
    access_log: Path

    def proxied(self) -> Server:
        """The server nginx sends this machine's browsers to (ip_hash: every request from
        127.0.0.1 goes to the same one), read from the access log after a request."""
        probe = uuid.uuid4().hex
        health = f"{self.proxy_url}/_stcore/health?probe={probe}"
        with urllib.request.urlopen(health, timeout=10) as response:
            response.read()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # nginx logs a request once it has answered it
            lines = self.access_log.read_text(encoding="utf-8").splitlines()
            line = next((line for line in lines if probe in line), None)
            if line is not None:
                port = int(line.rsplit("upstream=", 1)[1].strip().rsplit(":", 1)[1])
                return next(server for server in self.servers if urlsplit(server.url).port == port)
            time.sleep(0.05)
        raise TimeoutError(f"nginx logged no request with probe={probe}")

    def other_than(self, server: Server) -> Server:
        return next(other for other in self.servers if other is not server)


@contextlib.contextmanager
def nginx_process(
    listen: int, upstream_ports: list[int], connections: int | None = None
) -> Iterator[tuple[subprocess.Popen, Path]]:
    """nginx with the shipped config on `listen`, in front of `upstream_ports`; yields
    the master process and its prefix folder (access.log, error.log); stopped at the end.
    `connections`: the worker's connection limit, for more clients than the default
    1,024 (the bench's 1,000 phones each hold a websocket and a long poll)."""
    prefix = Path(tempfile.mkdtemp(prefix="teamroles-nginx-"))
    prefix.chmod(0o755)  # nginx's workers drop root and must reach their temp folders
    (prefix / "teamroles.conf").write_text(site_config(listen, upstream_ports))
    main = MAIN_CONF.format(prefix=prefix)
    if connections:
        main = main.replace(
            "worker_processes 1;", f"worker_processes 1;\nworker_rlimit_nofile {2 * connections};"
        ).replace("worker_connections 1024;", f"worker_connections {connections};")
    (prefix / "nginx.conf").write_text(main)
    command = [nginx_binary(), "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
    try:
        subprocess.run([*command, "-t", "-q"], check=True, capture_output=True, timeout=30)
        with (prefix / "stderr.log").open("wb") as log:
            process = subprocess.Popen(
                [*command, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT
            )
        try:
            _wait_for_proxy(f"http://127.0.0.1:{listen}", process, prefix)
            yield process, prefix
        finally:
            process.terminate()  # SIGTERM: the master stops its workers, then itself
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def _wait_for_proxy(url: str, process: subprocess.Popen, prefix: Path, timeout=30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = [prefix / "stderr.log", prefix / "error.log"]
            text = "".join(p.read_text(errors="replace") for p in errors if p.exists())
            raise RuntimeError(f"nginx exited: {text}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
        ):
            if response.read().decode().strip() == "ok":
                return
        time.sleep(0.2)
    raise TimeoutError(f"nginx at {url} did not pass a healthy app server through")


@contextlib.contextmanager
def running_cluster(servers: int = 2, env: dict[str, str] | None = None) -> Iterator[Cluster]:
    """`servers` app servers on one fresh PostgreSQL schema, nginx in front (see above)."""
    with postgres_schema() as url, contextlib.ExitStack() as stack:
        environment = {"TEAMROLES_DATABASE_URL": url, **(env or {})}
        running = [
            stack.enter_context(run_server("app.py", env=environment)) for _ in range(servers)
        ]
        listen = free_port()
        ports = [urlsplit(server.url).port for server in running]
        _, prefix = stack.enter_context(nginx_process(listen, ports))
        yield Cluster(running, f"http://127.0.0.1:{listen}", url, prefix / "access.log")
