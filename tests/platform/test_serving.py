"""The real servers: `hansyn run` (Flask's development server) and `make run`'s gunicorn with
--preload and two workers answer on the port they are given, and a person can log in over HTTP
with the real form and CSRF token and keep using the session, whichever worker answers."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

HANSYN = str(Path(sys.executable).with_name("hansyn"))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SERVERS = {
    "hansyn-run": lambda port: [HANSYN, "run", "--host", "127.0.0.1", "--port", str(port)],
    "gunicorn-preload": lambda port: [
        GUNICORN,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--preload",
        "--no-control-socket",
        "hansyn.platform.wsgi:app",
    ],
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors = process.stderr.read().decode() if process.stderr else ""
            raise AssertionError(f"server exited early: {errors}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.fixture
def served_instance(tmp_path, database_url):
    if database_url is not None:
        pytest.skip("served over SQLite; the PostgreSQL run covers the same code in-process")
    env = {
        **os.environ,
        "HANSYN_INSTANCE_PATH": str(tmp_path),
        "HANSYN_ENV": "development",
        "HANSYN_PASSWORD_HASHING": "fast",
        "HANSYN_DEMO_PASSWORD": "hansyn-demo-2026",
    }
    env.pop("HANSYN_DATABASE_URL", None)
    subprocess.run(  # noqa: S603 (our own command, no shell)
        [HANSYN, "demo"], env=env, check=True, capture_output=True, timeout=600
    )
    return env


@pytest.mark.parametrize("server", SERVERS)
def test_server_serves_health_and_login(served_instance, server):
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (our own command, no shell)
        SERVERS[server](port),
        env=served_instance,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz", process)
        cookies = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        with opener.open(f"{base}/login", timeout=30) as page:
            html = page.read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        credentials = {"email": "coordinator@goteborg.example", "password": "hansyn-demo-2026"}
        form = urllib.parse.urlencode({**credentials, "csrf_token": token}).encode()
        with opener.open(f"{base}/login", data=form, timeout=30) as response:
            landing = response.read().decode()
            assert response.url.endswith("/goteborg/")
        assert "Göteborgs stad" in landing
        for _ in range(6):  # new connections each time: both gunicorn workers get some
            with opener.open(f"{base}/goteborg/", timeout=30) as page:
                assert page.url.endswith("/goteborg/")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()
