"""A Python client generated from the gateway's merged OpenAPI document drives one journey of an
agency system through a real running gateway: a token by client credentials, a budget request
submitted, its status read back — and the same request list imported from a CSV file.

The point is the document: a code generator (openapi-python-client, pinned) must be able to
turn it into a working client. The client is generated at test time into a temporary directory
(never committed), with its post-hooks (ruff formatting) turned off so that nothing but the
generator itself is needed. The suite runs embedded on loopback (the security tests' suite:
every service with its SQLite file, one in-process bus, the gateway on an ephemeral port).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))

from security_suite import SuiteThread  # noqa: E402

PACKAGE = f"dgplan_client_{uuid.uuid4().hex[:8]}"  # unique: no clash with an earlier import


@pytest.fixture(scope="module")
def suite(tmp_path_factory):  # type: ignore[no-untyped-def]
    with SuiteThread(tmp_path_factory.mktemp("generated-client-suite")) as running:
        yield running


@pytest.fixture(scope="module")
def client_package(suite, tmp_path_factory) -> ModuleType:  # type: ignore[no-untyped-def]
    where = tmp_path_factory.mktemp("generated-client")
    document = httpx.get(f"{suite.gateway_url}/openapi.json", timeout=60)
    assert document.status_code == 200
    spec = where / "openapi.json"
    spec.write_text(document.text)
    config = where / "config.yaml"
    config.write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\nproject_name_override: dgplan-client\n")
    done = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec), "--config", str(config),
         "--output-path", str(where / PACKAGE), "--meta", "none"],
        capture_output=True, text=True, timeout=300, cwd=where,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # A warning may name a media type the generator does not model (the spreadsheet types, beside
    # the octet-stream it uses); an operation left out of the client may not happen.
    assert "will not be generated" not in output, output
    sys.path.insert(0, str(where))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))


def _operation(package: ModuleType, tag: str, prefix: str) -> Any:
    """The generated module of an operation (named after its operationId, in its tag's folder)."""
    folder = Path(package.__file__).parent / "api" / tag
    found = sorted(p.stem for p in folder.glob(f"{prefix}*.py"))
    assert len(found) == 1, (tag, prefix, found)
    return importlib.import_module(f"{package.__name__}.api.{tag}.{found[0]}")


def _model(package: ModuleType, name: str) -> Any:
    return getattr(importlib.import_module(f"{package.__name__}.models"), name)


def _token(package: ModuleType, base_url: str, client_id: str, secret: str) -> str:
    client_type = importlib.import_module(f"{package.__name__}.client").Client
    token_op = _operation(package, "authentication", "token_")
    body_type = _model(package, "TokenOauth2TokenPostBody")
    grant = _model(package, "TokenOauth2TokenPostBodyGrantType")
    with client_type(base_url=base_url, httpx_args={"auth": (client_id, secret)}, raise_on_unexpected_status=True) as c:
        answer = token_op.sync(client=c, body=body_type(grant_type=grant.CLIENT_CREDENTIALS))
    assert answer.__class__.__name__.endswith("Response200"), answer
    assert answer.token_type == "Bearer" and answer.expires_in > 0
    return answer.access_token


def _json(response: Any) -> Any:
    return json.loads(response.content)


def test_a_generated_client_gets_a_token_submits_a_request_and_reads_its_status(suite, client_package):
    package = client_package
    secrets = suite.demo_secrets()
    authenticated = importlib.import_module(f"{package.__name__}.client").AuthenticatedClient
    gateway = suite.gateway_url

    secretariat = authenticated(base_url=gateway, token=_token(package, gateway, "demo-secretariat", secrets["demo-secretariat"]))
    mof = authenticated(base_url=gateway, token=_token(package, gateway, "demo-agency-mof", secrets["demo-agency-mof"]))

    # Setup through the generated client too: a draft of the seed plan, MOF's project in it, a round.
    plans = _json(_operation(package, "plans", "list_plans").sync_detailed(client=secretariat))
    plan_id = plans["items"][0]["id"]
    drafted = _operation(package, "versions", "revise_").sync_detailed(
        plan_id, client=secretariat, body=_model(package, "ReviseIn").from_dict({}), idempotency_key=uuid.uuid4().hex)
    assert drafted.status_code == 201, drafted.content
    draft_id = _json(drafted)["id"]
    nodes = _json(_operation(package, "versions", "nodes_of_version").sync_detailed(
        plan_id, draft_id, client=secretariat, node_type="strategy"))
    strategy_id = nodes["items"][0]["id"]
    project_in = _model(package, "ProjectCreate").from_dict({
        "plan_id": plan_id, "parent_id": strategy_id, "code": f"MOF-GEN-{uuid.uuid4().hex[:6]}",
        "name": {"th": "โครงการของลูกค้าที่สร้างจาก OpenAPI", "en": "A generated client's project"},
        "roles": [{"agency": "MOF", "role": "lead"}], "start_fy": 2564, "end_fy": 2565,
    })
    created = _operation(package, "projects", "register_project").sync_detailed(
        client=mof, body=project_in, idempotency_key=uuid.uuid4().hex)
    assert created.status_code == 201, created.content
    project_id = _json(created)["id"]
    suite.settle()  # the ledger learns of the project from the registry's event

    now = datetime.now(timezone.utc)
    round_in = _model(package, "RoundOpenIn").from_dict({
        "plan_id": plan_id, "fiscal_year": 2565, "ceiling": "50000000.00", "title": "รอบของลูกค้าที่สร้างขึ้น",
        "submission_deadline": (now + timedelta(days=30)).isoformat(),
        "decision_deadline": (now + timedelta(days=60)).isoformat(),
    })
    opened = _operation(package, "screening", "open_").sync_detailed(client=secretariat, body=round_in,
                                                                    idempotency_key=uuid.uuid4().hex)
    assert opened.status_code == 201, opened.content
    round_id = _json(opened)["round_id"]

    # The journey: MOF submits its budget request and reads where it stands.
    request_in = _model(package, "RequestIn").from_dict({
        "project_id": project_id, "amounts": {"operating": "1250000.50", "investment": "3000000.00"},
        "justification": "ระบบบริการประชาชนแบบเบ็ดเสร็จ", "priority": 1,
    })
    key = uuid.uuid4().hex
    submit = _operation(package, "screening", "submit_")
    submitted = submit.sync_detailed(round_id, client=mof, body=request_in, idempotency_key=key)
    assert submitted.status_code == 201, submitted.content
    request_id = _json(submitted)["request_id"]
    again = submit.sync_detailed(round_id, client=mof, body=request_in, idempotency_key=key)
    assert again.status_code == 201 and again.headers.get("idempotent-replayed") == "true"

    read = _operation(package, "screening", "request_").sync_detailed(request_id, client=mof)
    assert read.status_code == 200, read.content
    status = _json(read)
    assert status["decision"] is None and status["requested_total"] == "4250000.50"
    assert status["justification"] == "ระบบบริการประชาชนแบบเบ็ดเสร็จ"
    assert [h["action"] for h in status["history"]] == ["submitted"]
    listed = _json(_operation(package, "screening", "requests_").sync_detailed(round_id, client=mof))
    assert [i["request_id"] for i in listed["items"]] == [request_id]

    # The bulk import through the generated client: its download re-imports to the same request.
    export_format = importlib.import_module(
        f"{package.__name__}.models").ExportRequestsApiV1ScreeningRoundsRoundIdExportsRequestsGetFormatType0
    exported = _operation(package, "exchange", "export_requests").sync_detailed(
        round_id, client=mof, format_=export_format.XLSX)
    assert exported.status_code == 200
    file_type = importlib.import_module(f"{package.__name__}.types").File
    imported = _operation(package, "exchange", "import_").sync_detailed(
        round_id, client=mof, body=file_type(payload=exported.content, file_name="requests.xlsx"),
        idempotency_key=uuid.uuid4().hex)
    assert imported.status_code == 200, imported.content
    assert _json(imported)["counts"] == {"created": 0, "revised": 0, "unchanged": 1}

