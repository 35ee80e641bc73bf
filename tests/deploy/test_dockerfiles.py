"""Each service's Dockerfile, checked without a Docker engine: multi-stage, built from the
repository root out of paths that exist, pinned base image, numeric non-root user, and the
service's own console script as the entry point with the API as the default command."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from deploy_support import ROOT, repository_services

# Backend services declare themselves in ``dgplan.services``; the console (a front end, in
# ``dgplan.frontends``) gets its image with its npm assets in a later step.
SERVICES = sorted(repository_services())


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def resolve_args(dockerfile: Path) -> dict[str, str]:
    return dict(
        arg.split("=", 1) for keyword, arg in instructions(dockerfile) if keyword == "ARG" and "=" in arg
    )


def test_every_service_has_a_dockerfile():
    """Every registered backend service (the installed ``dgplan.services`` entry points, which the
    deploy conftest checks against the repository) has its image recipe in its own directory."""
    from dgplan_shared.registry import installed_services

    assert SERVICES and set(SERVICES) == set(installed_services())
    for service, directory in repository_services().items():
        assert directory == ROOT / "services" / service, f"{service} lives in {directory}, not services/{service}"
        assert (directory / "Dockerfile").is_file(), f"services/{service}/Dockerfile is missing"


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_is_multi_stage_from_a_pinned_base(service):
    dockerfile = ROOT / "services" / service / "Dockerfile"
    args = resolve_args(dockerfile)
    stages = [rest for keyword, rest in instructions(dockerfile) if keyword == "FROM"]
    assert len(stages) >= 2, "multi-stage: build tools stay out of the runtime image"
    for stage in stages:
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m[1]], stage.split()[0])
        repository, _, tag = image.rpartition(":")
        assert repository and tag and tag != "latest", f"{service}: base image {image} is not pinned"


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_copies_only_paths_that_exist_in_the_repository(service):
    dockerfile = ROOT / "services" / service / "Dockerfile"
    copies = [rest for keyword, rest in instructions(dockerfile) if keyword in ("COPY", "ADD")]
    from_context = [c for c in copies if not c.startswith("--from")]
    assert from_context
    for copy in from_context:
        *sources, _destination = [part for part in copy.split() if not part.startswith("--")]
        for source in sources:
            assert (ROOT / source).exists(), f"{service}: COPY {source} does not exist (build context = repo root)"
    copied = " ".join(from_context)
    for needed in ("requirements/constraints.txt", "shared", f"services/{service}"):
        assert needed in copied, f"{service}: the image needs {needed}"


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_runs_the_service_as_a_numeric_non_root_user(service):
    dockerfile = ROOT / "services" / service / "Dockerfile"
    steps = instructions(dockerfile)
    last_stage = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    users = [rest for keyword, rest in steps[last_stage:] if keyword == "USER"]
    assert users, f"{service}: the runtime stage never leaves root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) > 0, f"{service}: USER {users[-1]} (Kubernetes checks runAsNonRoot by uid)"


@pytest.mark.parametrize("service", SERVICES)
def test_entrypoint_is_the_services_console_script_and_the_default_is_the_api(service):
    dockerfile = ROOT / "services" / service / "Dockerfile"
    steps = dict(instructions(dockerfile))
    scripts = tomllib.loads((ROOT / "services" / service / "pyproject.toml").read_text())["project"]["scripts"]
    assert json.loads(steps["ENTRYPOINT"]) == [f"dgplan-{service}"] and f"dgplan-{service}" in scripts
    command = json.loads(steps["CMD"])
    assert command[0] == "api" and command[command.index("--host") + 1] == "0.0.0.0"


def test_dockerignore_keeps_local_state_out_of_the_build_context():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {"**/.venv", "**/.git", ".infra", "**/*.egg-info", "**/__pycache__"} <= ignored
    # ...but not what the Dockerfiles copy.
    assert not {"shared", "services", "requirements"} & ignored


def test_the_dockerfiles_differ_only_in_the_service_name():
    """One recipe: a fix made to one image must not be forgotten in the others."""
    assert len(SERVICES) >= 2
    normalised = {
        service: (ROOT / "services" / service / "Dockerfile").read_text(encoding="utf-8").replace(service, "<service>")
        for service in SERVICES
    }
    assert len(set(normalised.values())) == 1, "the Dockerfiles have drifted apart"
