"""Identifiers the services exchange: agency and body codes, resource ids."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
ID_PATTERN = r"^[A-Za-z0-9._:-]+$"

Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=CODE_PATTERN)]
"""An agency, body or node code (``MOF``, ``dg-committee``, ``S1.M2``)."""
ResourceId = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]
"""An id one service gives a resource and others refer to (plan, version, project, request)."""
