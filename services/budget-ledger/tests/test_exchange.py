"""Spreadsheet exchange: downloads in XLSX and CSV, and the bulk import of budget requests that
reads them back (all rows or none, every row's errors, once per file)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from budget_ledger.adapters.tables import idempotency_keys, ledger_entries, outbox, screening_requests
from budget_ledger.events.types import PROJECT_REGISTERED

S = "/api/v1/screening"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THAI = "เหตุผลความจำเป็น: ระบบบริการประชาชน (ก้าวหน้า ๒๕๖๕) — ผู้ใช้ ๑๐,๐๐๐ คน"


@pytest.fixture
async def round_id(client, who, h, seeded):
    now = datetime.now(timezone.utc)
    body = {"plan_id": "plan-dgdp", "fiscal_year": 2565, "ceiling": "100000000.00", "title": "ปีงบประมาณ 2565",
            "submission_deadline": (now + timedelta(days=7)).isoformat(),
            "decision_deadline": (now + timedelta(days=14)).isoformat()}
    opened = await client.post(f"{S}/rounds", json=body, headers={**who.secretariat(), **h.key("open-exchange")})
    assert opened.status_code == 201, opened.text
    return opened.json()["round_id"]


async def _submit(client, who, h, round_id, project, agency, amounts, justification=THAI):
    body = {"project_id": project, "amounts": amounts, "justification": justification, "priority": 2}
    r = await client.post(f"{S}/rounds/{round_id}/requests", json=body, headers={**who.agency(agency), **h.key(f"s-{project}")})
    assert r.status_code == 201, r.text
    return r.json()


def _decision(h, decision, reason):
    # The decision of a meeting, where the decide route asks for one (the work on it is in progress).
    return {"decision": decision, "reason": reason, **({"meeting": h.meeting} if hasattr(h, "meeting") else {})}


async def _counts(db) -> dict[str, int]:
    async with db.session() as session:
        return {t.name: (await session.execute(select(func.count()).select_from(t))).scalar_one()
                for t in (screening_requests, ledger_entries, outbox, idempotency_keys)}


async def _requests(client, who, round_id, agency):
    r = await client.get(f"{S}/rounds/{round_id}/requests", params={"sort": "project"}, headers=who.agency(agency))
    assert r.status_code == 200
    return [{k: i[k] for k in ("request_id", "project_id", "amounts", "justification", "priority", "multi_year",
                                "version", "requested_total")} for i in r.json()["items"]]


def _import(client, who, round_id, agency, content, media, key):
    return client.post(f"{S}/rounds/{round_id}/requests/import", content=content,
                       headers={**who.agency(agency), "Content-Type": media, "Idempotency-Key": key})


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


async def test_requests_export_is_labelled_numeric_and_scoped_to_the_agency(client, who, h, round_id):
    await _submit(client, who, h, round_id, "p-mof", "MOF", {"operating": "1234567.89", "investment": "20000000.00"})
    await _submit(client, who, h, round_id, "p-opdc", "OPDC", {"operating": "8000000.00"})
    r = await client.get(f"{S}/rounds/{round_id}/exports/requests", headers=who.agency("MOF"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    assert r.headers["content-disposition"].startswith('attachment; filename="requests-2565-')
    book = load_workbook(io.BytesIO(r.content))
    sheet = book.worksheets[0]
    assert sheet.title == "คำของบประมาณ"
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["รหัสคำขอ", "รหัสโครงการ", "โครงการ", "ยุทธศาสตร์"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == ["p-mof"]  # never OPDC's request
    row = dict(zip(header, rows[0]))
    assert row["โครงการ"] == "P-MOF โครงการ p-mof"
    assert row["ยุทธศาสตร์"].startswith("S1 ยกระดับคุณภาพ")
    assert row["ผลการพิจารณา"] == "ยังไม่ได้พิจารณา"
    assert row["งบดำเนินงาน (บาท)"] == 1234567.89 and Decimal(repr(row["งบดำเนินงาน (บาท)"])) == Decimal("1234567.89")
    cell = sheet.cell(row=2, column=header.index("งบดำเนินงาน (บาท)") + 1)
    assert cell.number_format == "#,##0.00"
    assert row["เหตุผลความจำเป็น"] == THAI

    english = await client.get(f"{S}/rounds/{round_id}/exports/requests", params={"format": "csv", "lang": "en"},
                               headers=who.member())
    assert english.headers["content-type"].startswith("text/csv")
    table = _csv_rows(english.content)
    assert table[0][:2] == ["Request ID", "Project ID"] and len(table) == 3  # oversight sees both agencies
    assert {r[table[0].index("Decision")] for r in table[1:]} == {"Not yet screened"}
    by_accept = await client.get(f"{S}/rounds/{round_id}/exports/requests",
                                 headers={**who.agency("MOF"), "Accept": "text/csv", "Accept-Language": "en-GB,en;q=0.9"})
    assert by_accept.headers["content-type"].startswith("text/csv") and _csv_rows(by_accept.content)[0][0] == "Request ID"


async def test_status_and_balances_exports(client, who, h, round_id):
    await _submit(client, who, h, round_id, "p-mof", "MOF", {"operating": "1000.50"})
    status = await client.get(f"{S}/rounds/{round_id}/exports/status", headers=who.member())
    assert status.status_code == 200, status.text
    book = load_workbook(io.BytesIO(status.content))
    assert [s.title for s in book.worksheets] == ["รอบการพิจารณา", "สรุปผลการพิจารณา", "รายยุทธศาสตร์", "รายหน่วยงาน"]
    summary = list(book.worksheets[1].iter_rows(values_only=True))
    assert summary[0][0] == "ผลการพิจารณา" and summary[-1][0] == "รวม" and summary[-1][2] == 1000.5
    assert list(book.worksheets[2].iter_rows(values_only=True))[1][0].startswith("S1 ")
    assert (await client.get(f"{S}/rounds/{round_id}/exports/status", headers=who.agency("MOF"))).status_code == 403
    one = await client.get(f"{S}/rounds/{round_id}/exports/status", params={"format": "csv", "table": "agencies"},
                           headers=who.member())
    assert _csv_rows(one.content)[1][0] == "MOF"

    balances = await client.get("/api/v1/budget/exports/balances", params={"group_by": "strategy,expense_category"},
                                headers=who.agency("MOF"))
    assert balances.status_code == 200, balances.text
    rows = list(load_workbook(io.BytesIO(balances.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("ยุทธศาสตร์", "หมวดงบ", "วงเงินที่ขอ (บาท)")
    assert rows[1][:3] == (rows[1][0], "งบดำเนินงาน", 1000.5) and rows[1][0].startswith("S1 ")
    other = await client.get("/api/v1/budget/exports/balances", params={"agency": "OPDC"}, headers=who.agency("MOF"))
    assert other.status_code == 403


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_an_export_re_imports_to_the_same_requests(client, who, h, round_id, db, fmt):
    await _submit(client, who, h, round_id, "p-mof", "MOF", {"operating": "1234567.89", "personnel": "0.01"})
    before = await _requests(client, who, round_id, "MOF")
    exported = await client.get(f"{S}/rounds/{round_id}/exports/requests", params={"format": fmt}, headers=who.agency("MOF"))
    counts = await _counts(db)
    media = XLSX if fmt == "xlsx" else "text/csv"
    r = await _import(client, who, round_id, "MOF", exported.content, media, f"reimport-{fmt}")
    assert r.status_code == 200, r.text
    assert r.json()["counts"] == {"created": 0, "revised": 0, "unchanged": 1}
    assert await _requests(client, who, round_id, "MOF") == before
    after = await _counts(db)
    assert {k: after[k] - counts[k] for k in after} == {"screening_requests": 0, "ledger_entries": 0, "outbox": 0,
                                                       "idempotency_keys": 2}  # the key and the file


async def test_a_filled_template_creates_requests_in_one_go_with_thai_intact(client, who, h, round_id, db, feed):
    for project in ("p-mof-2", "p-mof-3"):
        assert await feed(PROJECT_REGISTERED, project, h.project_data(project, "MOF")) == "processed"
    template = await client.get(f"{S}/rounds/{round_id}/exports/requests-template", headers=who.agency("MOF"))
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert book.worksheets[0].max_row == 1
    sheet = book.worksheets[0]
    values = [
        {"รหัสโครงการ": "p-mof", "งบดำเนินงาน (บาท)": 1500000.5, "เหตุผลความจำเป็น": THAI, "ผูกพันข้ามปีงบประมาณ": "ใช่"},
        {"รหัสโครงการ": "p-mof-2", "งบลงทุน (บาท)": "2,000,000.00", "เหตุผลความจำเป็น": "จัดซื้อครุภัณฑ์คอมพิวเตอร์",
         "ลำดับความสำคัญของหน่วยงาน": 3},
        {"รหัสโครงการ": "p-mof-3", "งบบุคลากร (บาท)": 0.1 + 0.2, "เหตุผลความจำเป็น": "จ้างที่ปรึกษา"},
    ]
    for n, row in enumerate(values, start=2):
        for name, value in row.items():
            sheet.cell(row=n, column=header.index(name) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    r = await _import(client, who, round_id, "MOF", out.getvalue(), XLSX, "fill-1")
    assert r.status_code == 200, r.text
    assert r.json()["counts"] == {"created": 3, "revised": 0, "unchanged": 0}
    got = {i["project_id"]: i for i in await _requests(client, who, round_id, "MOF")}
    assert got["p-mof"]["justification"] == THAI and got["p-mof"]["amounts"] == {"operating": "1500000.50"}
    assert got["p-mof"]["multi_year"] is True
    assert got["p-mof-2"]["amounts"] == {"investment": "2000000.00"} and got["p-mof-2"]["priority"] == 3
    assert got["p-mof-3"]["amounts"] == {"personnel": "0.30"}
    # exported again, the same rows come out: re-imported, nothing changes
    again = await client.get(f"{S}/rounds/{round_id}/exports/requests", headers=who.agency("MOF"))
    rows = list(load_workbook(io.BytesIO(again.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert THAI in [r[header.index("เหตุผลความจำเป็น")] for r in rows]
    r = await _import(client, who, round_id, "MOF", again.content, XLSX, "fill-2")
    assert r.json()["counts"] == {"created": 0, "revised": 0, "unchanged": 3}


async def test_three_bad_rows_refuse_the_whole_file_and_write_nothing(client, who, h, round_id, db):
    counts = await _counts(db)
    rows = [
        ["รหัสโครงการ", "งบดำเนินงาน (บาท)", "งบลงทุน (บาท)", "เหตุผลความจำเป็น", "ลำดับความสำคัญของหน่วยงาน"],
        ["p-mof", "1000.00", "", THAI, "1"],          # good
        ["p-unknown", "1000.00", "", "ไม่มีโครงการนี้", ""],  # the registry never announced it
        ["p-oae", "๑๐๐๐.00", "", "ตัวเลขไทย", ""],       # Thai digits in an amount
        ["p-depa", "12.345", "-5", "", "x"],         # three faults on one row
    ]
    r = await _import(client, who, round_id, "MOF", _csv_bytes(rows), "text/csv; charset=utf-8", "bad-1")
    assert r.status_code in (403, 422), r.text
    # p-oae and p-depa are other agencies' projects, but their rows are refused for their cells first
    problem = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    assert problem["type"] == "urn:dgplan:problem:import-invalid", problem
    errors = problem["errors"]
    assert sorted({e["row"] for e in errors}) == [3, 4, 5]
    by_row = {(e["row"], e["column"], e["field"]) for e in errors}
    assert (3, "A", "project_id") in by_row
    assert (4, "B", "amounts.operating") in by_row
    assert {(5, "B", "amounts.operating"), (5, "C", "amounts.investment"), (5, "D", "justification"),
            (5, "E", "priority")} <= by_row
    assert next(e for e in errors if e["row"] == 5 and e["field"] == "justification")["header"] == "เหตุผลความจำเป็น"
    assert await _counts(db) == counts


async def test_another_agencys_project_refuses_the_file_with_403(client, who, h, round_id, db):
    counts = await _counts(db)
    rows = [["project_id", "operating", "justification"], ["p-mof", "10.00", "ของเรา"], ["p-opdc", "10.00", "ของคนอื่น"]]
    r = await _import(client, who, round_id, "MOF", _csv_bytes(rows), "text/csv", "foreign-1")
    assert r.status_code == 403, r.text
    assert [(e["row"], e["field"]) for e in r.json()["errors"]] == [(3, "project_id")]
    assert await _counts(db) == counts


async def test_the_same_file_twice_has_one_effect(client, who, h, round_id, db):
    rows = [["project_id", "operating", "justification"], ["p-mof", "10.00", "ครั้งเดียว"]]
    content = _csv_bytes(rows)
    first = await _import(client, who, round_id, "MOF", content, "text/csv", "once-1")
    assert first.status_code == 200 and first.json()["counts"]["created"] == 1
    counts = await _counts(db)
    replay = await _import(client, who, round_id, "MOF", content, "text/csv", "once-1")
    assert replay.headers.get("idempotent-replayed") == "true" and replay.json() == first.json()
    other_key = await _import(client, who, round_id, "MOF", content, "text/csv", "once-2")
    assert other_key.status_code == 200
    assert other_key.json()["file_already_imported"] is True and other_key.json()["rows"] == first.json()["rows"]
    after = await _counts(db)
    assert after["screening_requests"] == counts["screening_requests"] and after["ledger_entries"] == counts["ledger_entries"]
    assert after["outbox"] == counts["outbox"]
    reused = await _import(client, who, round_id, "MOF", _csv_bytes(rows + [["p-mof", "1.00", "x"]]), "text/csv", "once-1")
    assert reused.status_code == 422 and reused.json()["type"] == "urn:dgplan:problem:idempotency-key-reused"


async def test_a_returned_request_is_revised_from_the_file_and_a_screened_one_is_not(client, who, h, round_id):
    sent = await _submit(client, who, h, round_id, "p-mof", "MOF", {"operating": "1000.00"})
    exported = _csv_rows((await client.get(f"{S}/rounds/{round_id}/exports/requests", params={"format": "csv", "lang": "en"},
                                           headers=who.agency("MOF"))).content)
    header = exported[0]
    changed = [list(row) for row in exported]
    changed[1][header.index("Operating (baht)")] = "900.00"
    refused = await _import(client, who, round_id, "MOF", _csv_bytes(changed), "text/csv", "rev-1")
    assert refused.status_code == 422
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(2, "amounts")]
    decided = await client.post(f"{S}/requests/{sent['request_id']}/decisions", json=_decision(h, "return", "ปรับปรุง"),
                                headers={**who.member(), **h.key("return-1")})
    assert decided.status_code == 201, decided.text
    stale = await _import(client, who, round_id, "MOF", _csv_bytes(changed), "text/csv", "rev-2")
    assert [(e["row"], e["field"], e["column"]) for e in stale.json()["errors"]] == [(2, "version", "S")]
    changed[1][header.index("Version")] = str(decided.json()["version"])
    revised = await _import(client, who, round_id, "MOF", _csv_bytes(changed), "text/csv", "rev-3")
    assert revised.status_code == 200, revised.text
    assert revised.json()["counts"] == {"created": 0, "revised": 1, "unchanged": 0}
    assert (await _requests(client, who, round_id, "MOF"))[0]["amounts"] == {"operating": "900.00"}


async def test_unreadable_files_and_limits(client, who, h, round_id):
    no_key = await client.post(f"{S}/rounds/{round_id}/requests/import", content=b"x", headers={**who.agency("MOF"), "Content-Type": "text/csv"})
    assert no_key.status_code == 428
    garbage = await _import(client, who, round_id, "MOF", b"PK\x03\x04 not really a zip", XLSX, "u-1")
    assert garbage.status_code == 422 and garbage.json()["type"] == "urn:dgplan:problem:unreadable-spreadsheet"
    wrong_header = await _import(client, who, round_id, "MOF", _csv_bytes([["project", "amount"], ["p-mof", "1"]]), "text/csv", "u-2")
    assert wrong_header.status_code == 422 and {e["row"] for e in wrong_header.json()["errors"]} == {1}
    json_body = await _import(client, who, round_id, "MOF", b"{}", "application/json", "u-3")
    assert json_body.status_code == 415
    many = _csv_bytes([["project_id", "operating", "justification"]] + [[f"p{i}", "1.00", "x"] for i in range(1001)])
    too_many = await _import(client, who, round_id, "MOF", many, "text/csv", "u-4")
    assert too_many.status_code == 413 and too_many.json()["type"] == "urn:dgplan:problem:import-too-many-rows"
    latin1 = await _import(client, who, round_id, "MOF", "project_id,operating,justification\np-mof,1.00,é".encode("latin-1"),
                           "text/csv", "u-5")
    assert latin1.status_code == 422
    big = await _import(client, who, round_id, "MOF", b"a" * (1_048_576 + 10), "text/csv", "u-6")
    assert big.status_code == 413
    secretariat = await client.post(f"{S}/rounds/{round_id}/requests/import", content=b"a",
                                    headers={**who.secretariat(), "Content-Type": "text/csv", "Idempotency-Key": "u-7"})
    assert secretariat.status_code == 403


async def test_a_file_sent_as_octet_stream_is_read_by_its_signature(client, who, h, round_id):
    rows = [["project_id", "operating", "justification"], ["p-mof", "10.00", "ส่งเป็นไฟล์ไบนารี"]]
    as_csv = await _import(client, who, round_id, "MOF", _csv_bytes(rows), "application/octet-stream", "oct-1")
    assert as_csv.status_code == 200 and as_csv.json()["counts"]["created"] == 1, as_csv.text
    exported = await client.get(f"{S}/rounds/{round_id}/exports/requests", headers=who.agency("MOF"))
    as_xlsx = await _import(client, who, round_id, "MOF", exported.content, "application/octet-stream", "oct-2")
    assert as_xlsx.status_code == 200 and as_xlsx.json()["counts"]["unchanged"] == 1, as_xlsx.text
