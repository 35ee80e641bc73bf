"""deploy/k8s/run-once.sh cuts a one-off Job (seed, rebuild-read-models, ...) from a service's
migration Job; checked offline with DRY_RUN=1 on the rendered manifests."""

from __future__ import annotations

import json
import shutil
import subprocess

import kubernetes_validate
import pytest
from deploy_support import K8S, by_kind

SCRIPT = K8S / "run-once.sh"


def run_once(job: dict, *command: str) -> subprocess.CompletedProcess:
    if shutil.which("jq") is None:
        pytest.fail("jq is needed by deploy/k8s/run-once.sh (apt-get install jq)")
    return subprocess.run(
        ["sh", str(SCRIPT), "dgplan", job["metadata"]["labels"]["app.kubernetes.io/name"], *command],
        input=json.dumps(job), capture_output=True, text=True, env={"DRY_RUN": "1", "PATH": "/usr/bin:/bin"},
        timeout=30, check=False,
    )


def test_a_one_off_job_runs_the_command_with_everything_the_migration_job_has(rendered):
    migrate = by_kind(rendered["prod"], "Job")["gateway-migrate"]
    result = run_once(migrate, "seed-governance", "--no-demo-members")
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)
    assert job["metadata"]["name"].startswith("gateway-seed-governance-")
    pod, original = job["spec"]["template"]["spec"], migrate["spec"]["template"]["spec"]
    assert pod["containers"][0]["args"] == ["seed-governance", "--no-demo-members"]
    assert {**pod, "containers": []} == {**original, "containers": []}
    assert {k: v for k, v in pod["containers"][0].items() if k != "args"} == {
        k: v for k, v in original["containers"][0].items() if k != "args"}
    labels = job["spec"]["template"]["metadata"]["labels"]
    # The service's egress policy (database) selects it; it is not mistaken for a migration.
    assert labels["app.kubernetes.io/name"] == "gateway" and labels["app.kubernetes.io/component"] == "run-once"
    assert "dgplan.io/phase" not in job["metadata"]["labels"]
    assert job["spec"]["backoffLimit"] == 0 and "selector" not in job["spec"]
    kubernetes_validate.validate(job, "1.30.0", strict=True)


def test_without_a_command_it_explains_its_usage():
    result = subprocess.run(["sh", str(SCRIPT), "dgplan", "gateway"], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "run-once.sh <namespace> <service> <command>" in result.stderr
