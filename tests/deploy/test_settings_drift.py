"""Every environment variable compose and the manifests set is one the services actually read.

The settings classes are read from the installed services at test time, so a renamed or removed
setting fails here instead of being silently ignored by pydantic (``extra="ignore"``) in production.
"""

from __future__ import annotations

import pytest
from deploy_support import by_kind, containers, dgplan_service, pod_specs

# What every dgplan process needs to run distributed; the secret ones come from Secrets.
REQUIRED = ("DATABASE_URL", "BUS", "KAFKA_BOOTSTRAP_SERVERS", "INTERNAL_AUTH_SECRET")


def unknown_variables(variables: dict[str, str], service: str | None, settings_env, prefixes) -> list[str]:
    """Variables a dgplan container sets that its service does not read, and variables of any
    container that carry a service's prefix without being one of that service's settings."""
    wrong = []
    for variable, where in variables.items():
        upper = variable.upper()
        if service is not None and upper not in settings_env[service]:
            wrong.append(f"{where}: {variable} is not a setting of {service}")
            continue
        for prefix, owner in prefixes.items():
            if upper.startswith(prefix) and upper not in settings_env[owner]:
                wrong.append(f"{where}: {variable} looks like a {owner} setting but {owner} has none such")
    return wrong


def k8s_environment(docs: list[dict]) -> list[tuple[str | None, dict[str, str], str]]:
    """(dgplan service or None, {variable: where}, container) for every container, envFrom included."""
    config_maps = by_kind(docs, "ConfigMap")
    found = []
    for workload, pod in pod_specs(docs):
        for container in containers(pod):
            where = f"{workload['kind']}/{workload['metadata']['name']}/{container['name']}"
            variables = {e["name"]: where for e in container.get("env", [])}
            for source in container.get("envFrom", []):
                assert "secretRef" not in source, f"{where}: envFrom a Secret hides which variables it sets"
                config_map = config_maps[source["configMapRef"]["name"]]
                variables |= {key: f"{where} (from {source['configMapRef']['name']})" for key in config_map["data"]}
            found.append((dgplan_service(container["image"]), variables, where))
    return found


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_manifests_set_only_variables_the_services_read(rendered, all_settings_env, all_prefixes, overlay):
    """The console's containers included (its CONSOLE_ settings)."""
    wrong = []
    for service, variables, _ in k8s_environment(rendered[overlay]):
        wrong += unknown_variables(variables, service, all_settings_env, all_prefixes)
    # A ConfigMap nobody mounts is checked too: its keys would be dead configuration.
    for name, config_map in by_kind(rendered[overlay], "ConfigMap").items():
        keys = {key: f"ConfigMap/{name}" for key in config_map.get("data", {})}
        wrong += unknown_variables(keys, None, all_settings_env, all_prefixes)
    assert wrong == []


def test_compose_sets_only_variables_the_services_read(compose, all_settings_env, all_prefixes):
    wrong = []
    for name, svc in compose["services"].items():
        variables = {key: name for key in (svc.get("environment") or {})}
        wrong += unknown_variables(variables, dgplan_service(svc["image"]), all_settings_env, all_prefixes)
    assert wrong == []


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_dgplan_container_gets_what_it_needs_to_run_distributed(rendered, settings_types, prefixes, overlay):
    by_service = {v: k for k, v in prefixes.items()}
    checked: dict[str, int] = {}
    for service, variables, where in k8s_environment(rendered[overlay]):
        if service in by_service:  # not the console: no Kafka, no database of record (test_console_deploy)
            assert {by_service[service] + r for r in REQUIRED} <= set(variables), where
            checked[service] = checked.get(service, 0) + 1
    # An image pattern that stopped matching would otherwise check nothing and pass.
    assert set(checked) == set(by_service), f"containers checked per service: {checked}"


def test_every_compose_dgplan_container_gets_what_it_needs(compose, prefixes):
    by_service = {v: k for k, v in prefixes.items()}
    checked: dict[str, int] = {}
    for name, svc in compose["services"].items():
        service = dgplan_service(svc["image"])
        if service in by_service:  # not the console (test_console_deploy)
            environment = svc["environment"]
            assert {by_service[service] + r for r in REQUIRED} <= set(environment), name
            assert environment[by_service[service] + "BUS"] == "kafka"
            checked[service] = checked.get(service, 0) + 1
    assert set(checked) == set(by_service), f"compose services checked per service: {checked}"


def test_the_drift_check_catches_a_misspelt_variable(settings_env, prefixes):
    wrong = unknown_variables({"PLAN_REGISTRY_DATABASE_ULR": "here"}, "plan-registry", settings_env, prefixes)
    assert wrong and "DATABASE_ULR" in wrong[0]
    wrong = unknown_variables({"GATEWAY_NOT_A_SETTING": "postgres"}, None, settings_env, prefixes)
    assert wrong
