"""Who may vote or decide at a stage, and the one rule that tells a client which refusal it got:

- **403** ``forbidden`` — *you never may*: at no stage of this instance's workflow (its version)
  could the caller take this action. They are an active member of no body that takes it at any
  stage, or their role does not allow it (a plain member recording a voting body's resolution).
  Asking again later will not help.
- **409** ``illegal-transition`` — *not now*: the caller takes this action at some stage of the
  workflow, but not at the current one (another body's stage, a revision, a completed instance,
  a stage that moved on) or the decision is not one the current stage offers. It may succeed
  when the instance is where the caller expects it.

An anonymous caller gets 401 before either (the use case checks that).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from dgplan_shared.errors import forbidden
from gateway.governance.domain.definitions import Stage, WorkflowDefinition
from gateway.governance.domain.transitions import illegal, open_stage

Action = Literal["vote", "decide"]
VOTE: Action = "vote"
DECIDE: Action = "decide"
# Who records a voting body's resolution (the minutes of its meeting).
RESOLVING_ROLES = ("chair", "secretary")
_MODES: dict[str, tuple[str, ...]] = {VOTE: ("vote",), DECIDE: ("vote", "single")}


def may_act(stage: Stage, action: Action, role: str | None) -> bool:
    """Whether a member with ``role`` in the stage's body (None: not a member) takes ``action`` there."""
    if role is None or stage.mode not in _MODES[action]:
        return False
    return action == VOTE or stage.mode == "single" or role in RESOLVING_ROLES


def stages_for(definition: WorkflowDefinition, action: Action, roles: Mapping[str, str]) -> list[Stage]:
    """The stages of ``definition`` at which a caller with ``roles`` (body -> role) takes ``action``."""
    return [s for s in definition.stages if may_act(s, action, roles.get(s.body))]


def _never(definition: WorkflowDefinition, action: Action, roles: Mapping[str, str]) -> Exception:
    plain = [s.body for s in definition.stages if s.mode == "vote" and s.body in roles]
    if action == DECIDE and plain:
        return forbidden(f"only the chair or the secretary records the resolution of {plain[0]}")
    deciding = sorted({s.body for s in definition.stages if s.mode in _MODES[action]})
    verb = "vote" if action == VOTE else "decide"
    return forbidden(
        f"you are an active member of none of the bodies that {verb} in {definition.key}: {', '.join(deciding)}"
    )


def authorize(
    definition: WorkflowDefinition,
    instance: dict[str, Any],
    action: Action,
    roles: Mapping[str, str],
    expected_stage: str | None = None,
) -> tuple[Stage, str]:
    """The current stage and the caller's role in its body, or the refusal of the rule above."""
    mine = stages_for(definition, action, roles)
    if not mine:
        raise _never(definition, action, roles)
    stage = open_stage(definition, instance, expected_stage, _MODES[action])
    if stage.name not in {s.name for s in mine}:
        raise illegal(
            f"stage {stage.name} belongs to {stage.body}; you act at {', '.join(s.name for s in mine)}",
            current_stage=stage.name,
            current_body=stage.body,
        )
    return stage, roles[stage.body]
