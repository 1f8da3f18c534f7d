"""`hospiscope serve` and `hospiscope run` serve the portal: the address is printed, pages
answer, Ctrl-C stops cleanly (exit code 0); a missing warehouse or a port in use is said in
French."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from support import FIXTURES, hospiscope


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def registry_warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    hospiscope("import", "registry", "-w", path, FIXTURES / "finess" / "etalab-extrait.csv")
    return path


def start(*args):
    process = subprocess.Popen(
        [sys.executable, "-m", "hospiscope", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if "Portail hospiscope : http://" in line:
            return process, line
    process.kill()
    raise AssertionError("".join(lines) + process.stderr.read())


def test_serve_answers_then_stops_cleanly_on_ctrl_c(tmp_path):
    port = free_port()
    process, line = start("serve", "-w", registry_warehouse(tmp_path), "--port", port)
    assert f"http://localhost:{port}/" in line
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/recherche?q=trevoux", timeout=10)
    assert page.status == 200 and "TREVOUX" in page.read().decode()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Portail arrêté." in out and "Traceback" not in err


def test_run_serves_after_the_summary(tmp_path):
    path = tmp_path / "demo.duckdb"
    hospiscope("run", "-w", path, "--scale", "0.002", "--no-serve")
    port = free_port()
    process, _ = start("run", "-w", path, "--port", port)
    twin = urllib.request.urlopen(f"http://127.0.0.1:{port}/index.json", timeout=10)
    assert twin.status == 200
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert process.returncode == 0


def test_serve_errors_are_french(tmp_path):
    missing = hospiscope("serve", "-w", tmp_path / "absent.duckdb", check_code=2)
    assert "entrepôt introuvable" in missing.stderr
    path = registry_warehouse(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = hospiscope("serve", "-w", path, "--port", port, check_code=1)
    assert f"le port {port} est déjà utilisé" in busy.stderr
