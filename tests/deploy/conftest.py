"""Fixtures of the deployment tests: the rendered overlays, the compose file, the settings classes."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

# The tests import their helpers as a plain module (pytest runs with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from deploy_support import (  # noqa: E402
    COMPOSE_FILE,
    K8S,
    OVERLAYS,
    load_script,
    render_kustomization,
    repository_frontends,
    repository_services,
)


@pytest.fixture(scope="session")
def config_reference() -> ModuleType:
    return load_script("gen_config_reference")


@pytest.fixture(scope="session")
def settings_types(config_reference) -> dict:
    """service name -> settings class, read from the installed services (never a copied list)."""
    found = config_reference.settings_types()
    # Every backend service the repository declares is installed (and nothing else): a stale
    # environment would leave a new service out of every check below.
    assert found and set(found) == set(repository_services()), (
        f"installed dgplan.services {sorted(found)} != declared in services/*/pyproject.toml "
        f"{sorted(repository_services())}"
    )
    return found


@pytest.fixture(scope="session")
def settings_env(config_reference, settings_types) -> dict[str, dict[str, str]]:
    """service name -> {environment variable: field name} of every setting it reads."""
    return {name: config_reference.env_names(st) for name, st in settings_types.items()}


@pytest.fixture(scope="session")
def prefixes(config_reference, settings_types) -> dict[str, str]:
    """environment prefix -> service name."""
    return {config_reference.env_prefix(st): name for name, st in settings_types.items()}


@pytest.fixture(scope="session")
def frontend_settings_types() -> dict:
    """front end name -> settings class, from the installed ``dgplan.frontends`` (the console)."""
    from dgplan_shared.registry import installed_frontends

    found = {name: definition.settings_type for name, definition in installed_frontends().items()}
    assert found and set(found) == set(repository_frontends()), (
        f"installed dgplan.frontends {sorted(found)} != declared {sorted(repository_frontends())}"
    )
    return found


@pytest.fixture(scope="session")
def all_settings_env(config_reference, settings_env, frontend_settings_types) -> dict[str, dict[str, str]]:
    """Like ``settings_env``, front ends included: what any dgplan container may be given."""
    return {**settings_env, **{n: config_reference.env_names(st) for n, st in frontend_settings_types.items()}}


@pytest.fixture(scope="session")
def all_prefixes(config_reference, prefixes, frontend_settings_types) -> dict[str, str]:
    return {**prefixes, **{config_reference.env_prefix(st): n for n, st in frontend_settings_types.items()}}


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[dict]]:
    """overlay name -> the documents ``kubectl kustomize`` renders for it."""
    return {overlay: render_kustomization(K8S / "overlays" / overlay) for overlay in OVERLAYS}


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
