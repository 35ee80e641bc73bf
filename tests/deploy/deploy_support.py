"""Helpers of the deployment tests: rendering, loading, walking manifests (fixtures are in conftest).

Everything here works offline: ``kubectl kustomize`` renders, ``kubernetes-validate`` and
``check-jsonschema`` carry their schemas. Without kubectl the rendering tests skip locally and
FAIL under ``CI=true`` (a skipped validation must never pass as a green build).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import kubernetes_validate.utils
import pytest
import yaml

# kubernetes-validate re-reads and re-parses its multi-megabyte definitions file for every object it
# checks; the files never change during a run, so parse each once (the validator does not mutate it).
kubernetes_validate.utils.schema_contents = functools.lru_cache(maxsize=None)(kubernetes_validate.utils.schema_contents)

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
COMPOSE_FILE = ROOT / "docker-compose.yml"
TOPICS_SCRIPT = K8S / "components" / "dev-infra" / "kafka" / "create-topics.sh"
GUIDE = ROOT / "docs" / "operations.md"

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"}
DGPLAN_IMAGE = re.compile(r"^(?:.+/)?dgplan/(?P<service>[a-z][a-z-]*)(?::(?P<tag>[^@]+))?(?:@.+)?$")


def repository_services() -> dict[str, Path]:
    """Backend service name -> its directory, for every ``services/*/pyproject.toml`` that registers an
    entry point in ``dgplan.services`` (the console registers in ``dgplan.frontends`` and is left out).
    The installed registry must list exactly these (conftest): a service present in the repository
    but missing from the environment would otherwise be skipped by every test unnoticed."""
    found = {}
    for pyproject in sorted((ROOT / "services").glob("*/pyproject.toml")):
        entry_points = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"].get("entry-points", {})
        for name in entry_points.get("dgplan.services", {}):
            found[name] = pyproject.parent
    return found


def repository_frontends() -> dict[str, Path]:
    """Web front end name -> its directory, for every ``services/*/pyproject.toml`` registering in
    ``dgplan.frontends`` (the console): deployed like a service's API (its own image, Deployment and
    compose service) but with no database of record, relay or consumer."""
    found = {}
    for pyproject in sorted((ROOT / "services").glob("*/pyproject.toml")):
        entry_points = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"].get("entry-points", {})
        for name in entry_points.get("dgplan.frontends", {}):
            found[name] = pyproject.parent
    return found


def load_script(name: str) -> ModuleType:
    """Import a module of ``scripts/`` by path (it is not a package)."""
    spec = importlib.util.spec_from_file_location(f"dgplan_scripts_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kustomize_command() -> list[str] | None:
    if kubectl := shutil.which("kubectl"):
        return [kubectl, "kustomize"]
    if kustomize := shutil.which("kustomize"):
        return [kustomize, "build"]
    return None


def render_kustomization(path: Path) -> list[dict]:
    command = _kustomize_command()
    if command is None:
        message = "kubectl (or kustomize) is not installed: the Kubernetes manifests cannot be rendered"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        # Components and `labels` need kustomize v4+ (kubectl 1.21+); say which one ran.
        version = subprocess.run([command[0], "version", "--client"], capture_output=True, text=True, check=False)
        pytest.fail(f"{' '.join(command)} {shown} failed ({version.stdout.strip()}):\n{result.stderr}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def pod_specs(docs: list[dict]) -> Iterator[tuple[dict, dict]]:
    """(workload, pod spec) of every workload in the documents."""
    for doc in docs:
        if doc["kind"] in WORKLOAD_KINDS:
            yield doc, doc["spec"]["template"]["spec"]
        elif doc["kind"] == "CronJob":
            yield doc, doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def containers(pod: dict) -> list[dict]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def dgplan_service(image: str) -> str | None:
    match = DGPLAN_IMAGE.match(image)
    return match["service"] if match else None


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def manifest_topics() -> list[str]:
    """The topics the topic script creates (the list the operations guide documents)."""
    text = TOPICS_SCRIPT.read_text(encoding="utf-8")
    block = re.search(r'^TOPICS="\n(?P<body>.*?)^"', text, re.S | re.M)
    assert block, "create-topics.sh has no TOPICS block"
    return block["body"].split()
