"""Both overlays render with kustomize and every object passes strict Kubernetes schema validation."""

from __future__ import annotations

import copy

import kubernetes_validate
import pytest
from deploy_support import K8S, OVERLAYS, render_kustomization

# The oldest Kubernetes the manifests promise to work on, and the newest the validator knows.
KUBERNETES_VERSIONS = ("1.30.0", kubernetes_validate.utils.latest_version())


def validation_errors(docs: list[dict], version: str) -> list[str]:
    errors = []
    for doc in docs:
        name = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{name}: {exc.message} at {'/'.join(map(str, exc.path))}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            errors.append(f"{name}: no schema ({exc})")
    return errors


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_and_passes_strict_schema_validation(rendered, overlay, version):
    docs = rendered[overlay]
    assert len(docs) > 40, f"{overlay} rendered only {len(docs)} objects"
    assert validation_errors(docs, version) == []


def test_strict_validation_rejects_a_misspelt_field(rendered):
    """The validator is really strict: a typo in a manifest cannot slip through as valid."""
    deployment = copy.deepcopy(next(d for d in rendered["prod"] if d["kind"] == "Deployment"))
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    assert validation_errors([deployment], KUBERNETES_VERSIONS[0])


def test_every_overlay_sets_its_own_namespace(rendered):
    for overlay, docs in rendered.items():
        namespaces = {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"}
        declared = [d["metadata"]["name"] for d in docs if d["kind"] == "Namespace"]
        assert namespaces == set(declared) and len(declared) == 1, (overlay, namespaces, declared)
        namespace = next(d for d in docs if d["kind"] == "Namespace")
        assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_a_broken_kustomization_fails_the_render(tmp_path):
    render_kustomization(K8S / "base")  # the tool is there (else this skips, or fails under CI=true)
    (tmp_path / "kustomization.yaml").write_text("resources:\n  - missing.yaml\n")
    with pytest.raises(pytest.fail.Exception):
        render_kustomization(tmp_path)


def test_the_base_alone_renders_too():
    docs = render_kustomization(K8S / "base")
    assert {d["kind"] for d in docs} >= {"Deployment", "Job", "Service", "NetworkPolicy", "ConfigMap"}
