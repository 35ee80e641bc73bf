"""Builds ``plan_registry/seed/plan-2563-2565.json`` (the import format) from the facts of the
Cabinet resolution of 30 March B.E. 2564. Thai text is copied verbatim from the Thai original;
English follows the English rendering. Nothing the document does not say is added: it names
example measures and projects only, and no work plans, so those are all that is registered.

Run: python tools/build_seed.py  (ids are UUIDv5 of the codes, so the output is stable).
"""

import json
import uuid
from pathlib import Path

PLAN = "DGDP-2563-2565"
NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://dgplan/plans/" + PLAN)


def nid(code: str) -> str:
    return str(uuid.uuid5(NS, code))


def bi(th: str, en: str) -> dict:
    return {"th": th, "en": en}


def node(node_type, code, position, name, parent=None, **extra):
    n = {
        "id": nid(code), "node_type": node_type, "parent_id": parent, "code": code, "position": position,
        "name": name, "budget_framework": None, "start_fy": None, "end_fy": None, "status": None,
        "declared": None, "attributes": {}, "roles": [], "focus_area_ids": [], "target_ids": [],
    }
    n.update(extra)
    return n


PLAN_ID = nid(PLAN)
VERSION_ID = nid(PLAN + "/v1")

FOCUS = [
    ("การศึกษา", "Education"),
    ("สุขภาพและการแพทย์", "Health and medicine"),
    ("การเกษตร", "Agriculture"),
    ("ความเหลื่อมล้ำทางสิทธิสวัสดิการประชาชน", "Inequality in citizens' welfare entitlements"),
    ("การมีส่วนร่วม โปร่งใสและตรวจสอบได้ของประชาชน", "Citizen participation, transparency and accountability"),
    ("การส่งเสริมวิสาหกิจขนาดกลางและขนาดย่อม (SME)", "Promotion of small and medium enterprises (SMEs)"),
]
OBJECTIVES = [
    ("เพื่อบูรณาการการดำเนินงานร่วมกันระหว่างภาครัฐ ภาคเอกชน และประชาชน",
     "Integrate work among the public sector, the private sector and citizens"),
    ("เพื่อให้มีกรอบการขับเคลื่อนกิจกรรม/โครงการที่ชัดเจนมุ่งสู่จุดหมายเดียวกัน",
     "Give a clear framework for driving activities and projects towards one destination"),
    ("เพื่อกำหนดกรอบการขับเคลื่อนการบูรณาการรัฐบาลดิจิทัลที่สำคัญ สำหรับกำหนดประเด็นแผนบูรณาการประจำปีงบประมาณ",
     "Set the framework for integrating digital government, used to define the issues of the annual integrated budget plans"),
    ("เพื่อกำหนดหน่วยงานหลักและหน่วยงานรองในการขับเคลื่อนประเด็นที่เกี่ยวข้องพร้อมกรอบงบประมาณในการดำเนินงาน",
     "Name lead agencies and supporting agencies for each issue, with a budget framework"),
    ("เพื่อเป็นกรอบแนวทางให้หน่วยงานภาครัฐจัดทำแผนการดำเนินงานที่สอดคล้องกับพระราชบัญญัติการบริหารงานและการให้บริการภาครัฐผ่านระบบดิจิทัล พ.ศ. 2562",
     "Be the framework from which government agencies draw up operating plans in line with the 2019 Act"),
]
TARGETS = [
    ("ลดความเหลื่อมล้ำในการเข้าถึงบริการและสวัสดิการของประชาชน", "Reduce inequality in citizens' access to services and welfare"),
    ("เพิ่มขีดความสามารถทางการแข่งขันให้กับผู้ประกอบการวิสาหกิจขนาดกลางและขนาดย่อมของไทย", "Raise the competitiveness of Thai SMEs"),
    ("การทำงานของภาครัฐมีความโปร่งใส ตรวจสอบได้", "Make government work transparent and auditable"),
    ("สร้างการมีส่วนร่วมของประชาชนในการพัฒนาและกำหนดนโยบายสำคัญของประเทศ",
     "Build citizens' participation in developing and setting key national policy"),
]
STRATEGIES = [
    {
        "name": bi("ยกระดับคุณภาพการให้บริการแก่ประชาชนด้วยเทคโนโลยีดิจิทัล", "Raise the quality of public services with digital technology"),
        "declared": (4, 7, 17), "budget": "4879870000.00", "agencies": ["MOF", "OPDC", "OAE"],
        "measures": [
            bi("เพิ่มประสิทธิภาพภาครัฐด้วยเทคโนโลยีดิจิทัลที่ประชาชนเข้าถึงได้", "Make government more efficient with digital technology citizens can reach"),
            bi("พัฒนานวัตกรรมดิจิทัลภาครัฐในการให้บริการประชาชน", "Develop government digital innovation for citizen services"),
        ],
        "projects": [
            bi("การพัฒนาแพลตฟอร์มการให้บริการประชาชนแบบเบ็ดเสร็จ", "A one-stop citizen service platform"),
            bi("การพัฒนาแพลตฟอร์มเพื่อการแลกเปลี่ยนข้อมูลภาครัฐ", "A government data-exchange platform"),
            bi("การพัฒนาแพลตฟอร์มสำหรับจัดเก็บข้อมูลสิทธิสวัสดิการประชาชนในพื้นที่", "A platform to store citizens' welfare-entitlement data by locality"),
            bi("การพัฒนาระบบฐานข้อมูลเกษตรกร", "A farmers' database system"),
        ],
    },
    {
        "name": bi("อำนวยความสะดวกภาคธุรกิจไทยด้วยเทคโนโลยีดิจิทัล", "Facilitate Thai business with digital technology"),
        "declared": (5, 6, 8), "budget": "518460000.00", "agencies": ["OPDC", "DGA", "DEPA"],
        "measures": [
            bi("จัดให้มีระบบดิจิทัลอำนวยความสะดวกผู้ประกอบการ", "Provide digital systems that facilitate business operators"),
            bi("ทบทวน ปรับปรุง และพัฒนากฎหมาย กฎ ระเบียบ มาตรการ ที่เอื้อต่อผู้ประกอบการในการดำเนินธุรกิจ",
               "Review, improve and develop laws, rules, regulations and measures that help operators do business"),
        ],
        "projects": [
            bi("ระบบรับคำขออนุญาตเพื่ออำนวยความสะดวกให้ภาคธุรกิจ", "A permit-application system for businesses"),
            bi("ศูนย์พัฒนานวัตกรรมดิจิทัลภาครัฐ เพื่อการบริการดิจิทัลสำหรับภาคธุรกิจ",
               "A government digital innovation centre for digital services to business"),
        ],
    },
    {
        "name": bi("ผลักดันให้เกิดธรรมาภิบาลข้อมูลภาครัฐในทุกกระบวนการทำงานของภาครัฐ",
                   "Drive public-sector data governance in every government work process"),
        "declared": (3, 4, 11), "budget": "946360000.00", "agencies": ["MDES", "NSTDA", "DGA"],
        "measures": [
            bi("จัดให้มีระบบดิจิทัลสนับสนุนการเปิดเผย แลกเปลี่ยน เชื่อมโยงข้อมูลภาครัฐอย่างบูรณาการ",
               "Provide digital systems for opening, exchanging and linking government data in an integrated way"),
            bi("พัฒนากลไกการเปิดเผยข้อมูลการจัดซื้อจัดจ้างภาครัฐให้โปร่งใสป้องกันการทุจริตทุกขั้นตอน",
               "Develop mechanisms that open up public procurement data so that every step is transparent and corruption is prevented"),
        ],
        "projects": [
            bi("การพัฒนาศูนย์กลางการเปิดเผยข้อมูลภาครัฐ", "A central open government data hub"),
            bi("การพัฒนาแพลตฟอร์มสนับสนุนการบริหารจัดการหน่วยงานภาครัฐ", "A platform supporting the management of government agencies"),
        ],
    },
    {
        "name": bi("พัฒนากลไกการมีส่วนร่วมของทุกภาคส่วนร่วมขับเคลื่อนรัฐบาลดิจิทัล",
                   "Build mechanisms for all sectors to take part in driving digital government"),
        "declared": (3, 3, 5), "budget": "160000000.00", "agencies": ["ONDE", "OPDC", "DGA"],
        "measures": [
            bi("จัดให้มีระบบดิจิทัล เปิดโอกาสให้ทุกภาคส่วนได้แสดงความคิดเห็นต่อการพัฒนาประเทศ",
               "Provide digital systems that let all sectors comment on national development"),
            bi("เปิดเผยข้อมูลข่าวสารสาธารณะของหน่วยงานรัฐในรูปแบบดิจิทัล", "Publish public information of state agencies digitally"),
        ],
        "projects": [
            bi("การพัฒนาระบบรับฟังความคิดเห็นประชาชนผ่านช่องทางดิจิทัล", "A system for hearing citizens' opinions through digital channels"),
            bi("การปรับปรุงหรือแก้ไขกฎหมาย กฎระเบียบ ข้อบังคับ เพื่อเพิ่มการมีส่วนร่วมในการตัดสินใจนโยบายของรัฐ",
               "Amending laws, rules and regulations to increase participation in policy decisions"),
        ],
    },
]
AGENCIES = [
    ("DGA", "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)", "Digital Government Development Agency (Public Organization)"),
    ("MOF", "กระทรวงการคลัง", "Ministry of Finance"),
    ("OPDC", "สำนักงาน ก.พ.ร.", "Office of the Public Sector Development Commission"),
    ("OAE", "สำนักงานเศรษฐกิจการเกษตร", "Office of Agricultural Economics"),
    ("DEPA", "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล", "Digital Economy Promotion Agency"),
    ("MDES", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "Ministry of Digital Economy and Society"),
    ("NSTDA", "สำนักงานพัฒนาวิทยาศาสตร์และเทคโนโลยีแห่งชาติ", "National Science and Technology Development Agency"),
    ("ONDE", "สำนักงานคณะกรรมการดิจิทัลเพื่อเศรษฐกิจและสังคมแห่งชาติ", "Office of the National Digital Economy and Society Commission"),
]
NESDC_OBSERVATIONS = [
    bi("เนื่องจากกรอบระยะเวลาของ (ร่าง) แผนพัฒนารัฐบาลดิจิทัลฯ ที่กำหนดไว้คือปี พ.ศ. 2563 - 2565 ซึ่งขณะนี้กระบวนการพิจารณางบประมาณในปี พ.ศ. 2563 และ พ.ศ. 2564 ได้เสร็จสิ้นไปแล้ว ดังนั้น เพื่อให้เป็นไปได้ในทางปฏิบัติ สพร. ควรพิจารณาคัดเลือกโครงการที่มีความสำคัญที่จำเป็นต้องได้รับการจัดสรรงบประมาณในปี พ.ศ. 2565",
       "The plan covers B.E. 2563-2565, but the budget processes for fiscal years 2563 and 2564 are already over; so DGA should select the priority projects that need budget allocated in fiscal year 2565."),
    bi("เห็นควรให้ สพร. เริ่มกระบวนการยกร่างแผนฉบับต่อไป โดยควรกำหนดระยะเวลาที่เหมาะสม ไม่สั้นเกินไป เช่น 5 ปี เป็นต้น เพื่อให้สามารถดำเนินการอย่างต่อเนื่องและทันกับช่วงเวลาของกระบวนการงบประมาณ",
       "DGA should start drafting the next plan, over a period that is not too short, e.g. 5 years, so that work is continuous and keeps pace with the budget cycle."),
    bi("ควรศึกษาความครอบคลุมของการพัฒนารัฐบาลดิจิทัลและออกแบบแผนให้มีบริบทที่ครบองค์ประกอบมากขึ้น ควรจัดลำดับความสำคัญของโครงการที่มีจุดมุ่งเน้นตามเป้าหมายที่กำหนดไว้ให้ชัดเจน ควรกำหนดรายละเอียดให้ชัดเจนว่ามีแนวทางและขั้นตอนการดำเนินการอย่างไร และไม่ควรมองมิติเฉพาะเรื่องการนำเทคโนโลยีมาใช้เพียงอย่างเดียวเท่านั้น",
       "In that drafting: study how completely digital government is covered and give the plan fuller components; rank the projects by priority against the stated targets; spell out the approach and the steps; and look beyond technology alone."),
]
RESPONSE = bi("สพร. ได้ปรับปรุง (ร่าง) แผนพัฒนารัฐบาลดิจิทัลฯ ตามข้อสังเกตดังกล่าวเรียบร้อยแล้ว",
              "DGA has revised the draft according to those observations.")


def build() -> dict:
    nodes = [
        node("plan", PLAN, 0, bi("แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2563 - 2565",
                                 "Digital Government Development Plan of Thailand B.E. 2563-2565 (2020-2022)"),
             budget_framework="6504690000.00", declared={"measures": 15, "work_plans": 20, "projects": 41},
             attributes={
                 "declared_strategies": 4,
                 "draft_title": bi("(ร่าง) แผนพัฒนารัฐบาลดิจิทัลของประเทศไทย พ.ศ. 2563 - 2565",
                                   "(draft) Digital Government Development Plan of Thailand B.E. 2563-2565 (2020-2022)"),
                 "vision": bi("รัฐบาลดิจิทัล เปิดเผย เชื่อมโยง และร่วมกันสร้างบริการที่มีคุณค่าให้ประชาชน",
                              "Digital government: open, connected, and co-creating valuable services for citizens"),
                 "legal_basis": [bi("พระราชบัญญัติการบริหารงานและการให้บริการภาครัฐผ่านระบบดิจิทัล พ.ศ. 2562",
                                    "Digital Government Administration and Services Act B.E. 2562 (2019)")],
                 "alignment": [bi("แผนยุทธศาสตร์ชาติ", "National Strategy"),
                               bi("แผนแม่บทยุทธศาสตร์ชาติ", "National Strategy master plans"),
                               bi("แผนปฏิรูปประเทศ", "National Reform Plans")],
                 "drafted_by": "DGA",
                 "proposed_by_body": "digital-government-committee",
                 "mechanisms": [
                     bi("กลไกเชิงนโยบาย โดยคณะกรรมการพัฒนารัฐบาลดิจิทัลและอนุกรรมการที่ได้รับการแต่งตั้ง",
                        "A policy mechanism: the Digital Government Development Committee and the subcommittees it appoints"),
                     bi("กลไกการดำเนินงานและการพิจารณากลั่นกรองงบประมาณ ผ่านการแต่งตั้งคณะอนุกรรมการภายใต้คณะกรรมการพัฒนารัฐบาลดิจิทัล",
                        "An operations and budget-screening mechanism: subcommittees appointed under the committee"),
                     bi("กลไกการมีส่วนร่วมจากหน่วยงานภาคีและภาคเอกชน", "A participation mechanism for partner agencies and the private sector"),
                     bi("กลไกการปรับปรุงโครงสร้างระบบราชการด้านบุคลากรภาครัฐ", "A mechanism for restructuring the civil service's personnel side"),
                 ],
                 "approval_history": [
                     {"body": "dga-secretariat", "decision": "drafted", "date": None},
                     {"body": "digital-government-committee", "decision": "proposed", "date": None},
                     {"body": "nesdc", "decision": "endorsed with observations", "meeting": "11/2563", "date": "2020-11-04"},
                     {"body": "dga-secretariat", "decision": "revised according to the observations", "date": None},
                     {"body": "cabinet", "decision": "approved in principle", "date": "2021-03-30"},
                 ],
             }),
    ]
    for i, (th, en) in enumerate(FOCUS, 1):
        nodes.append(node("focus_area", f"FA{i}", i, bi(th, en)))
    for i, (th, en) in enumerate(OBJECTIVES, 1):
        nodes.append(node("objective", f"OBJ{i}", i, bi(th, en)))
    for i, (th, en) in enumerate(TARGETS, 1):
        nodes.append(node("target", f"T{i}", i, bi(th, en)))
    for s_no, s in enumerate(STRATEGIES, 1):
        sc = f"S{s_no}"
        m, w, p = s["declared"]
        nodes.append(node("strategy", sc, s_no, s["name"], budget_framework=s["budget"],
                          declared={"measures": m, "work_plans": w, "projects": p},
                          attributes={"number": s_no}, roles=[{"agency": a, "role": "responsible"} for a in sorted(s["agencies"])]))
        for m_no, name in enumerate(s["measures"], 1):
            nodes.append(node("measure", f"{sc}-M{m_no}", m_no, name, parent=nid(sc), attributes={"example": True}))
        for p_no, name in enumerate(s["projects"], 1):
            nodes.append(node("project", f"{sc}-P{p_no}", p_no, name, parent=nid(sc), attributes={
                "example": True,
                "placement": "The source names this project as an example of its strategy without naming its measure or work plan.",
            }))
    observations = [
        {"id": nid(f"{PLAN}/nesdc-11-2563/{i}"), "version_id": VERSION_ID, "node_id": None, "raised_by_body": "nesdc",
         "external_ref": f"nesdc-11-2563-{i}", "text": text, "status": "closed", "response": RESPONSE,
         "responded_by": "dga-secretariat", "resolution_reason": None, "created_at": "2020-11-04T00:00:00+00:00"}
        for i, text in enumerate(NESDC_OBSERVATIONS, 1)
    ]
    return {
        "format": "dgplan.plan-export/1",
        "agencies": [{"code": c, "name": bi(th, en), "parent_code": None} for c, th, en in sorted(AGENCIES)],
        "plan": {"id": PLAN_ID, "code": PLAN, "title": nodes[0]["name"], "start_fy": 2563, "end_fy": 2565,
                 "predecessor_plan_id": None, "successor_plan_id": None,
                 "latest_version_id": VERSION_ID, "approved_version_id": VERSION_ID},
        "versions": [{"id": VERSION_ID, "number": 1, "status": "approved", "based_on_version_id": None,
                      "submitted_by": None, "submitted_at": None, "decided_at": "2021-03-30T00:00:00+00:00",
                      "decided_by_body": "cabinet", "nodes": nodes}],
        "observations": observations,
    }


if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "plan_registry" / "seed" / "plan-2563-2565.json"
    out.write_text(json.dumps(build(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(out)
