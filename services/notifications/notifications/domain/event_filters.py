"""Which event types an endpoint wants: exact types or wildcards by service or aggregate.

``*`` is everything; ``dgplan.budget-ledger.*`` every type of a service;
``dgplan.budget-ledger.screening.*`` every type of one aggregate; anything else names one type.
A wildcard stands for whole trailing segments only, so ``dgplan.budget*`` is refused rather than
guessed at.
"""

from __future__ import annotations

import re

from dgplan_shared.errors import invalid

_SEGMENT = r"[a-z][a-z0-9-]*"
_EXACT = re.compile(rf"^dgplan\.{_SEGMENT}\.{_SEGMENT}\.{_SEGMENT}\.v[1-9][0-9]*$")
_BY_SERVICE = re.compile(rf"^dgplan\.{_SEGMENT}\.\*$")
_BY_AGGREGATE = re.compile(rf"^dgplan\.{_SEGMENT}\.{_SEGMENT}\.\*$")
MAX_FILTERS = 100


def checked_filters(filters: list[str], field: str = "event_types") -> list[str]:
    """The filters, de-duplicated in order; a 422 naming the first one that is not a filter."""
    if not filters:
        raise invalid(field, "name at least one event type or wildcard (\"*\" for every type)")
    if len(filters) > MAX_FILTERS:
        raise invalid(field, f"at most {MAX_FILTERS} filters")
    seen: list[str] = []
    for index, value in enumerate(filters):
        if not (value == "*" or _EXACT.match(value) or _BY_SERVICE.match(value) or _BY_AGGREGATE.match(value)):
            raise invalid(
                f"{field}[{index}]",
                f"{value!r} is not an event type (dgplan.<service>.<aggregate>.<event>.v<N>) nor a wildcard "
                "(*, dgplan.<service>.*, dgplan.<service>.<aggregate>.*)",
            )
        if value not in seen:
            seen.append(value)
    return seen


def matches(filters: list[str], event_type: str) -> bool:
    for value in filters:
        if value == "*" or value == event_type:
            return True
        if value.endswith(".*") and event_type.startswith(value[:-1]):
            return True
    return False
