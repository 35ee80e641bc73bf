"""The console as its own process in compose and Kubernetes, behind the gateway's one address: the
gateway forwards the console's paths to it (GATEWAY_CONSOLE_URL, GATEWAY_CONSOLE_PATHS equal to the
console's definition.PATHS), the single Ingress still sends everything to the gateway, the console
calls the gateway inside and signs people in at the public address, and its image is built like
the services' plus its npm assets. Checked offline, like the rest of tests/deploy."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from console.definition import PATHS
from deploy_support import ROOT, by_kind, containers, dgplan_service, pod_specs
from test_compose import resolve_defaults
from test_dockerfiles import instructions, resolve_args

CONSOLE = "console"
DOCKERFILE = ROOT / "services" / CONSOLE / "Dockerfile"


def _stages(dockerfile) -> dict[str, list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    """Stage name -> its instructions (FROM ... AS <name>)."""
    stages: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for keyword, rest in instructions(dockerfile):
        if keyword == "FROM":
            current = stages.setdefault(rest.split()[-1], [])
        current.append((keyword, rest))
    return stages


# --- the image -----------------------------------------------------------------------------------

def test_the_console_image_is_the_services_recipe_plus_its_npm_assets():
    """Its build and runtime stages are the gateway's with the name changed, apart from the lines that
    bring the assets in: a fix made to the services' images must not be forgotten here."""
    console, gateway = _stages(DOCKERFILE), _stages(ROOT / "services" / "gateway" / "Dockerfile")
    for stage in ("build", "runtime"):
        mine = [(k, re.sub(r" \\?\s*CONSOLE_ASSETS_DIR=\S+", "", r)) for k, r in console[stage]
                if "--from=assets" not in r]
        theirs = [(k, r.replace("gateway", CONSOLE)) for k, r in gateway[stage]]
        assert mine == theirs, f"the {stage} stage drifted from the services' recipe"
    args = resolve_args(DOCKERFILE)
    for _, rest in [i for i in instructions(DOCKERFILE) if i[0] == "FROM"]:
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m[1]], rest.split()[0])
        repository, _, tag = image.rpartition(":")
        assert repository and tag and tag != "latest", f"base image {image} is not pinned"


def test_the_image_installs_the_pinned_assets_and_says_where_they_are():
    steps = instructions(DOCKERFILE)
    assets = _stages(DOCKERFILE)["assets"]
    copied = [r.split() for k, r in assets if k == "COPY"]
    assert copied == [["services/console/package.json", "/assets/package.json"]]
    assert (ROOT / "services/console/package.json").is_file()
    (install,) = [r for k, r in assets if k == "RUN"]
    # Runtime packages only (axe-core is the browser tests'), no install scripts, no lock file written.
    assert install.startswith("npm install ")
    assert {"--omit=dev", "--ignore-scripts", "--no-package-lock"} <= set(install.split())
    package = json.loads((ROOT / "services/console/package.json").read_text())
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in package["dependencies"].values()), "exact versions only"
    (copy_assets,) = [r for k, r in steps if k == "COPY" and "--from=assets" in r]
    target = copy_assets.split()[-1]
    (env,) = [r for k, r in _stages(DOCKERFILE)["runtime"] if k == "ENV"]
    assert f"CONSOLE_ASSETS_DIR={target}" in env.split()
    runtime_user = [r for k, r in _stages(DOCKERFILE)["runtime"] if k == "USER"]
    assert runtime_user == ["10001:10001"]
    entry = dict(steps)
    scripts = tomllib.loads((ROOT / "services/console/pyproject.toml").read_text())["project"]["scripts"]
    assert json.loads(entry["ENTRYPOINT"]) == ["dgplan-console"] and "dgplan-console" in scripts
    assert json.loads(entry["CMD"])[:1] == ["api"]


def test_the_build_context_leaves_local_node_modules_out():
    assert "**/node_modules" in (ROOT / ".dockerignore").read_text().split()


# --- one address: the gateway forwards the console's paths ------------------------------------------

def _paths(value: str) -> tuple[str, ...]:
    return tuple(json.loads(value))


def test_compose_forwards_exactly_the_consoles_paths_to_its_container(compose):
    services = compose["services"]
    gateway, console = services["gateway-api"]["environment"], services["console-api"]
    assert _paths(gateway["GATEWAY_CONSOLE_PATHS"]) == PATHS, (
        "the console's definition.PATHS changed: copy them into GATEWAY_CONSOLE_PATHS in docker-compose.yml"
    )
    port = console["command"][console["command"].index("--port") + 1]
    assert gateway["GATEWAY_CONSOLE_URL"] == f"http://console-api:{port}"
    assert f"127.0.0.1:{port}/readyz" in " ".join(console["healthcheck"]["test"])
    assert dgplan_service(resolve_defaults(console["image"])) == CONSOLE
    assert console["build"]["dockerfile"] == "services/console/Dockerfile"
    assert not console.get("ports"), "the console is reached through the gateway only"


def test_compose_console_calls_the_gateway_inside_and_signs_in_at_the_public_address(compose):
    services = compose["services"]
    gateway, console = services["gateway-api"], services["console-api"]["environment"]
    listens = gateway["command"][gateway["command"].index("--port") + 1]
    assert console["CONSOLE_GATEWAY_URL"] == f"http://gateway-api:{listens}"
    public = gateway["environment"]["GATEWAY_PUBLIC_BASE_URL"]
    # The redirect URI the gateway's setup registers is <public>/auth/callback: the console's must match.
    assert console["CONSOLE_PUBLIC_URL"] == console["CONSOLE_OIDC_ISSUER"] == public
    assert console["CONSOLE_OIDC_CLIENT_SECRET"] == gateway["environment"]["GATEWAY_CONSOLE_CLIENT_SECRET"]
    assert console["CONSOLE_BUS"] == "memory" and console["CONSOLE_DATABASE_URL"].startswith("sqlite+aiosqlite:////tmp/")
    assert "/tmp" in services["console-api"]["tmpfs"] and services["console-api"]["read_only"] is True


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_gateway_forwards_exactly_the_consoles_paths_to_its_service(rendered, overlay):
    docs = rendered[overlay]
    config = _config(docs, "gateway")
    assert _paths(config["GATEWAY_CONSOLE_PATHS"]) == PATHS, (
        "the console's definition.PATHS changed: copy them into GATEWAY_CONSOLE_PATHS in "
        "deploy/k8s/base/gateway/kustomization.yaml"
    )
    service = by_kind(docs, "Service")["console-api"]
    assert config["GATEWAY_CONSOLE_URL"] == f"http://console-api:{service['spec']['ports'][0]['port']}"
    # One Ingress, every path to the gateway: the routing rule is the gateway's, not the controller's.
    (ingress,) = by_kind(docs, "Ingress").values()
    paths = [p for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert [(p["path"], p["pathType"], p["backend"]["service"]["name"]) for p in paths] == [("/", "Prefix", "gateway-api")]


def _config(docs: list[dict], service: str) -> dict[str, str]:
    (data,) = [c["data"] for n, c in by_kind(docs, "ConfigMap").items() if n.startswith(f"{service}-config")]
    return data


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_console_deployment_calls_the_gateway_inside_and_signs_in_where_browsers_do(rendered, overlay):
    docs = rendered[overlay]
    console, gateway = _config(docs, CONSOLE), _config(docs, "gateway")
    gateway_service = by_kind(docs, "Service")["gateway-api"]
    assert console["CONSOLE_GATEWAY_URL"] == f"http://gateway-api:{gateway_service['spec']['ports'][0]['port']}"
    assert console["CONSOLE_PUBLIC_URL"] == gateway["GATEWAY_PUBLIC_BASE_URL"]
    (ingress,) = by_kind(docs, "Ingress").values()
    assert console["CONSOLE_PUBLIC_URL"].split("://", 1)[1] == ingress["spec"]["rules"][0]["host"]
    # The issuer is the gateway's built-in one, or the external identity provider the gateway trusts.
    if gateway.get("GATEWAY_BUILTIN_ISSUER", "true") == "false":
        assert console["CONSOLE_OIDC_ISSUER"] == gateway["GATEWAY_JWT_ISSUER"]
    else:
        assert console["CONSOLE_OIDC_ISSUER"] == gateway["GATEWAY_PUBLIC_BASE_URL"]
    assert console["CONSOLE_SECURE_COOKIES"] == ("true" if console["CONSOLE_PUBLIC_URL"].startswith("https") else "false")
    assert console["CONSOLE_BUS"] == "memory"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_console_runs_only_its_api_and_gets_its_secrets_by_reference(rendered, overlay):
    docs = rendered[overlay]
    workloads = [(w, pod) for w, pod in pod_specs(docs)
                 if any(dgplan_service(c["image"]) == CONSOLE for c in containers(pod))]
    assert [w["metadata"]["name"] for w, _ in workloads] == ["console-api"]  # no migrate Job, relay or consumer
    ((_, pod),) = workloads
    (container,) = pod["containers"]
    assert container["args"][:1] == ["api"] and pod["serviceAccountName"] == CONSOLE
    secrets = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"]}
    assert secrets == {"CONSOLE_OIDC_CLIENT_SECRET": {"name": "console-oidc-client", "key": "secret"},
                       "CONSOLE_SESSION_SECRET": {"name": "console-session", "key": "secret"}}
    assert {"path": "/healthz", "port": "http"} == container["livenessProbe"]["httpGet"]
    assert {"path": "/readyz", "port": "http"} == container["readinessProbe"]["httpGet"]
    # Its SQLite file goes to the writable /tmp (./var/console.db from the image's working directory).
    assert any(m["mountPath"] == "/tmp" for m in container["volumeMounts"])
    assert "CONSOLE_DATABASE_URL" not in _config(docs, CONSOLE)


def test_dev_registers_the_consoles_client_with_the_secret_the_console_gets(rendered):
    (container,) = by_kind(rendered["dev"], "Job")["gateway-setup"]["spec"]["template"]["spec"]["containers"]
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
    assert refs["GATEWAY_CONSOLE_CLIENT_SECRET"] == {"name": "console-oidc-client", "key": "secret"}


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_console_reaches_the_gateway_and_its_issuer_and_only_the_gateway_reaches_it(rendered, overlay):
    from test_kubernetes_manifests import _admits, _policies_for, _selects

    docs = rendered[overlay]
    policies = by_kind(docs, "NetworkPolicy")
    deployments = by_kind(docs, "Deployment")
    console = deployments["console-api"]["spec"]["template"]["metadata"]["labels"]
    gateway = deployments["gateway-api"]["spec"]["template"]["metadata"]["labels"]
    egress = [r for p in _policies_for(policies, console, "Egress") for r in p["spec"].get("egress", [])]
    assert any(_admits(r.get("ports"), 8080) and any(_selects(t.get("podSelector", {}), gateway) for t in r.get("to", []))
               for r in egress), "the console may not call the gateway's API"
    assert any(_admits(r.get("ports"), 443) for r in egress), "the console may not reach its identity provider"
    assert not any(_admits(r.get("ports"), p) for r in egress for p in (5432, 9092)), "no database or broker"
    ingress = [r for p in _policies_for(policies, console, "Ingress") for r in p["spec"].get("ingress", [])]
    pod_peers = [peer["podSelector"]["matchLabels"] for r in ingress for peer in r["from"] if "podSelector" in peer]
    assert pod_peers == [{"app.kubernetes.io/name": "gateway", "app.kubernetes.io/component": "api"}]
