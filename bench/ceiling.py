"""The machine's ceiling: an empty view through the full middleware, and a static file.

Starts the real server (granian, WSGI, DEBUG off) and prints JSON: requests/s and p50/p99
latency of /ping for an anonymous visitor and for a signed-in person, and, when nginx is
installed, of a static file served by nginx; plus their ratios, measured in one run.

    .venv/bin/python -m bench.ceiling [--seconds 5] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import EMPTY_VIEW, ROOT, free_port, hammer, login_cookie, print_json, ratio, serve


@contextlib.contextmanager
def nginx_static() -> Iterator[str | None]:
    """nginx serving the collected static files on a free port, if nginx is installed."""
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        yield None
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        conf = Path(work) / "nginx.conf"
        conf.write_text(
            f"""
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}; proxy_temp_path {work}; fastcgi_temp_path {work};
  uwsgi_temp_path {work}; scgi_temp_path {work};
  server {{
    listen 127.0.0.1:{port};
    location /static/ {{ alias {ROOT}/staticfiles/; }}
  }}
}}
"""
        )
        process = subprocess.Popen([binary, "-c", str(conf), "-g", "daemon off;"])
        time.sleep(0.5)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    load = {"seconds": args.seconds, "concurrency": args.concurrency}

    with serve() as base:
        anonymous = hammer(base + EMPTY_VIEW, **load)
        cookie = login_cookie(base, "maja.lindqvist@example.org")
        signed_in = hammer(base + EMPTY_VIEW, headers={"Cookie": cookie}, **load)
        with nginx_static() as static_base:
            static = hammer(static_base + "/static/css/utsikt.css", **load) if static_base else None
    figures = {
        "server": "granian WSGI, 1 worker, DEBUG off, full middleware",
        "load": load,
        "empty_view_anonymous": anonymous,
        "empty_view_signed_in": signed_in,
        "signed_in_to_anonymous": ratio(signed_in, anonymous),
    }
    if static is not None:
        figures["static_file_nginx"] = static
        figures["anonymous_to_static"] = ratio(anonymous, static)
    else:
        figures["static_file_nginx"] = "nginx not installed"
    print_json(figures)


if __name__ == "__main__":
    main()
