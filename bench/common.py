"""Shared benchmark helpers: start the real server, hammer a URL, report figures as JSON.

Every benchmark measures its pages side by side with the empty view (`/ping`) in the same
run, because these machines are noisy: ratios hold where absolute numbers drift.

    from bench.common import serve, hammer, login_cookie
    with serve() as base:
        empty = hammer(base + "/ping")
        page = hammer(base + "/some/page")
        print(json.dumps({"ratio": page["rps"] / empty["rps"]}))
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")
EMPTY_VIEW = "/ping"

# Production-like: DEBUG off, manifest static files; plain HTTP on loopback.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_HSTS_SECONDS": "0",
    "DJANGO_LOG_LEVEL": "ERROR",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(*args: str, env: dict[str, str] | None = None) -> str:
    """Run a management command with the server's environment; returns its output."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def prepare(env: dict[str, str] | None = None) -> None:
    """Migrate, load reference and demo data, collect static files (all idempotent)."""
    manage("migrate", "--no-input", "-v0", env=env)
    manage("createcachetable", env=env)
    manage("collectstatic", "--no-input", "-v0", env=env)
    manage("load_demo", env=env)


@contextlib.contextmanager
def serve(
    env: dict[str, str] | None = None,
    workers: int = 1,
    prepared: bool = False,
    root: Path = ROOT,
) -> Iterator[str]:
    """Start granian (WSGI) on a free port; yields the base URL and stops it afterwards.

    `root` is the checkout whose code it serves (another revision's, see `checkout`).
    """
    if not prepared:
        prepare(env)
    port = free_port()
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
            str(workers),
            "--blocking-threads",
            "16",  # as scripts/serve.sh
            "--log-level",
            "error",
            "config.wsgi:application",
        ],
        cwd=root,
        env={**os.environ, **SERVER_ENV, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a busy machine starts slowly
        while True:
            try:
                with urllib.request.urlopen(base + EMPTY_VIEW, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    # A server still starting (or its worker) holds its stderr open: stop
                    # it and read what it said with a time limit, or the read waits for ever.
                    process.kill()
                    try:
                        said = process.communicate(timeout=5)[1] or b""
                    except subprocess.TimeoutExpired:
                        said = b"(nothing within 5 s)"
                    raise RuntimeError("server did not start: " + said.decode()) from None
                time.sleep(0.2)
        # Warm up: the first requests pay for imports and connections.
        for _ in range(20):
            urllib.request.urlopen(base + EMPTY_VIEW, timeout=5).read()
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def checkout(revision: str, env: dict[str, str]) -> Iterator[Path]:
    """The code of a git revision in a temporary directory, static files collected, to serve
    beside today's on the same database (nothing in the repository changes)."""
    with tempfile.TemporaryDirectory(prefix="bench-then-") as work:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", work], input=archive, check=True)
        (Path(work) / ".venv").symlink_to(ROOT / ".venv")
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=work,
            env={**os.environ, **SERVER_ENV, **env},
            check=True,
        )
        yield Path(work)


def login_cookie(base: str, email: str, password: str = "utsikt-demo") -> str:  # noqa: S107
    """Log in through the real form; returns a Cookie header for the session."""
    parsed = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookies = {
        c.split("=", 1)[0]: c.split("=", 1)[1].split(";", 1)[0]
        for c in response.headers.get_all("Set-Cookie") or []
    }
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    conn.request(
        "POST",
        "/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": base + "/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        cookies[name] = value
    if "sessionid" not in cookies:
        raise RuntimeError(f"log-in as {email} failed ({response.status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _wrk(
    url: str,
    seconds: float,
    concurrency: int,
    method: str,
    body: str | None,
    headers: dict[str, str],
) -> dict[str, Any]:
    script = "wrk.method = " + json.dumps(method) + "\n"
    if body is not None:
        script += "wrk.body = " + json.dumps(body) + "\n"
    for name, value in headers.items():
        script += f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(concurrency),
                "-d",
                f"{max(1, round(seconds))}s",
                "--latency",
                "-s",
                lua.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(lua.name)
    out = result.stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if match is None:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    requests = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "client": "wrk",
        "requests": int(requests.group(1)) if requests else 0,
        "rps": round(float(rps.group(1)), 1) if rps else 0.0,
        "p50_ms": round(latency("50"), 2),
        "p99_ms": round(latency("99"), 2),
        "errors": errors,
    }


def _python_client(
    url: str,
    seconds: float,
    concurrency: int,
    method: str,
    body: str | None,
    headers: dict[str, str],
) -> dict[str, Any]:
    parsed = urllib.parse.urlsplit(url)
    target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
            except OSError:
                failed += 1
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "client": "python",
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(quantiles[49], 2),
        "p99_ms": round(quantiles[98], 2),
        "errors": errors,
    }


def hammer(
    url: str,
    seconds: float = 5,
    concurrency: int = 8,
    method: str = "GET",
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Requests per second, p50 and p99 latency (ms) and error count for one URL.

    Uses wrk when installed (the honest client: it costs the server's cores little),
    otherwise a threaded Python client; the figures say which.
    """
    if shutil.which("wrk"):
        return _wrk(url, seconds, concurrency, method, body, headers or {})
    return _python_client(url, seconds, concurrency, method, body, headers or {})


def ratio(part: dict[str, Any], whole: dict[str, Any]) -> float:
    return round(part["rps"] / whole["rps"], 3) if whole["rps"] else 0.0


def print_json(figures: dict[str, Any]) -> None:
    json.dump(figures, sys.stdout, indent=2)
    sys.stdout.write("\n")
