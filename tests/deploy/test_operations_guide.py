"""docs/operations.md: its configuration reference is exactly what the settings classes say, and it
covers what an operator is promised (topics, scaling, upgrades, backups, replays, DLQs, runbook)."""

from __future__ import annotations

import re

import pytest
from deploy_support import GUIDE


def test_configuration_reference_matches_the_settings_classes(config_reference):
    guide = GUIDE.read_text(encoding="utf-8")
    committed = guide[guide.index(config_reference.BEGIN): guide.index(config_reference.END) + len(config_reference.END)]
    generated = config_reference.render().rstrip("\n")
    assert committed == generated, "the guide is stale: run python scripts/gen_config_reference.py"


def test_every_setting_of_every_service_appears_with_its_variable(config_reference, settings_types):
    guide = GUIDE.read_text(encoding="utf-8")
    base = set(config_reference.ServiceSettings.model_fields)
    for st in settings_types.values():
        for name, field in st.model_fields.items():
            variable = config_reference.env_name(st, name, field)
            shown = f"`<PREFIX>{name.upper()}`" if name in base else f"`{variable}`"
            assert shown in guide, f"{variable} is missing from the guide"


def test_every_setting_says_what_it_does(config_reference, settings_types):
    undocumented = [
        config_reference.env_name(st, n, f)
        for st in settings_types.values()
        for n, f in st.model_fields.items()
        if not config_reference.description(st, n, f)
    ]
    assert undocumented == [], "give these settings a Field(description=...): the guide is generated from it"


def test_the_check_mode_detects_a_stale_guide(config_reference, tmp_path, monkeypatch):
    stale = tmp_path / "operations.md"
    text = GUIDE.read_text(encoding="utf-8")
    stale.write_text(text.replace("| `<PREFIX>LOG_LEVEL` |", "| `<PREFIX>LOG_LEVELS` |"), encoding="utf-8")
    monkeypatch.setattr(config_reference, "GUIDE", stale)
    monkeypatch.setattr(config_reference, "ROOT", tmp_path)
    assert config_reference.main(["--check"]) == 1
    assert config_reference.main([]) == 0
    assert stale.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "heading",
    [
        "Configuration reference",
        "Topics and consumer groups",
        "Scaling each part",
        "Rolling upgrades with migrations",
        "Backup and restore",
        "Replaying events and rebuilding read models",
        "Dead-letter topics",
        "Kafka (the broker) is down",
        "PostgreSQL is down",
        "A consumer is stuck (lag grows)",
        "The audit chain no longer verifies",
        "Idempotency keys",
    ],
)
def test_the_guide_has_the_promised_section(heading):
    headings = re.findall(r"^#{2,3} (.+)$", GUIDE.read_text(encoding="utf-8"), re.M)
    assert heading in headings


def test_every_referenced_repository_path_exists():
    root = GUIDE.parent.parent
    checked = []
    # The path is the first word of a code span (`deploy/k8s/run-once.sh <namespace> ...` names the script).
    for path in re.findall(r"`((?:deploy|services|scripts|docs|tests)/[^`\s]*)", GUIDE.read_text(encoding="utf-8")):
        if "<" in path:
            path = path[: path.index("<")]  # a placeholder: the directory before it must exist
        assert (root / path).exists(), path
        checked.append(path)
    # The guide names scripts and manifests throughout; finding only a few means the pattern broke.
    assert len(checked) >= 5, f"only {checked} matched: the pattern no longer finds the guide's references"


def test_the_deploy_readme_points_at_things_that_exist():
    readme = (GUIDE.parent.parent / "deploy" / "README.md").read_text(encoding="utf-8")
    root = GUIDE.parent.parent / "deploy"
    for path in re.findall(r"`((?:\.\./|k8s/|overlays/|components/|base/)[\w./-]*)`", readme):
        candidates = [root / path, root / "k8s" / path]
        assert any(c.exists() for c in candidates), path


def test_the_idempotency_key_purge_is_explained_with_commands_that_match_the_manifests(rendered):
    """What the daily purge does, its setting, what a purged key means for a retry, how to run it by
    hand and how to shorten the retention once; every CronJob it names is one the overlays render."""
    guide = GUIDE.read_text(encoding="utf-8")
    start = guide.index("\n## Idempotency keys\n")
    section = guide[start: guide.index("\n## ", start + 1)]
    for needed in ("`<PREFIX>IDEMPOTENCY_KEY_RETENTION_DAYS`", "purge-idempotency-keys", "new request",
                   "kubectl -n dgplan create job --from=cronjob/", "--older-than-days"):
        assert needed in section, f"the Idempotency keys section lacks {needed!r}"
    named = set(re.findall(r"--from=cronjob/([a-z0-9-]+)", section))
    cronjobs = {d["metadata"]["name"] for d in rendered["prod"] if d["kind"] == "CronJob"}
    assert named and named <= cronjobs, f"the guide names CronJobs the manifests lack: {sorted(named - cronjobs)}"


def test_external_consumers_are_told_to_deduplicate_by_id():
    """At-least-once is a promise to readers outside dgplan: both the guide and the catalogue say it."""
    catalogue = (GUIDE.parent / "events.md").read_text(encoding="utf-8")
    header = catalogue.split("| type |")[0]
    for where, page in (("docs/operations.md", GUIDE.read_text(encoding="utf-8")), ("docs/events.md", header)):
        prose = " ".join(page.split())  # the sentence may wrap anywhere
        assert "at-least-once" in prose and "de-duplicate by `id`" in prose, where
    assert "content-type: application/cloudevents+json" in header
