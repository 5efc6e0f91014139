"""A site of several web processes behind a local nginx, for the platform test and the bench.

`two_machines()` starts what production runs on two machines, all on loopback ports:

- a database: a new PostgreSQL database when DATABASE_URL names PostgreSQL (dropped at the
  end), otherwise a shared SQLite file;
- Redis (127.0.0.1:6379, keys under a prefix of their own, removed at the end);
- an S3 server (moto's ThreadedMotoServer) with a bucket for the documents;
- N granian web processes and one task worker (`manage.py worker`), with production
  settings (DEBUG off) from the environment;
- nginx: one port balancing over every web process, and one port per web process, so that a
  test can write through one and read through the other.
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")
REDIS = ("127.0.0.1", 6379)
REVISION_SECONDS = 1.0


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def missing_services() -> str | None:
    """Why the site cannot be started here, or None."""
    if nginx_binary() is None:
        return "nginx is not installed (scripts/system-deps.sh installs nginx-light)"
    if not redis_answers():
        return "Redis does not answer at 127.0.0.1:6379"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes] | None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process ended ({process.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.2)


@dataclass
class Site:
    """The running site: `balanced` goes through nginx to any web process, `direct[i]`
    through nginx to web process i only."""

    env: dict[str, str]
    balanced: str
    direct: list[str]
    bucket: str
    s3_endpoint: str
    database_url: str
    web: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def manage(self, *args: str, timeout: float = 600) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code).strip()

    def s3_objects(self) -> list[str]:
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.s3_endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        listed = client.list_objects_v2(Bucket=self.bucket)
        return [item["Key"] for item in listed.get("Contents", [])]


@contextlib.contextmanager
def _database() -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urllib.parse.urlsplit(url)
        name = f"utsikt_machines_{os.getpid()}_{secrets.token_hex(3)}"
        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            yield parts._replace(path=f"/{name}").geturl()
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    [name],
                )
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
    else:
        with tempfile.TemporaryDirectory(prefix="utsikt-machines-") as folder:
            yield f"sqlite:///{folder}/shared.sqlite3"


@contextlib.contextmanager
def _s3() -> Iterator[tuple[str, str]]:
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per S3 request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    bucket = "utsikt-documents"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=bucket)
    try:
        yield endpoint, bucket
    finally:
        server.stop()


def _remove_redis_keys(prefix: str) -> None:
    import redis

    client = redis.Redis(host=REDIS[0], port=REDIS[1])
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def _nginx_conf(work: Path, balanced: int, direct: list[int], upstreams: list[int]) -> str:
    servers = "\n".join(f"    server 127.0.0.1:{port};" for port in upstreams)
    proxy = """
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Request-ID $request_id;
      add_header X-Upstream $upstream_addr always;
    """
    blocks = [
        f"""
  server {{
    listen 127.0.0.1:{balanced};
    location / {{ proxy_pass http://web; {proxy} }}
  }}"""
    ]
    for port, upstream in zip(direct, upstreams, strict=True):
        blocks.append(
            f"""
  server {{
    listen 127.0.0.1:{port};
    location / {{ proxy_pass http://127.0.0.1:{upstream}; {proxy} }}
  }}"""
        )
    return f"""
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_max_body_size 11m;
  client_body_buffer_size 11m;
  proxy_buffering off;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  upstream web {{
{servers}
    keepalive 64;
  }}
  {"".join(blocks)}
}}
"""


@contextlib.contextmanager
def two_machines(
    web_processes: int = 2,
    *,
    threads: int = 16,
    extra_env: dict[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[Site]:
    """Start the site (see the module's docstring); everything stops and is removed after."""
    prefix = f"utsikt-test-{uuid.uuid4().hex[:10]}"
    processes: list[subprocess.Popen[bytes]] = []
    log_file = open(log or os.devnull, "ab")  # noqa: SIM115
    with (
        _database() as database_url,
        _s3() as (endpoint, bucket),
        tempfile.TemporaryDirectory(prefix="utsikt-nginx-") as work,
    ):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "UTSIKT_ENV_FILE": os.devnull,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "two-machines-test-only-" + "k" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_LOG_LEVEL": "ERROR",
            "UTSIKT_TRUSTED_PROXIES": "1",
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0",
            "UTSIKT_CACHE_PREFIX": prefix,
            "UTSIKT_S3_BUCKET": bucket,
            "UTSIKT_S3_ENDPOINT_URL": endpoint,
            "UTSIKT_S3_REGION": "us-east-1",
            "UTSIKT_S3_ACCESS_KEY_ID": "testing",
            "UTSIKT_S3_SECRET_ACCESS_KEY": "testing",
            "UTSIKT_S3_ADDRESSING_STYLE": "path",
            "UTSIKT_REVISION_SECONDS": str(REVISION_SECONDS),
            "UTSIKT_HEARTBEAT_SECONDS": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            **(extra_env or {}),
        }
        env.pop("PYTEST_XDIST_WORKER", None)
        work_dir = Path(work)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (work_dir / sub).mkdir()
        os.chmod(work, 0o777)  # noqa: S103 - nginx's workers run as nobody under root
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.chmod(work_dir / sub, 0o777)  # noqa: S103
        site = Site(env, "", [], bucket, endpoint, database_url)
        try:
            site.manage("migrate", "--no-input", "-v0")
            site.manage("createcachetable")
            site.manage("collectstatic", "--no-input", "-v0")
            site.manage("load_demo")
            ports = [free_port() for _ in range(web_processes)]
            for port in ports:
                process = subprocess.Popen(
                    [
                        GRANIAN,
                        "--interface",
                        "wsgi",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--workers",
                        "1",
                        "--blocking-threads",
                        str(threads),
                        "--log-level",
                        "error",
                        "config.wsgi:application",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log_file,
                    stderr=log_file,
                )
                processes.append(process)
                site.web.append(process)
            processes.append(
                subprocess.Popen(
                    [
                        PYTHON,
                        "manage.py",
                        "worker",
                        "--queue-name",
                        "*",
                        "--no-reload",
                        "--interval",
                        "0.5",
                        "-v0",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log_file,
                    stderr=log_file,
                )
            )
            balanced = free_port()
            direct = [free_port() for _ in ports]
            conf = work_dir / "nginx.conf"
            conf.write_text(_nginx_conf(work_dir, balanced, direct, ports))
            nginx = subprocess.Popen(
                [str(nginx_binary()), "-c", str(conf), "-g", "daemon off;"],
                stdout=log_file,
                stderr=log_file,
            )
            processes.append(nginx)
            for port, process in zip(ports, site.web, strict=True):
                wait_for(f"http://127.0.0.1:{port}/ping", process)
            site.balanced = f"http://127.0.0.1:{balanced}"
            site.direct = [f"http://127.0.0.1:{port}" for port in direct]
            for base in [site.balanced, *site.direct]:
                wait_for(base + "/ping", nginx)
            yield site
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in reversed(processes):
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
            _remove_redis_keys(prefix)
            log_file.close()


class Browser:
    """A person's browser: one cookie jar for every port of 127.0.0.1 (cookies, like
    browsers, ignore the port), redirects not followed."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def cookie(self, name: str) -> str:
        return next(c.value or "" for c in self.jar if c.name == name)

    def request(
        self,
        url: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers (lower-case names) and body."""
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                headers = {k.lower(): v for k, v in response.headers.items()}
                return response.status, headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()

    def get(self, url: str) -> tuple[int, dict[str, str], bytes]:
        return self.request(url)

    def post(
        self,
        url: str,
        fields: dict[str, str],
        files: dict[str, tuple[str, str, bytes]] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken"), **fields}
        headers = {"Referer": url}
        if files:
            boundary = uuid.uuid4().hex
            body = b""
            for name, value in fields.items():
                body += (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n"
                ).encode()
            for name, (filename, content_type, content) in files.items():
                body += (
                    (
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                        f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
                    ).encode()
                    + content
                    + b"\r\n"
                )
            body += f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(url, body, headers)

    def log_in(self, base: str, email: str, password: str = "utsikt-demo") -> None:  # noqa: S107
        status, _headers, _body = self.get(base + "/login/")
        assert status == 200
        status, headers, _body = self.post(
            base + "/login/", {"username": email, "password": password}
        )
        assert status == 302 and "/login/" not in headers.get("location", ""), status


def one_request(url: str) -> int:
    """The status of one GET without cookies (http.client: no pooling, no retries)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
