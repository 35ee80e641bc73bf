"""docker-compose.yml: valid against the compose-spec schema, comes up in order, one public port,
no secret value, no ``latest``, no root."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_support import COMPOSE_FILE, dgplan_service

CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?P<op>:?[-?])?(?P<arg>[^}]*)\}")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE", re.I)
ROLES = ("migrate", "api", "relay", "consumer")


def check_compose_schema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )


def resolve_defaults(value: str) -> str:
    """What compose makes of ``${VAR:-default}`` when VAR is unset."""
    return INTERPOLATION.sub(lambda m: m["arg"] if m["op"] in (":-", "-") else "", value)


def test_compose_file_passes_the_compose_spec_schema():
    result = check_compose_schema(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_an_invalid_compose_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  api:\n    image: dgplan/gateway:0.1.0\n    depends_onn: [postgres]\n")
    assert check_compose_schema(broken).returncode != 0


def test_every_service_has_its_migration_api_relay_and_consumer(compose, settings_types):
    services = compose["services"]
    for name in settings_types:
        for role in ROLES:
            assert f"{name}-{role}" in services, f"no {name}-{role} in docker-compose.yml"
            svc = services[f"{name}-{role}"]
            assert dgplan_service(svc["image"]) == name
            assert svc["command"][0] == role
        assert services[f"{name}-migrate"]["build"]["dockerfile"] == f"services/{name}/Dockerfile"


def test_comes_up_in_order(compose, settings_types):
    services = compose["services"]
    assert services["postgres"]["healthcheck"] and services["kafka"]["healthcheck"]
    assert services["kafka-topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    for name in settings_types:
        migrate = services[f"{name}-migrate"]
        assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert migrate["restart"] == "no"
        for role in ("api", "relay", "consumer"):
            depends = services[f"{name}-{role}"]["depends_on"]
            # The migration runs before every process of its service, never inside them.
            assert depends[f"{name}-migrate"]["condition"] == "service_completed_successfully"
        for role in ("relay", "consumer"):
            depends = services[f"{name}-{role}"]["depends_on"]
            assert depends["kafka-topics"]["condition"] == "service_completed_successfully"
        assert "/readyz" in " ".join(services[f"{name}-api"]["healthcheck"]["test"])
    gateway = services["gateway-api"]["depends_on"]
    for upstream in settings_types:
        if upstream != "gateway":
            assert gateway[f"{upstream}-api"]["condition"] == "service_healthy"


def compose_workers(compose) -> list[tuple[str, str, dict]]:
    """(compose service, dgplan service, definition) of every relay, consumer and daemon."""
    from dgplan_shared.registry import installed_services

    daemons = {name: set(d.daemons) for name, d in installed_services().items()}
    return [
        (name, service, svc)
        for name, svc in compose["services"].items()
        if (service := dgplan_service(resolve_defaults(svc["image"])))
        and svc["command"][0] in {"relay", "consumer", *daemons[service]}
    ]


def test_every_worker_opens_its_probe_port_and_has_a_liveness_healthcheck(compose, prefixes):
    by_service = {v: k for k, v in prefixes.items()}
    workers = compose_workers(compose)
    assert {name for name, _, _ in workers} >= {
        f"{s}-{r}" for s in by_service for r in ("relay", "consumer")
    } | {"gateway-scheduler"}
    for name, service, svc in workers:
        environment = {k: str(v) for k, v in (svc.get("environment") or {}).items()}
        prefix = by_service[service]
        port = environment.get(f"{prefix}WORKER_PROBE_PORT")
        assert port and port.isdigit(), f"{name}: {prefix}WORKER_PROBE_PORT unset, so it opens no probe port"
        assert environment.get(f"{prefix}WORKER_PROBE_HOST") in ("0.0.0.0", "::"), name
        healthcheck = svc.get("healthcheck")
        assert healthcheck and not healthcheck.get("disable"), f"{name} has no healthcheck"
        test = " ".join(healthcheck["test"])
        # Liveness on the port the worker listens on; readiness would flap with every broker restart.
        assert f"127.0.0.1:{port}/healthz" in test, f"{name}: healthcheck {test!r} does not ask :{port}/healthz"
        assert "/readyz" not in test, name


def test_only_the_gateway_is_published(compose):
    published = {name: svc["ports"] for name, svc in compose["services"].items() if svc.get("ports")}
    assert list(published) == ["gateway-api"]
    (port,) = published["gateway-api"]
    assert resolve_defaults(port).endswith(":8080")


def test_every_container_runs_as_a_numeric_non_root_user_without_privileges(compose):
    for name, svc in compose["services"].items():
        user = str(svc.get("user", ""))
        assert re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", user), f"{name} runs as {user or 'the image default'}"
        assert svc.get("cap_drop") == ["ALL"], name
        assert "no-new-privileges:true" in svc.get("security_opt", []), name
        assert not svc.get("privileged"), name
        if dgplan_service(resolve_defaults(svc["image"])):
            assert svc["read_only"] is True, name


def test_no_latest_tag_and_no_untagged_image(compose):
    for name, svc in compose["services"].items():
        image = resolve_defaults(svc["image"])
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag and tag != "latest", f"{name}: {image}"


def test_no_secret_value_is_committed(compose, settings_types, config_reference):
    secret_settings = {
        config_reference.env_name(st, n, f)
        for st in settings_types.values()
        for n, f in st.model_fields.items()
        if config_reference.is_secret(f)
    }
    for name, svc in compose["services"].items():
        for key, value in (svc.get("environment") or {}).items():
            value = str(value)
            if SECRET_NAME.search(key) or key in secret_settings:
                # Only a required interpolation: no literal, and no fallback value to leak.
                match = INTERPOLATION.fullmatch(value)
                assert match and match["op"] == ":?", f"{name}: {key} must be ${{VAR:?...}}, not {value!r}"
            if key.endswith("DATABASE_URL"):
                password = re.match(r"^[a-z0-9+]+://[^:/@]+:(?P<password>[^@]*)@", value)
                assert password, f"{name}: {key} has no user and password part"
                match = INTERPOLATION.fullmatch(password["password"])
                assert match and match["op"] == ":?", f"{name}: {key} holds a literal password"


def test_dependencies_exist_and_have_no_cycle(compose):
    services = compose["services"]
    graph = {name: set(svc.get("depends_on") or {}) for name, svc in services.items()}
    for name, needs in graph.items():
        assert needs <= set(services), f"{name} depends on unknown {needs - set(services)}"
    for name, svc in services.items():
        for needed, how in (svc.get("depends_on") or {}).items():
            if how["condition"] == "service_healthy":
                assert services[needed].get("healthcheck"), f"{name} waits for {needed}, which has no healthcheck"
    done: set[str] = set()
    while len(done) < len(graph):
        ready = {n for n, needs in graph.items() if n not in done and needs <= done}
        assert ready, f"dependency cycle among {set(graph) - done}"
        done |= ready
