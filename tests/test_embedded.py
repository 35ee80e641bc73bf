"""``make run``: the whole suite in one process serves the gateway, stops on Ctrl-C, keeps its data."""

import os
import signal
import subprocess
import sys
import time

import httpx

from dgplan_shared.net import free_port


def _start(data_dir, port):  # type: ignore[no-untyped-def]
    env = {**os.environ, "DGPLAN_PORT": str(port), "DGPLAN_DATA_DIR": str(data_dir), "DGPLAN_LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "-m", "dgplan_shared.embedded"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def _wait_healthy(port: int, process, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError("embedded suite did not serve /healthz")


def _stop(process) -> str:  # type: ignore[no-untyped-def]
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 0, out.decode()
    return out.decode()


def test_embedded_suite_serves_the_gateway_stops_cleanly_and_keeps_its_data(tmp_path):
    port = free_port()
    process = _start(tmp_path, port)
    try:
        _wait_healthy(port, process)
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert ready.status_code == 200 and ready.json()["checks"] == {"database": "up", "bus": "up"}
    finally:
        output = _stop(process)
    assert f"http://127.0.0.1:{port}" in output
    databases = sorted(p.name for p in tmp_path.glob("*.db"))
    # The console's holds only the messaging tables every service definition has.
    assert databases == ["budget-ledger.db", "console.db", "gateway.db", "monitoring.db", "notifications.db", "plan-registry.db"]
    assert (tmp_path / "clean-shutdown").exists()
    sizes = {p.name: p.stat().st_size for p in tmp_path.glob("*.db")}

    process = _start(tmp_path, port)
    try:
        _wait_healthy(port, process)
    finally:
        _stop(process)
    assert all((tmp_path / name).stat().st_size >= size for name, size in sizes.items())
