"""Browser fixtures: the default site served by nginx on 127.0.0.1 (free port) under the
portal's sub-path /zt/yshj/, with deploy/nginx.conf.example itself, and one Chromium per
test session (Debian's /usr/bin/chromium driven by Playwright; nothing downloaded)."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

NGINX = "/usr/sbin/nginx"
ROOT = Path(__file__).resolve().parents[2]
NGINX_EXAMPLE = ROOT / "deploy" / "nginx.conf.example"
SUB_PATH = "/zt/yshj/"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_config(site: Path, port: int, work: Path) -> str:
    """A whole nginx.conf around the shipped example, pointed at site and port."""
    server = NGINX_EXAMPLE.read_text(encoding="utf-8")
    replacements = [
        (r"listen 80;\s*# TEST listen", f"listen 127.0.0.1:{port};"),
        (r"server_name [^;]+;\s*# TEST server_name", "server_name 127.0.0.1;"),
        (r"alias [^;]+;\s*# TEST site", f"alias {site.resolve()}/;"),
    ]
    for pattern, value in replacements:
        server, count = re.subn(pattern, value, server)
        assert count == 1, f"deploy/nginx.conf.example: no line matching {pattern}"
    temp = "\n".join(f"    {name}_temp_path {work / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {work / 'nginx.pid'};
error_log {work / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
{server}
}}
"""


def start_nginx(site: Path, work: Path):
    """nginx in the foreground (not a daemon) serving site under SUB_PATH; returns (process, url)."""
    port = _free_port()
    conf = work / "nginx.conf"
    conf.write_text(nginx_config(site, port, work), encoding="utf-8")
    process = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(work)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}{SUB_PATH}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.communicate()[0].decode(errors="replace")
                log = (work / "error.log").read_text(errors="replace") if (work / "error.log").exists() else ""
                pytest.fail(f"nginx did not start:\n{output}\n{log}")
            time.sleep(0.1)


def stop_nginx(process) -> None:
    process.terminate()  # SIGTERM: fast shutdown of master and worker
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def site_url(built_site, tmp_path_factory):
    """The built site as the portal serves it: nginx, /zt/yshj/, gzip, headers, 404 page."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    process, url = start_nginx(built_site, tmp_path_factory.mktemp("nginx"))
    yield url
    stop_nginx(process)


@pytest.fixture(scope="session")
def serve(tmp_path_factory):
    """serve(site) -> its URL under /zt/yshj/, through nginx as site_url: for a test's own
    built project. Every nginx started is stopped at the end of the session."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    started = []

    def start(site: Path) -> str:
        process, url = start_nginx(site, tmp_path_factory.mktemp("nginx"))
        started.append(process)
        return url

    yield start
    for process in started:
        stop_nginx(process)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser context per test: its own localStorage, 1280 px wide."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()
