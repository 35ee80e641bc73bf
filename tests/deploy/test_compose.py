"""docker-compose.yml: valid against the compose-spec schema, comes up in order, one public port,
no secret value, no ``latest``, no root."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_support import COMPOSE_FILE, dgplan_service, repository_frontends

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
        and service in daemons  # the console (a front end) runs its API only
        and svc["command"][0] in {"relay", "consumer", *daemons[service]}
    ]


def test_every_worker_opens_its_probe_port_and_has_a_liveness_healthcheck(compose, prefixes):
    from dgplan_shared.registry import installed_services

    by_service = {v: k for k, v in prefixes.items()}
    workers = compose_workers(compose)
    # A relay and a consumer per service, and every daemon it declares (the gateway's scheduler,
    # notifications' webhook delivery).
    assert {name for name, _, _ in workers} >= {
        f"{s}-{r}" for s in by_service for r in ("relay", "consumer")
    } | {f"{s}-{d}" for s, definition in installed_services().items() for d in definition.daemons}
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
    """The console too is reached through it (GATEWAY_CONSOLE_URL), never published itself. Inside
    the network the gateway listens on the public address's port under its alias, so the console's
    calls to the issuer name the same address as the browser's."""
    published = {name: svc["ports"] for name, svc in compose["services"].items() if svc.get("ports")}
    assert list(published) == ["gateway-api"]
    (port,) = published["gateway-api"]
    gateway = compose["services"]["gateway-api"]
    listens = gateway["command"][gateway["command"].index("--port") + 1]
    assert resolve_defaults(port).endswith(f":{listens}")
    assert f"127.0.0.1:{listens}/readyz" in " ".join(gateway["healthcheck"]["test"])
    public = resolve_defaults(gateway["environment"]["GATEWAY_PUBLIC_BASE_URL"])
    host, _, public_port = public.split("://", 1)[1].partition(":")
    assert public_port == listens and host in gateway["networks"]["default"]["aliases"]


def test_every_container_runs_as_a_numeric_non_root_user_without_privileges(compose, settings_types):
    read_only_checked: set[str] = set()
    for name, svc in compose["services"].items():
        user = str(svc.get("user", ""))
        assert re.fullmatch(r"[1-9][0-9]*(:[0-9]+)?", user), f"{name} runs as {user or 'the image default'}"
        assert svc.get("cap_drop") == ["ALL"], name
        assert "no-new-privileges:true" in svc.get("security_opt", []), name
        assert not svc.get("privileged"), name
        if service := dgplan_service(resolve_defaults(svc["image"])):
            assert svc["read_only"] is True, name
            read_only_checked.add(service)
    # An image pattern that stopped matching would otherwise skip the read-only check unnoticed.
    expected = set(settings_types) | set(repository_frontends())
    assert read_only_checked == expected, f"read-only root checked for {sorted(read_only_checked)}"


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
            if key.endswith("DATABASE_URL") and not value.startswith("sqlite"):  # a server's URL has a login
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


DEV_BOX_CPUS = 2.0
DEV_BOX_MEMORY_MIB = 8 * 1024
ONE_OFF = re.compile(r"-migrate$|^kafka-topics$")  # run to completion before the long-running rest


def _cpus(value: object) -> float:
    return float(str(value))


def _mebibytes(value: object) -> float:
    match = re.fullmatch(r"(?P<n>[0-9.]+)(?P<unit>[KMG])", str(value))
    assert match, f"memory {value!r} is not <number>K|M|G"
    return float(match["n"]) * {"K": 1 / 1024, "M": 1, "G": 1024}[match["unit"]]


def _resources(svc: dict) -> tuple[dict, dict]:
    resources = (svc.get("deploy") or {}).get("resources") or {}
    return resources.get("limits") or {}, resources.get("reservations") or {}


def test_every_service_has_cpu_and_memory_limits_and_reservations(compose):
    for name, svc in compose["services"].items():
        limits, reservations = _resources(svc)
        for kind, values in (("limits", limits), ("reservations", reservations)):
            assert {"cpus", "memory"} <= set(values), f"{name}: deploy.resources.{kind} needs cpus and memory"
        assert 0 < _cpus(reservations["cpus"]) <= _cpus(limits["cpus"]) <= DEV_BOX_CPUS, name
        assert 0 < _mebibytes(reservations["memory"]) <= _mebibytes(limits["memory"]), name


def test_what_runs_at_once_fits_the_two_core_dev_box(compose):
    running = [svc for name, svc in compose["services"].items() if not ONE_OFF.search(name)]
    reserved_cpus = sum(_cpus(_resources(svc)[1]["cpus"]) for svc in running)
    reserved_memory = sum(_mebibytes(_resources(svc)[1]["memory"]) for svc in running)
    limited_memory = sum(_mebibytes(_resources(svc)[0]["memory"]) for svc in running)
    # Reservations leave room for the host; even every container at its memory cap fits the box.
    assert reserved_cpus <= 0.75 * DEV_BOX_CPUS, reserved_cpus
    assert reserved_memory <= 0.5 * DEV_BOX_MEMORY_MIB, reserved_memory
    assert limited_memory <= 0.75 * DEV_BOX_MEMORY_MIB, limited_memory


def test_kafka_memory_limit_leaves_room_above_its_heap(compose):
    kafka = compose["services"]["kafka"]
    heap = re.search(r"-Xmx(?P<heap>[0-9]+[KMG])", kafka["environment"]["KAFKA_HEAP_OPTS"], re.I)
    assert heap, "kafka has no -Xmx"
    limit = _mebibytes(_resources(kafka)[0]["memory"])
    assert limit >= 1.5 * _mebibytes(heap["heap"].upper()), "a JVM needs metaspace, threads and buffers beside its heap"


def test_the_operations_guide_states_the_limits_compose_sets(compose):
    """docs/operations.md has one row per group of services with the same limits; every compose
    service is in exactly one row, and the row's numbers are the ones compose sets."""
    from deploy_support import GUIDE

    guide = GUIDE.read_text(encoding="utf-8")
    section = guide[guide.index("### Resource limits"):]
    section = section[: section.index("\n## ")]
    stated: dict[str, tuple[str, str, str, str]] = {}
    for row in re.findall(r"^\|(.+)\|\s*$", section, re.M):
        cells = [c.strip() for c in row.split("|")]
        names = re.findall(r"`([a-z0-9-]+)`", cells[0])
        if len(cells) != 5 or not names:
            continue
        for name in names:
            assert name not in stated, f"{name} is in two rows of the guide's resource table"
            stated[name] = tuple(cells[1:5])  # type: ignore[assignment]
    assert set(stated) == set(compose["services"]), "the guide's resource table and compose list other services"
    for name, svc in compose["services"].items():
        limits, reservations = _resources(svc)
        expected = (str(limits["cpus"]), str(limits["memory"]), str(reservations["cpus"]), str(reservations["memory"]))
        assert stated[name] == expected, f"{name}: the guide says {stated[name]}, compose sets {expected}"
