"""Builds ``plan_registry/seed/name-tokens.json``: newmm's words of every node name in the seed.

Seeding (``make run``) would otherwise load newmm's dictionary only to segment 38 known names
(2-3 s on first use); ``plan_registry.domain.search_text`` looks them up here first. The tests
check the table equals what newmm gives today, so rerun this after changing the seed or pythainlp.

Run: python tools/build_name_tokens.py
"""

import json
from pathlib import Path

from dgplan_shared.text import search_key

from plan_registry.domain.search_text import PRECOMPUTED_FILE, segment

SEED_DIR = Path(__file__).resolve().parent.parent / "plan_registry" / "seed"


def seed_names() -> list[str]:
    document = json.loads((SEED_DIR / "plan-2563-2565.json").read_text(encoding="utf-8"))
    return [n["name"][lang] for v in document["versions"] for n in v["nodes"] for lang in ("th", "en")]


def table() -> dict[str, list[str]]:
    return {key: list(segment(key)) for key in sorted({search_key(name) for name in seed_names()})}


if __name__ == "__main__":
    # One name a line, so a change of the seed or of newmm shows as a readable diff.
    lines = [f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}" for k, v in table().items()]
    (SEED_DIR / PRECOMPUTED_FILE).write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
