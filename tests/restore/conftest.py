"""The restore drill imports its helpers as plain modules (pytest runs with --import-mode=importlib),
and reuses the fault suite's patient client, workload and reconciliation rather than copying them."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for helpers in (HERE, HERE.parent / "fault"):
    if str(helpers) not in sys.path:
        sys.path.insert(0, str(helpers))
