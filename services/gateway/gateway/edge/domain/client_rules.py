"""What makes a valid OAuth2 client definition: pure rules the admin use cases apply."""

from __future__ import annotations

import re
import unicodedata

from dgplan_contracts.identity import AGENCY, BODY_MEMBER, OPERATOR, SECRETARIAT, SERVICE
from dgplan_shared.errors import invalid
from dgplan_shared.text import normalize_text

ASSIGNABLE_ROLES = (SECRETARIAT, AGENCY, BODY_MEMBER, OPERATOR, SERVICE)
CLIENT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{2,99}$")
AGENCY_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,31}$")


def check_client_id(client_id: str) -> None:
    if not CLIENT_ID.match(client_id):
        raise invalid("client_id", "3-100 characters: lower-case letters, digits, '.', '_' or '-'.")


def check_roles_and_agency(roles: list[str], agency: str | None) -> tuple[str, ...]:
    if not roles:
        raise invalid("roles", "at least one role is needed.")
    unknown = [r for r in roles if r not in ASSIGNABLE_ROLES]
    if unknown:
        raise invalid("roles", f"unknown role(s) {', '.join(unknown)}; use {', '.join(ASSIGNABLE_ROLES)}.")
    if agency is not None and not AGENCY_CODE.match(agency):
        raise invalid("agency", "an agency code such as MOF or OPDC.")
    if AGENCY in roles and agency is None:
        raise invalid("agency", "a client with the agency role acts for one agency: give its code.")
    if AGENCY not in roles and agency is not None:
        raise invalid("agency", "only clients with the agency role carry an agency.")
    return tuple(dict.fromkeys(roles))


def clean_name(name: str) -> str:
    """Spelled one way (the kit's one normalization: NFC and Thai), trimmed, without control characters."""
    name = normalize_text(name).strip()
    if not name:
        raise invalid("name", "may not be blank.")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise invalid("name", "may not contain control characters.")
    return name


def plausible_client_id(client_id: str) -> bool:
    """Whether a client with this id could exist (guards lookups against ids no client can have)."""
    return bool(CLIENT_ID.match(client_id))
