"""The upgrade test imports its helpers as plain modules (pytest runs with --import-mode=importlib)."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
