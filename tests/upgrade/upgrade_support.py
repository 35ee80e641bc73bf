"""The previous release's code beside this one's: a git worktree of the commit named in
``previous_release`` (the last release that landed), and service processes running either code
against one database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from dgplan_contracts.assertion import IDENTITY_HEADER, sign_identity
from dgplan_contracts.identity import Principal
from dgplan_shared.net import free_port

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SECRET = "rolling-upgrade-test-internal-secret-0123456789"
# The services whose code the previous release's processes import from its worktree.
PACKAGES = {"plan-registry": "plan_registry", "budget-ledger": "budget_ledger", "monitoring": "monitoring",
            "notifications": "notifications", "gateway": "gateway"}


def previous_release() -> str:
    return (HERE / "previous_release").read_text().strip()


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=120)


@contextmanager
def previous_checkout(base: Path) -> Iterator[Path]:
    """A worktree of the previous release (fetched first if this clone lacks it)."""
    commit = previous_release()
    if _git("cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        _git("fetch", "--quiet", "origin", commit)
    path = base / "previous"
    _git("worktree", "prune")  # a worktree left by a run that was killed
    added = _git("worktree", "add", "--detach", "--force", str(path), commit)
    if added.returncode != 0:
        raise RuntimeError(f"cannot check out the previous release {commit}: {added.stderr.strip()}")
    try:
        yield path
    finally:
        _git("worktree", "remove", "--force", str(path))


def migrations_since_previous(service_dir: str) -> list[str]:
    """Migration files this round added to a service (services/<dir>/<pkg>/migrations/versions)."""
    package = PACKAGES[service_dir]
    out = _git("diff", "--name-only", "--diff-filter=A", previous_release(), "--",
               f"services/{service_dir}/{package}/migrations/versions")
    committed = [line for line in out.stdout.splitlines() if line.endswith(".py")]
    untracked = _git("ls-files", "--others", "--exclude-standard",
                     f"services/{service_dir}/{package}/migrations/versions").stdout.splitlines()
    return sorted(set(committed) | {u for u in untracked if u.endswith(".py")})


def _pythonpath(code: Path | None) -> str:
    if code is None:
        return os.environ.get("PYTHONPATH", "")
    # Ahead of the virtualenv's editable installs, so every dgplan import resolves to the old code.
    return os.pathsep.join([str(code / "shared"), *(str(code / "services" / d) for d in PACKAGES)])


@dataclass
class ServiceCode:
    """One service as one release's code runs it."""

    service: str  # e.g. "budget-ledger"
    code: Path | None  # the previous release's worktree, or None for this checkout
    database_url: str
    logs: Path

    @property
    def prefix(self) -> str:
        return self.service.upper().replace("-", "_") + "_"

    def env(self) -> dict[str, str]:
        p = self.prefix
        return {**os.environ, "PYTHONPATH": _pythonpath(self.code), f"{p}DATABASE_URL": self.database_url,
                f"{p}BUS": "memory", f"{p}INTERNAL_AUTH_SECRET": SECRET, f"{p}LOG_LEVEL": "WARNING"}

    def run(self, *args: str) -> None:
        done = subprocess.run([sys.executable, *args], env=self.env(), capture_output=True, text=True, timeout=300,
                              cwd=str(self.logs))
        if done.returncode != 0:
            raise AssertionError(f"{self.label}: {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    def command(self, *args: str) -> None:
        self.run("-m", PACKAGES[self.service], *args)

    @property
    def label(self) -> str:
        return f"{self.service} ({'previous release' if self.code else 'this release'})"

    @contextmanager
    def api(self) -> Iterator[httpx.Client]:
        port = free_port()
        log = (self.logs / f"{self.service}.{'old' if self.code else 'new'}.{port}.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", PACKAGES[self.service], "api", "--host", "127.0.0.1",
                                    "--port", str(port)], env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                   cwd=str(self.logs))
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                deadline = time.monotonic() + 60
                while True:
                    if process.poll() is not None:
                        raise AssertionError(f"{self.label} API exited: {log.name}")
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline:
                        raise AssertionError(f"{self.label} API never answered: {log.name}")
                    time.sleep(0.1)
                yield client
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def caller(role: str, subject: str, agency: str | None = None, bodies: tuple[str, ...] = ()) -> dict[str, str]:
    """What the gateway forwards for this caller."""
    principal = Principal(subject=subject, roles=frozenset({role}), agency=agency, bodies=frozenset(bodies))
    return {IDENTITY_HEADER: sign_identity(principal, SECRET)}
