"""The official AsyncAPI 3.0 JSON Schema, from the AsyncAPI initiative's own package.

No PyPI package ships it; the npm package ``@asyncapi/specs`` does, so it is fetched with npm's
ordinary client (pinned version), once, into ``.infra/npm`` (ignored by git), and read from there.
Nothing of it is committed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

SPECS_PACKAGE = "@asyncapi/specs@6.11.1"
CACHE = Path(__file__).resolve().parent.parent / ".infra" / "npm"
MEMBER = "package/schemas/3.0.0.json"


def official_schema() -> dict[str, Any]:
    target = CACHE / "asyncapi-3.0.0.json"
    if not target.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to fetch the official AsyncAPI 3.0 JSON Schema (@asyncapi/specs)")
        CACHE.mkdir(parents=True, exist_ok=True)
        packed = subprocess.run([npm, "pack", SPECS_PACKAGE, "--silent", "--pack-destination", str(CACHE)],
                                capture_output=True, text=True, timeout=300, check=True).stdout.strip().splitlines()[-1]
        with tarfile.open(CACHE / packed) as archive:
            member = archive.extractfile(MEMBER)
            assert member is not None, f"{SPECS_PACKAGE} has no {MEMBER}"
            target.write_bytes(member.read())
    return json.loads(target.read_text())
