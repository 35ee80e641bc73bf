"""What the rendered overlays promise an operator: every process of every service, migrations as a
Job, probes, sizes, autoscaling, disruption budgets, a default-deny network, a hardened pod, an
Ingress for the gateway, and no secret value, no ``latest`` and no root anywhere."""

from __future__ import annotations

import ipaddress
import re
from zoneinfo import available_timezones

import pytest
from deploy_support import by_kind, containers, dgplan_service, pod_specs

ROLES = ("api", "relay", "consumer")
WORKER_ROLES = ("relay", "consumer")  # and every daemon a service declares (service_daemons)
PROBE_PORT_NAME = "probes"
METRICS_SCRAPERS = {"namespaceSelector": {"matchLabels": {"dgplan.io/metrics-scraper": "true"}}}
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|DATABASE_URL|PRIVATE", re.I)
PURGE_COMMAND = "purge-idempotency-keys"  # built into every service's CLI (dgplan_shared.cli)
POSTGRES_PORT = 5432


def service_daemons() -> dict[str, tuple[str, ...]]:
    """Long-running commands each service declares besides api/relay/consumer (e.g. a scheduler)."""
    from dgplan_shared.registry import installed_services

    return {name: tuple(d.daemons) for name, d in installed_services().items()}


def _services(settings_types) -> list[str]:
    return sorted(settings_types)


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_service_runs_api_relay_consumer_and_its_daemons_from_its_own_image(
    rendered, settings_types, overlay
):
    deployments = by_kind(rendered[overlay], "Deployment")
    for name, daemons in service_daemons().items():
        for role in (*ROLES, *daemons):
            deployment = deployments.get(f"{name}-{role}")
            assert deployment is not None, (
                f"{overlay}: no Deployment {name}-{role}"
                + (" (enable components/gateway-governance in deploy/k8s/base)" if role == "scheduler" else "")
            )
            (container,) = deployment["spec"]["template"]["spec"]["containers"]
            assert dgplan_service(container["image"]) == name
            assert container["args"][0] == role
    # Nothing but the Job migrates: replicas never run `migrate` at start.
    for workload, pod in pod_specs(rendered[overlay]):
        for container in containers(pod):
            if workload["kind"] != "Job":
                assert "migrate" not in container.get("args", []), workload["metadata"]["name"]


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_each_service_has_a_migration_job_that_runs_before_the_rollout(rendered, settings_types, overlay):
    jobs = by_kind(rendered[overlay], "Job")
    for name in _services(settings_types):
        job = jobs.get(f"{name}-migrate")
        assert job is not None, f"{overlay}: no migration Job for {name}"
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert container["args"] == ["migrate"] and dgplan_service(container["image"]) == name
        assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
        # Applied first with `kubectl apply -l dgplan.io/phase=migrate`; a PreSync hook under Argo CD.
        assert job["metadata"]["labels"]["dgplan.io/phase"] == "migrate"
        assert job["metadata"]["annotations"]["argocd.argoproj.io/hook"] == "PreSync"
    # Everything the Job needs is in the migrate phase too: its ConfigMap, account and network path.
    phase = {(d["kind"], d["metadata"]["name"]) for d in rendered[overlay]
             if d["metadata"].get("labels", {}).get("dgplan.io/phase") == "migrate"}
    for name in _services(settings_types):
        pod = jobs[f"{name}-migrate"]["spec"]["template"]["spec"]
        config = pod["containers"][0]["envFrom"][0]["configMapRef"]["name"]
        assert ("ConfigMap", config) in phase
        assert ("ServiceAccount", pod["serviceAccountName"]) in phase
        assert ("NetworkPolicy", f"{name}-egress-database") in phase
    assert ("NetworkPolicy", "allow-dns-egress") in phase
    namespace = next(d["metadata"]["name"] for d in rendered[overlay] if d["kind"] == "Namespace")
    assert ("Namespace", namespace) in phase


def test_dev_seeds_every_service_after_migrating_and_prod_seeds_deliberately(rendered, settings_types):
    jobs = by_kind(rendered["dev"], "Job")
    for name in _services(settings_types):
        job = jobs[f"{name}-setup"]
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert container["args"] == ["setup"] and dgplan_service(container["image"]) == name
        # It retries until its migration Job has created the schema, then runs after the sync.
        assert job["spec"]["backoffLimit"] >= 5
        assert job["metadata"]["annotations"]["argocd.argoproj.io/hook"] == "PostSync"
        assert job["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/part-of"] == "dgplan"
    assert not [n for n in by_kind(rendered["prod"], "Job") if n.endswith("-setup")]


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_apis_are_probed_on_healthz_and_readyz_and_served_by_a_service(rendered, settings_types, overlay):
    deployments = by_kind(rendered[overlay], "Deployment")
    services = by_kind(rendered[overlay], "Service")
    for name in _services(settings_types):
        (api,) = deployments[f"{name}-api"]["spec"]["template"]["spec"]["containers"]
        assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
        service = services[f"{name}-api"]
        pod_labels = deployments[f"{name}-api"]["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= pod_labels.items()
        assert service["spec"]["ports"][0]["targetPort"] == "http"


def worker_deployments(docs: list[dict]) -> list[tuple[str, str, dict]]:
    """(service, role, Deployment) of every relay, consumer and daemon (e.g. the gateway's scheduler)."""
    deployments = by_kind(docs, "Deployment")
    found = []
    for name, daemons in service_daemons().items():
        for role in (*WORKER_ROLES, *daemons):
            assert f"{name}-{role}" in deployments, f"no Deployment {name}-{role}"
            found.append((name, role, deployments[f"{name}-{role}"]))
    return found


def container_environment(container: dict, config_maps: dict[str, dict]) -> dict[str, str]:
    """The plain values a container gets: its ConfigMaps' data, overridden by its own ``env``."""
    values: dict[str, str] = {}
    for source in container.get("envFrom", []):
        values |= config_maps[source["configMapRef"]["name"]].get("data", {})
    values |= {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}
    return values


def _probe_port(probe: dict, ports: dict[str, dict]) -> int:
    port = probe["httpGet"]["port"]
    return ports[port]["containerPort"] if isinstance(port, str) else port


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_worker_opens_its_probe_port_and_is_probed_on_healthz_and_readyz(rendered, prefixes, overlay):
    """Relays, consumers and daemons serve /healthz, /readyz and /metrics only when
    <PREFIX>WORKER_PROBE_PORT is set (dgplan_shared.worker): without it the probes below would fail
    and the kubelet would restart a healthy worker forever."""
    by_service = {v: k for k, v in prefixes.items()}
    config_maps = by_kind(rendered[overlay], "ConfigMap")
    workers = worker_deployments(rendered[overlay])
    # A relay and a consumer per service, and every daemon (the gateway's scheduler, notifications'
    # webhook delivery): worker_deployments asserts each exists, this that the registry was not empty.
    expected = sum(len(WORKER_ROLES) + len(daemons) for daemons in service_daemons().values())
    assert {name for name, _, _ in workers} == set(by_service) and len(workers) == expected
    for name, role, deployment in workers:
        where = f"{overlay}: {name}-{role}"
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        environment = container_environment(container, config_maps)
        prefix = by_service[name]
        assert f"{prefix}WORKER_PROBE_PORT" in environment, f"{where}: {prefix}WORKER_PROBE_PORT unset, no probe port"
        # The default 127.0.0.1 is unreachable for the kubelet and Prometheus, which use the pod's address.
        assert environment.get(f"{prefix}WORKER_PROBE_HOST") in ("0.0.0.0", "::"), f"{where}: listens on loopback"
        ports = {p["name"]: p for p in container.get("ports", []) if "name" in p}
        assert PROBE_PORT_NAME in ports, f"{where}: no container port named {PROBE_PORT_NAME!r}"
        assert int(environment[f"{prefix}WORKER_PROBE_PORT"]) == ports[PROBE_PORT_NAME]["containerPort"], (
            f"{where}: {prefix}WORKER_PROBE_PORT is not the {PROBE_PORT_NAME!r} containerPort"
        )
        liveness, readiness = container.get("livenessProbe"), container.get("readinessProbe")
        assert liveness and readiness, f"{where}: needs a liveness and a readiness probe"
        assert liveness["httpGet"]["path"] == "/healthz", where
        assert readiness["httpGet"]["path"] == "/readyz", where
        for probe in (liveness, readiness):
            assert probe["httpGet"]["port"] == PROBE_PORT_NAME, f"{where}: probe the named port {PROBE_PORT_NAME!r}"
            assert _probe_port(probe, ports) == ports[PROBE_PORT_NAME]["containerPort"], where
            assert probe["httpGet"].get("scheme", "HTTP") == "HTTP", where
        # Liveness must only catch a dead or blocked loop, never restart-loop a worker through a
        # slow moment: allow it a minute without an answer.
        assert liveness.get("periodSeconds", 10) * liveness.get("failureThreshold", 3) >= 60, where


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_api_containers_do_not_get_a_worker_probe_port(rendered, prefixes, overlay):
    """The API serves its probes on its HTTP port; the worker port is per worker container."""
    by_service = {v: k for k, v in prefixes.items()}
    config_maps = by_kind(rendered[overlay], "ConfigMap")
    deployments = by_kind(rendered[overlay], "Deployment")
    for name, prefix in by_service.items():
        (api,) = deployments[f"{name}-api"]["spec"]["template"]["spec"]["containers"]
        assert f"{prefix}WORKER_PROBE_PORT" not in container_environment(api, config_maps), name


def _policies_for(policies: dict[str, dict], labels: dict, policy_type: str) -> list[dict]:
    return [p for p in policies.values()
            if policy_type in p["spec"]["policyTypes"] and _selects(p["spec"]["podSelector"], labels)]


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_worker_probe_ports_admit_only_metrics_scrapers(rendered, overlay):
    """Like the APIs' /metrics: Prometheus from namespaces labelled dgplan.io/metrics-scraper=true,
    on the probe port and nothing else (the kubelet's probes need no rule)."""
    policies = by_kind(rendered[overlay], "NetworkPolicy")
    for name, role, deployment in worker_deployments(rendered[overlay]):
        where = f"{overlay}: {name}-{role}"
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        probe_port = next(p["containerPort"] for p in container["ports"] if p.get("name") == PROBE_PORT_NAME)
        rules = [rule for p in _policies_for(policies, labels, "Ingress") for rule in p["spec"].get("ingress", [])]
        assert rules, f"{where}: Prometheus cannot scrape its /metrics"
        for rule in rules:
            assert rule["from"] == [METRICS_SCRAPERS], f"{where}: ingress from {rule['from']}"
            assert rule["ports"] == [{"protocol": "TCP", "port": probe_port}], f"{where}: ingress on {rule['ports']}"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_worker_reaches_what_its_readiness_checks(rendered, overlay):
    """/readyz of a worker checks its database and Kafka: a worker that may not reach either would
    never be ready, and its rollout would never complete."""
    policies = by_kind(rendered[overlay], "NetworkPolicy")
    for name, role, deployment in worker_deployments(rendered[overlay]):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        allowed = {port["port"] for p in _policies_for(policies, labels, "Egress")
                   for rule in p["spec"].get("egress", []) for port in rule.get("ports", [])}
        assert {5432, 9092} <= allowed, f"{overlay}: {name}-{role} may only reach ports {sorted(allowed)}"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_apis_autoscale_and_every_deployment_has_a_disruption_budget(rendered, settings_types, overlay):
    deployments = by_kind(rendered[overlay], "Deployment")
    hpas = by_kind(rendered[overlay], "HorizontalPodAutoscaler")
    pdbs = list(by_kind(rendered[overlay], "PodDisruptionBudget").values())
    for name in _services(settings_types):
        hpa = hpas[f"{name}-api"]
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"{name}-api"}
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        # The HPA owns the API's replica count; a fixed count would fight it on every apply.
        assert "replicas" not in deployments[f"{name}-api"]["spec"]
    for deployment_name, deployment in deployments.items():
        if deployment["metadata"]["labels"].get("app.kubernetes.io/part-of") != "dgplan":
            continue
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        covering = [p for p in pdbs if p["spec"]["selector"]["matchLabels"].items() <= labels.items()]
        assert len(covering) == 1, f"{overlay}: {deployment_name} has {len(covering)} PodDisruptionBudgets"


def test_prod_is_sized_for_availability_and_dev_stays_small(rendered):
    prod = by_kind(rendered["prod"], "HorizontalPodAutoscaler")
    dev = by_kind(rendered["dev"], "HorizontalPodAutoscaler")
    assert all(h["spec"]["minReplicas"] >= 3 for h in prod.values())
    assert all(h["spec"]["minReplicas"] == 1 for h in dev.values())
    relays = [d for n, d in by_kind(rendered["prod"], "Deployment").items() if n.endswith("-relay")]
    assert relays and all(d["spec"]["replicas"] >= 2 for d in relays)


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_container_has_requests_and_limits(rendered, overlay):
    for workload, pod in pod_specs(rendered[overlay]):
        for container in containers(pod):
            resources = container.get("resources", {})
            for part in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(part, {})), (
                    f"{overlay}: {workload['metadata']['name']}/{container['name']} lacks {part}"
                )


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_container_is_hardened_and_runs_as_a_numeric_non_root_user(rendered, overlay):
    for workload, pod in pod_specs(rendered[overlay]):
        pod_context = pod.get("securityContext", {})
        assert pod_context.get("seccompProfile", {}).get("type") == "RuntimeDefault", workload["metadata"]["name"]
        assert pod.get("automountServiceAccountToken") is False, workload["metadata"]["name"]
        # What Pod Security "restricted" (enforced on the namespaces) refuses outright.
        assert not any(pod.get(k) for k in ("hostNetwork", "hostPID", "hostIPC")), workload["metadata"]["name"]
        allowed_volumes = {"name", "configMap", "emptyDir", "persistentVolumeClaim", "secret", "projected",
                           "downwardAPI", "csi", "ephemeral"}
        for volume in pod.get("volumes", []):
            assert set(volume) <= allowed_volumes, f"{workload['metadata']['name']}: volume {volume}"
        for container in containers(pod):
            where = f"{overlay}: {workload['metadata']['name']}/{container['name']}"
            context = {**pod_context, **container.get("securityContext", {})}
            assert context.get("runAsNonRoot") is True, where
            assert isinstance(context.get("runAsUser"), int) and context["runAsUser"] > 0, where
            assert context.get("allowPrivilegeEscalation") is False, where
            assert context.get("readOnlyRootFilesystem") is True, where
            assert context.get("privileged", False) is False, where
            assert context.get("capabilities", {}).get("drop") == ["ALL"], where
            assert not context.get("capabilities", {}).get("add"), where
            assert not any(p.get("hostPort") for p in container.get("ports", [])), where


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_no_latest_tag_and_no_untagged_image(rendered, overlay):
    for workload, pod in pod_specs(rendered[overlay]):
        for container in containers(pod):
            image = container["image"]
            name, _, tag = image.rpartition(":")
            assert name and "/" not in tag, f"{workload['metadata']['name']}: untagged image {image}"
            assert tag != "latest", f"{workload['metadata']['name']}: {image}"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_no_secret_value_in_any_manifest(rendered, settings_types, config_reference, overlay):
    secret_settings = {
        config_reference.env_name(st, n, f)
        for st in settings_types.values()
        for n, f in st.model_fields.items()
        if config_reference.is_secret(f)
    }
    assert not [d for d in rendered[overlay] if d["kind"] == "Secret"], "Secrets are referenced, never committed"
    for workload, pod in pod_specs(rendered[overlay]):
        for container in containers(pod):
            for entry in container.get("env", []):
                if SECRET_NAME.search(entry["name"]) or entry["name"] in secret_settings:
                    assert "value" not in entry, f"{workload['metadata']['name']}: {entry['name']} has a value"
                    assert "secretKeyRef" in entry["valueFrom"], entry
    for config_map in by_kind(rendered[overlay], "ConfigMap").values():
        for key in config_map.get("data", {}):
            assert not SECRET_NAME.search(key) and key not in secret_settings, f"{key} belongs in a Secret"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_network_is_denied_by_default_and_opened_only_along_the_designed_paths(
    rendered, settings_types, frontend_settings_types, overlay
):
    policies = by_kind(rendered[overlay], "NetworkPolicy")
    deny = policies["default-deny-all"]["spec"]
    assert deny["podSelector"] == {} and sorted(deny["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in deny and "egress" not in deny
    services = _services(settings_types)
    assert "gateway" in services and len(services) >= 2
    # The console's pods too: the gateway forwards its pages (GATEWAY_CONSOLE_URL).
    behind_gateway = services + sorted(frontend_settings_types)
    # A service's API is reachable from the gateway's API pods only (and metrics scrapers).
    for name in behind_gateway:
        if name == "gateway":
            continue
        rules = policies[f"{name}-api-ingress"]["spec"]["ingress"]
        peers = [peer for rule in rules for peer in rule["from"]]
        pod_peers = [p["podSelector"]["matchLabels"] for p in peers if "podSelector" in p]
        assert pod_peers == [{"app.kubernetes.io/name": "gateway", "app.kubernetes.io/component": "api"}], name
        other_peers = [p for p in peers if "podSelector" not in p]
        assert all(p == METRICS_SCRAPERS for p in other_peers), f"{name}-api-ingress admits {other_peers}"
    # The gateway's API may call each of them (it finds them by GATEWAY_<SERVICE>_URL).
    deployments = by_kind(rendered[overlay], "Deployment")
    gateway_labels = deployments["gateway-api"]["spec"]["template"]["metadata"]["labels"]
    gateway_egress = [rule for p in _policies_for(policies, gateway_labels, "Egress")
                      for rule in p["spec"].get("egress", [])]
    for name in behind_gateway:
        if name == "gateway":
            continue
        api_labels = deployments[f"{name}-api"]["spec"]["template"]["metadata"]["labels"]
        assert any(_admits(rule.get("ports"), 8080)
                   and any(_selects(peer.get("podSelector", {}), api_labels) and "ipBlock" not in peer
                           for peer in rule.get("to", []))
                   for rule in gateway_egress), f"{overlay}: the gateway's API may not reach {name}-api on 8080"
    # Nothing else in the namespace accepts connections.
    ingress_targets = {
        n for n, p in policies.items() if "Ingress" in p["spec"]["policyTypes"] and p["spec"].get("ingress")
    }
    expected = {f"{s}-api-ingress" for s in behind_gateway}
    # Prometheus to the workers' probe ports (test_worker_probe_ports_admit_only_metrics_scrapers).
    expected |= {f"{s}-workers-ingress-metrics" for s in services}
    expected |= {"gateway-scheduler-ingress-metrics"}
    if overlay == "dev":
        expected |= {"dev-postgres-ingress", "dev-kafka-ingress"}
    assert ingress_targets == expected


# What a webhook URL must never reach: private, loopback, link-local (cloud metadata), CGNAT.
INTERNAL_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10",
    "fc00::/7", "fe80::/10", "::1/128",
))
PUBLIC_ADDRESSES = tuple(ipaddress.ip_address(a) for a in ("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"))
HTTPS = 443


def _block_admits(block: dict, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    cidr = ipaddress.ip_network(block["cidr"])
    return (address.version == cidr.version and address in cidr
            and not any(address in ipaddress.ip_network(e) for e in block.get("except", [])))


def _block_leaks(block: dict) -> list[str]:
    """The internal networks an ipBlock lets through (wholly or partly)."""
    cidr = ipaddress.ip_network(block["cidr"])
    excepted = [ipaddress.ip_network(e) for e in block.get("except", [])]
    return [str(n) for n in INTERNAL_NETWORKS
            if n.version == cidr.version and n.overlaps(cidr)
            and not any(e.version == n.version and n.subnet_of(e) for e in excepted)]


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_webhook_delivery_reaches_public_https_receivers_and_never_the_internal_network(rendered, overlay):
    """Of notifications' pods only the ``deliver`` daemon may open connections to webhook receivers:
    TCP 443 to public addresses, with private, loopback, link-local and CGNAT ranges excepted (so no
    webhook URL leads into the cluster or to the cloud metadata service). Its API, which takes the
    subscribers' URLs, and its relay and consumer have no path on 443 at all."""
    policies = by_kind(rendered[overlay], "NetworkPolicy")
    deployments = by_kind(rendered[overlay], "Deployment")
    daemons = service_daemons()
    assert "deliver" in daemons["notifications"]
    for role in (*ROLES, *daemons["notifications"]):
        where = f"{overlay}: notifications-{role}"
        labels = deployments[f"notifications-{role}"]["spec"]["template"]["metadata"]["labels"]
        https = [rule for p in _policies_for(policies, labels, "Egress") for rule in p["spec"].get("egress", [])
                 if _admits(rule.get("ports"), HTTPS)]
        if role != "deliver":
            assert https == [], f"{where} may open connections on {HTTPS}: {https}"
            continue
        assert https, f"{where}: no egress on {HTTPS}, webhooks could never be delivered"
        for rule in https:
            peers = rule.get("to")
            assert peers, f"{where}: {HTTPS} to any destination, the internal network included"
            for peer in peers:
                assert set(peer) == {"ipBlock"}, f"{where}: {HTTPS} to {peer} (pods inside the cluster)"
                leaks = _block_leaks(peer["ipBlock"])
                assert not leaks, f"{where}: {peer['ipBlock']['cidr']} lets {leaks} through"
        for address in PUBLIC_ADDRESSES:
            assert any(_block_admits(peer["ipBlock"], address) for rule in https for peer in rule["to"]), (
                f"{where}: a receiver at {address} is unreachable"
            )


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_gateway_alone_is_exposed_through_an_ingress(rendered, overlay):
    ingresses = list(by_kind(rendered[overlay], "Ingress").values())
    assert len(ingresses) == 1
    backends = {
        path["backend"]["service"]["name"]
        for rule in ingresses[0]["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"gateway-api"}
    assert ingresses[0]["spec"]["tls"][0]["secretName"]


def test_postgres_and_kafka_run_in_dev_only(rendered):
    dev = by_kind(rendered["dev"], "StatefulSet")
    assert {"postgres", "kafka"} <= set(dev)
    assert not by_kind(rendered["prod"], "StatefulSet")


def test_prod_replicates_topics_three_times_and_points_at_external_brokers(rendered, settings_types):
    config_maps = by_kind(rendered["prod"], "ConfigMap")
    for name, st in settings_types.items():
        prefix = str(st.model_config["env_prefix"])
        (data,) = [c["data"] for n, c in config_maps.items() if n.startswith(f"{name}-config")]
        assert data[f"{prefix}KAFKA_TOPIC_REPLICATION_FACTOR"] == "3"
        assert data[f"{prefix}BUS"] == "kafka"
        assert len(data[f"{prefix}KAFKA_BOOTSTRAP_SERVERS"].split(",")) >= 3


def service_commands() -> dict[str, set[str]]:
    """Every command each service's command line accepts (dgplan_shared.cli plus its own), the
    console's included (the same command line over its definition)."""
    from dgplan_shared.registry import installed_frontends, installed_services

    common = {"api", "relay", "consumer", "migrate", "setup", PURGE_COMMAND}
    found = {**installed_services(), **installed_frontends()}
    return {name: common | set(d.commands) | set(d.daemons) for name, d in found.items()}


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_dgplan_container_runs_a_command_its_service_has(rendered, overlay):
    commands = service_commands()
    checked: dict[str, int] = {}
    for workload, pod in pod_specs(rendered[overlay]):
        for container in containers(pod):
            service = dgplan_service(container["image"])
            if service is not None:
                assert container["args"][0] in commands[service], (
                    f"{workload['metadata']['name']}: dgplan-{service} has no command {container['args'][0]!r}"
                )
                checked[service] = checked.get(service, 0) + 1
    # An image pattern that stopped matching would otherwise check nothing and pass.
    assert set(checked) == set(commands), f"containers checked per service: {checked}"


def test_every_compose_dgplan_container_runs_a_command_its_service_has(compose):
    commands = service_commands()
    checked: dict[str, int] = {}
    for name, svc in compose["services"].items():
        service = dgplan_service(svc["image"])
        if service is not None:
            assert svc["command"][0] in commands[service], f"{name}: dgplan-{service} has no {svc['command'][0]!r}"
            checked[service] = checked.get(service, 0) + 1
    assert set(checked) == set(commands), f"compose services checked per service: {checked}"


def _pod_labels(docs: list[dict]) -> list[dict]:
    return [w["spec"]["template"]["metadata"]["labels"] if w["kind"] != "CronJob"
            else w["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
            for w, _ in pod_specs(docs)]


def _selects(selector: dict, labels: dict) -> bool:
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expression in selector.get("matchExpressions", []):
        present = expression["key"] in labels
        value = labels.get(expression["key"])
        if expression["operator"] == "In" and value not in expression["values"]:
            return False
        if expression["operator"] == "NotIn" and value in expression["values"]:
            return False
        if expression["operator"] == "Exists" and not present:
            return False
    return True


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_reference_resolves(rendered, overlay):
    """kustomize renders dangling names without complaint; a typo would only show at deploy time."""
    docs = rendered[overlay]
    config_maps = set(by_kind(docs, "ConfigMap"))
    accounts = set(by_kind(docs, "ServiceAccount"))
    for workload, pod in pod_specs(docs):
        where = workload["metadata"]["name"]
        assert pod.get("serviceAccountName", "default") in accounts | {"default"}, where
        for volume in pod.get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in config_maps, where
        for container in containers(pod):
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in config_maps, where
    pods = _pod_labels(docs)
    for name, service in by_kind(docs, "Service").items():
        assert any(service["spec"]["selector"].items() <= labels.items() for labels in pods), f"Service/{name}"
    for name, policy in by_kind(docs, "NetworkPolicy").items():
        assert any(_selects(policy["spec"]["podSelector"], labels) for labels in pods), f"NetworkPolicy/{name}"
    deployments = by_kind(docs, "Deployment")
    for name, hpa in by_kind(docs, "HorizontalPodAutoscaler").items():
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments, f"HorizontalPodAutoscaler/{name}"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_referenced_secret_is_listed_in_the_operations_guide(rendered, overlay):
    from deploy_support import GUIDE

    guide = GUIDE.read_text(encoding="utf-8")
    secrets = set()
    for _, pod in pod_specs(rendered[overlay]):
        for container in containers(pod):
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    secrets.add((ref["name"], ref["key"]))
    for ingress in by_kind(rendered[overlay], "Ingress").values():
        secrets |= {(tls["secretName"], "tls.crt") for tls in ingress["spec"].get("tls", [])}
    assert secrets
    rows = [line for line in guide.splitlines() if line.startswith("| `")]
    for name, key in sorted(secrets):
        assert any(f"`{name}`" in row and f"`{key}`" in row for row in rows), f"Secret {name} key {key} undocumented"


def test_prod_consumers_never_outnumber_the_partitions(rendered, settings_types):
    config_maps = by_kind(rendered["prod"], "ConfigMap")
    deployments = by_kind(rendered["prod"], "Deployment")
    for name, st in settings_types.items():
        prefix = str(st.model_config["env_prefix"])
        (data,) = [c["data"] for n, c in config_maps.items() if n.startswith(f"{name}-config")]
        partitions = int(data.get(f"{prefix}KAFKA_TOPIC_PARTITIONS", st.model_fields["kafka_topic_partitions"].default))
        assert deployments[f"{name}-consumer"]["spec"]["replicas"] <= partitions, name


def _cron_pod(cronjob: dict) -> dict:
    return cronjob["spec"]["jobTemplate"]["spec"]["template"]


def _purge_cronjobs(docs: list[dict], service: str) -> list[dict]:
    """The CronJobs whose container runs ``purge-idempotency-keys`` from ``service``'s image."""
    return [
        c for c in by_kind(docs, "CronJob").values()
        if any(dgplan_service(k["image"]) == service and k.get("args", [])[:1] == [PURGE_COMMAND]
               for k in containers(_cron_pod(c)["spec"]))
    ]


def _admits(rule_ports: list[dict] | None, port: int) -> bool:
    """Whether a NetworkPolicy rule's ``ports`` let TCP ``port`` through (no ports: every port)."""
    if not rule_ports:
        return True
    return any(p.get("protocol", "TCP") == "TCP" and p.get("port") in (None, port) for p in rule_ports)


def _reaches_postgres(docs: list[dict], pod_labels: dict) -> list[str]:
    """Why a pod with ``pod_labels`` could not open a connection to PostgreSQL (empty: it can).

    Egress: some policy selecting the pod allows TCP 5432 to anywhere, or (dev) to the in-cluster
    PostgreSQL pods. Dev also runs PostgreSQL in the namespace, behind the same default deny: its
    ingress policies must admit the pod on 5432 too.
    """
    policies = by_kind(docs, "NetworkPolicy")
    postgres = [s["spec"]["template"]["metadata"]["labels"] for n, s in by_kind(docs, "StatefulSet").items()
                if n == "postgres"]
    problems = []

    def destination_ok(rule: dict) -> bool:
        peers = rule.get("to")
        if not peers:
            return True  # any destination (production pins its PostgreSQL with ipBlocks, if at all)
        return any("ipBlock" in peer or any(_selects(peer.get("podSelector", {}), labels) for labels in postgres)
                   for peer in peers)

    egress = [rule for p in _policies_for(policies, pod_labels, "Egress") for rule in p["spec"].get("egress", [])]
    if not any(_admits(rule.get("ports"), POSTGRES_PORT) and destination_ok(rule) for rule in egress):
        problems.append(f"no egress policy lets it out to PostgreSQL on {POSTGRES_PORT}")
    for labels in postgres:
        ingress = [rule for p in _policies_for(policies, labels, "Ingress") for rule in p["spec"].get("ingress", [])]
        if not any(_admits(rule.get("ports"), POSTGRES_PORT)
                   and any(_selects(peer.get("podSelector", {}), pod_labels) and "namespaceSelector" not in peer
                           for peer in rule.get("from", []))
                   for rule in ingress):
            problems.append("the in-cluster PostgreSQL does not admit it")
    return problems


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_service_purges_its_idempotency_keys_daily_with_its_own_database(rendered, settings_types, overlay):
    """One CronJob per service runs the built-in ``purge-idempotency-keys`` (keys older than
    <PREFIX>IDEMPOTENCY_KEY_RETENTION_DAYS, from the service's ConfigMap): never two at once, on a
    fixed time zone, with the API's configuration, database Secret and account, and a network path
    to PostgreSQL. Hardening is checked for every pod by
    test_every_container_is_hardened_and_runs_as_a_numeric_non_root_user and again here."""
    docs = rendered[overlay]
    deployments = by_kind(docs, "Deployment")
    config_maps = by_kind(docs, "ConfigMap")
    for name in _services(settings_types):
        found = _purge_cronjobs(docs, name)
        assert len(found) == 1, (
            f"{overlay}: {name} has {len(found)} CronJobs running {PURGE_COMMAND} "
            f"({[c['metadata']['name'] for c in found]}), expected exactly one"
        )
        (cronjob,) = found
        where = f"{overlay}: CronJob {cronjob['metadata']['name']}"
        spec = cronjob["spec"]
        # Two purges of one table at once would only fight over the same rows.
        assert spec.get("concurrencyPolicy") == "Forbid", f"{where}: concurrencyPolicy must be Forbid"
        assert spec.get("timeZone"), f"{where}: no timeZone (it would follow the controller's clock)"
        zones = available_timezones()  # empty where the system has no zone database: skip that part
        assert not zones or spec["timeZone"] in zones, f"{where}: unknown timeZone {spec['timeZone']!r}"
        minute, hour, *rest = spec["schedule"].split()
        daily = minute.isdigit() and hour.isdigit() and rest == ["*", "*", "*"]
        assert daily, f"{where}: not daily ({spec['schedule']})"
        job = spec["jobTemplate"]["spec"]
        assert job.get("activeDeadlineSeconds") and "backoffLimit" in job, f"{where}: unbounded Job"
        assert spec.get("successfulJobsHistoryLimit") is not None and spec.get("failedJobsHistoryLimit"), where

        template = _cron_pod(cronjob)
        pod = template["spec"]
        assert pod["restartPolicy"] == "Never", where
        (container,) = pod["containers"]
        # The retention setting decides; a fixed --older-than-days would silently override it.
        assert container["args"] == [PURGE_COMMAND], f"{where}: args {container['args']}"
        assert dgplan_service(container["image"]) == name, f"{where}: image {container['image']}"

        # What the service's API gets: its ConfigMap, its database Secret (by reference), its account.
        (api,) = deployments[f"{name}-api"]["spec"]["template"]["spec"]["containers"]
        api_pod = deployments[f"{name}-api"]["spec"]["template"]["spec"]
        assert container.get("envFrom") == api["envFrom"], f"{where}: not the service's ConfigMap"
        assert all(s["configMapRef"]["name"] in config_maps for s in container["envFrom"]), where
        database = [e for e in container.get("env", []) if e["name"].endswith("DATABASE_URL")]
        api_database = [e for e in api["env"] if e["name"].endswith("DATABASE_URL")]
        assert database == api_database and "secretKeyRef" in database[0]["valueFrom"], (
            f"{where}: the database URL must come from the service's Secret, by reference"
        )
        assert pod["serviceAccountName"] == api_pod["serviceAccountName"], where

        # Hardened like every other pod (Pod Security "restricted").
        pod_context = pod.get("securityContext", {})
        context = {**pod_context, **container.get("securityContext", {})}
        assert pod_context.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
        assert pod.get("automountServiceAccountToken") is False, where
        assert context.get("runAsNonRoot") is True and isinstance(context.get("runAsUser"), int) \
            and context["runAsUser"] > 0, f"{where}: must run as a numeric non-root user"
        assert context.get("readOnlyRootFilesystem") is True, f"{where}: root filesystem must be read-only"
        assert context.get("allowPrivilegeEscalation") is False, f"{where}: privilege escalation allowed"
        assert context.get("privileged", False) is False, where
        assert context.get("capabilities", {}).get("drop") == ["ALL"], f"{where}: must drop ALL capabilities"
        assert {"cpu", "memory"} <= set(container.get("resources", {}).get("limits", {})), where

        # Default deny: without a policy matching its labels it could never reach its database.
        problems = _reaches_postgres(docs, template["metadata"]["labels"])
        assert not problems, f"{where}: cannot reach PostgreSQL: {'; '.join(problems)}"


def test_the_purge_command_the_cronjobs_run_is_accepted_by_every_service(rendered, capsys):
    """The CronJobs' arguments parse in each service's command line (``--help`` stops before any
    database is opened)."""
    from dgplan_shared.cli import main
    from dgplan_shared.registry import installed_services

    for name, definition in installed_services().items():
        found = _purge_cronjobs(rendered["prod"], name)
        assert len(found) == 1, f"prod: {name} has {len(found)} CronJobs running {PURGE_COMMAND}"
        (container,) = _cron_pod(found[0])["spec"]["containers"]
        with pytest.raises(SystemExit) as exit_:
            main(definition, [*container["args"], "--help"])
        assert exit_.value.code == 0, name
        assert "--older-than-days" in capsys.readouterr().out, name
