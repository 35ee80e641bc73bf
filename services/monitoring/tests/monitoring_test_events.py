"""Events as the registry and the ledger publish them (docs/contracts.md), built for tests, and
a way to feed them through monitoring's real inbox consumer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from dgplan_shared.bus.base import IncomingRecord
from dgplan_shared.events import CloudEvent, topic_for
from dgplan_shared.commands import execute
from dgplan_shared.db.uow import UnitOfWork
from monitoring.adapters.tables import READ_MODELS, outbox
from monitoring.application.rebuild_read_models import RebuildReadModels, handle

REGISTRY = "plan-registry"
LEDGER = "budget-ledger"

PLAN_ID = "plan-dgdp"
STRATEGIES = [
    # code, number, th, en, framework (baht), measures, work plans, projects
    ("S1", 1, "ยกระดับคุณภาพการให้บริการประชาชนด้วยเทคโนโลยีดิจิทัล",
     "Raise the quality of public services with digital technology", "4879870000.00", 4, 7, 17),
    ("S2", 2, "อำนวยความสะดวกในการประกอบธุรกิจด้วยเทคโนโลยีดิจิทัล",
     "Facilitate Thai business with digital technology", "518460000.00", 5, 6, 8),
    ("S3", 3, "ขับเคลื่อนการกำกับดูแลข้อมูลภาครัฐในทุกกระบวนการทำงานของภาครัฐ",
     "Drive public-sector data governance in every government work process", "946360000.00", 3, 4, 11),
    ("S4", 4, "สร้างกลไกการมีส่วนร่วมของทุกภาคส่วนในการขับเคลื่อนรัฐบาลดิจิทัล",
     "Build mechanisms for all sectors to take part in driving digital government", "160000000.00", 3, 3, 5),
]
TARGETS = [
    ("T1", "ลดความเหลื่อมล้ำในการเข้าถึงบริการและสวัสดิการของประชาชน",
     "Reduce inequality in citizens' access to services and welfare"),
    ("T2", "ยกระดับขีดความสามารถในการแข่งขันของ SMEs ไทย", "Raise the competitiveness of Thai SMEs"),
    ("T3", "ภาครัฐมีการทำงานที่โปร่งใส ตรวจสอบได้", "Make government work transparent and auditable"),
    ("T4", "สร้างการมีส่วนร่วมของประชาชนในการพัฒนาและกำหนดนโยบายสำคัญของประเทศ",
     "Build citizens' participation in developing and setting key national policy"),
]
# Example projects the seed document names, by strategy, with a plausible lead agency.
EXAMPLE_PROJECTS = [
    ("P-S1-01", "S1", "MOF", "T1", "แพลตฟอร์มบริการประชาชนแบบเบ็ดเสร็จ", "One-stop citizen service platform"),
    ("P-S1-02", "S1", "DGA", "T1", "แพลตฟอร์มแลกเปลี่ยนข้อมูลภาครัฐ", "Government data-exchange platform"),
    ("P-S1-03", "S1", "MOF", "T1", "แพลตฟอร์มจัดเก็บข้อมูลสิทธิสวัสดิการของประชาชนตามพื้นที่",
     "Platform storing citizens' welfare-entitlement data by locality"),
    ("P-S1-04", "S1", "OAE", "T1", "ระบบฐานข้อมูลเกษตรกร", "Farmers' database system"),
    ("P-S2-01", "S2", "OPDC", "T2", "ระบบการขออนุญาตสำหรับภาคธุรกิจ", "Permit-application system for businesses"),
    ("P-S2-02", "S2", "DEPA", "T2", "ศูนย์นวัตกรรมดิจิทัลภาครัฐเพื่อบริการภาคธุรกิจ",
     "Government digital innovation centre for business services"),
    ("P-S3-01", "S3", "MDES", "T3", "ศูนย์กลางข้อมูลเปิดภาครัฐ", "Central open government data hub"),
    ("P-S3-02", "S3", "NSTDA", "T3", "แพลตฟอร์มสนับสนุนการบริหารงานของหน่วยงานภาครัฐ",
     "Platform supporting the management of government agencies"),
    ("P-S4-01", "S4", "ONDE", "T4", "ระบบรับฟังความคิดเห็นของประชาชนผ่านช่องทางดิจิทัล",
     "System for hearing citizens' opinions through digital channels"),
    ("P-S4-02", "S4", "OPDC", "T4", "การแก้ไขกฎหมาย กฎ ระเบียบ เพื่อเพิ่มการมีส่วนร่วมในการตัดสินใจเชิงนโยบาย",
     "Amending laws and rules to increase participation in policy decisions"),
]


def event(service: str, event_type: str, subject: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent.new(service, event_type, subject, data)


def plan_drafted(plan_id: str = PLAN_ID) -> CloudEvent:
    return event(REGISTRY, "dgplan.plan-registry.plan.drafted.v1", plan_id, {
        "plan_id": plan_id, "code": "DGDP-2563-2565",
        "title": {"th": "แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2563 - 2565",
                  "en": "Digital Government Development Plan of Thailand B.E. 2563-2565"},
        "start_fy": 2563, "end_fy": 2565,
    })


def structure_published(plan_id: str = PLAN_ID, version_id: str = "v1", start_fy: int = 2563,
                        end_fy: int = 2565, alignments: list[dict[str, Any]] | None = None) -> CloudEvent:
    """``alignments``: the version's "contributes to" links as the registry publishes them (None:
    an older producer that sends none)."""
    return event(REGISTRY, "dgplan.plan-registry.plan.structure-published.v1", plan_id, {
        **({} if alignments is None else {"alignments": alignments}),
        "plan_id": plan_id, "plan_code": "DGDP-2563-2565", "version_id": version_id,
        "start_fy": start_fy, "end_fy": end_fy, "budget_framework": "6504690000.00",
        "declared": {"measures": 15, "work_plans": 20, "projects": 41},
        "targets": [{"target_id": f"{plan_id}-{code}", "code": code, "title": {"th": th, "en": en}}
                    for code, th, en in TARGETS],
        "strategies": [
            {"strategy_id": f"{plan_id}-{code}", "code": code, "number": number, "title": {"th": th, "en": en},
             "budget_framework": framework, "declared": {"measures": m, "work_plans": w, "projects": p}}
            for code, number, th, en, framework, m, w, p in STRATEGIES
        ],
        "some_future_field": {"ignored": True},
    })


def version_approved(plan_id: str = PLAN_ID, version_id: str = "v1", project_ids: tuple[str, ...] = (),
                     number: int = 1) -> CloudEvent:
    return event(REGISTRY, "dgplan.plan-registry.plan.version-approved.v1", plan_id,
                 {"plan_id": plan_id, "version_id": version_id, "number": number, "project_ids": list(project_ids)})


def project(project_id: str, *, code: str | None = None, strategy: str = "S1", lead: str = "MOF",
            target: str | None = "T1", start_fy: int = 2563, end_fy: int = 2565, th: str = "โครงการทดสอบ",
            en: str = "Test project", plan_id: str = PLAN_ID, changed: bool = False,
            supporting: tuple[str, ...] = (), version_id: str | None = "v1",
            continues: str | None = None) -> CloudEvent:
    """A project as it stands in ``version_id`` (the seed's approved v1 unless said; None: an older
    producer that names no version); ``continues``: the predecessor plan's project it continues."""
    kind = "changed" if changed else "registered"
    return event(REGISTRY, f"dgplan.plan-registry.project.{kind}.v1", project_id, {
        "project_id": project_id, "code": code or project_id, "plan_id": plan_id,
        "strategy_id": f"{plan_id}-{strategy}", "measure_id": f"{plan_id}-{strategy}-M1", "work_plan_id": None,
        "title": {"th": th, "en": en}, "lead_agency": lead,
        "agencies": [{"agency": lead, "role": "lead"}] + [{"agency": a, "role": "supporting"} for a in supporting],
        "start_fy": start_fy, "end_fy": end_fy, "status": "active",
        "target_ids": [f"{plan_id}-{target}"] if target else [],
        **({} if version_id is None else {"version_id": version_id}),
        **({} if continues is None else {"continues_project_id": continues}),
    })


def posting(kind: str, entry_id: str, project_id: str, amount: str, *, fiscal_year: int = 2565,
            strategy: str = "S1", agency: str = "MOF", posted_at: str = "2021-11-01T03:00:00Z",
            plan_id: str = PLAN_ID) -> CloudEvent:
    return event(LEDGER, f"dgplan.budget-ledger.budget.{kind}-posted.v1", project_id, {
        "entry_id": entry_id, "project_id": project_id, "plan_id": plan_id,
        "strategy_id": f"{plan_id}-{strategy}", "agency": agency, "fiscal_year": fiscal_year,
        "expense_category": "investment", "amount": amount, "posted_at": posted_at,
    })


def seed_plan_events() -> list[CloudEvent]:
    approved = tuple(code for code, *_ in EXAMPLE_PROJECTS)
    events = [plan_drafted(), structure_published(), version_approved(project_ids=approved)]
    for code, strategy, lead, target, th, en in EXAMPLE_PROJECTS:
        events.append(project(code, strategy=strategy, lead=lead, target=target, th=th, en=en))
    return events


def record(ev: CloudEvent, offset: int = 0) -> IncomingRecord:
    return IncomingRecord(topic_for(ev.type), 0, offset, ev.subject, ev.to_json(), ev.kafka_headers())


async def feed(runtime, *events: CloudEvent) -> list[str]:  # type: ignore[no-untyped-def]
    """Through the real inbox consumer, one record at a time, as Kafka would deliver them."""
    consumer = runtime.consumer()
    return [await consumer.handle_record(record(ev, i)) for i, ev in enumerate(events)]


async def snapshot(db) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    """Every read model, row for row, in primary-key order."""
    out = {}
    async with db.session() as session:
        for table in READ_MODELS:
            key = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in (await session.execute(select(table).order_by(*key))).all()]
    return out


async def rebuild_read_models(db) -> int:  # type: ignore[no-untyped-def]
    """The rebuild command's use case, through the command pipeline, on ``db``."""
    return (await execute(lambda: UnitOfWork(db, "monitoring", outbox), handle, RebuildReadModels())).body
