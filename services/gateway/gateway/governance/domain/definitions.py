"""Workflow definitions as data: the model every stored version must satisfy, and its checks.

A definition names its stages in order; each stage is owned by one body and works in one mode:

- ``vote``: members vote (the body's rule decides), or the chair/secretary records the resolution;
- ``single``: the body decides as one (NESDC, the Cabinet): any member records the decision;
- ``revision``: the secretariat revises; a resubmitted version resumes the instance;
- ``external``: another service moves it on with an event (``advance_on``), or the deadline
  does (``at_deadline``).

A decision goes ``to`` a stage or an outcome (``approved``, ``rejected``, ``closed``...) and
lists which events to ``emit`` (from a fixed catalogue: payloads are code, routing is data).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dgplan_contracts.text import BilingualName

EMITTABLE = frozenset(
    {
        "plan-approval.stage-decided",
        "plan-approval.returned",
        "plan-approval.approved",
        "plan-approval.rejected",
        "budget-screening.package-approved",
        "budget-screening.package-returned",
    }
)
# Events from other services that may move an ``external`` stage on (short names).
ADVANCING_EVENTS = frozenset({"package-submitted", "round-approved", "round-closed"})
NAME = r"^[a-z][a-z0-9_-]{0,63}$"


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME)
    to: str = Field(pattern=NAME)
    resume: str | None = Field(default=None, pattern=NAME)  # where a revision goes back to
    observations: Literal["none", "allowed", "required"] = "allowed"
    emit: list[str] = Field(default_factory=list)


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME)
    body: str = Field(pattern=NAME)
    mode: Literal["vote", "single", "revision", "external"]
    due_days: int | None = Field(default=None, ge=1, le=3650)
    due_from: str | None = Field(default=None, pattern=NAME)  # a deadline in the instance context
    decisions: list[Decision] = Field(default_factory=list)
    advance_on: dict[str, str] = Field(default_factory=dict)
    at_deadline: str | None = Field(default=None, pattern=NAME)

    def decision(self, name: str) -> Decision | None:
        return next((d for d in self.decisions if d.name == name), None)


class WorkflowDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=NAME)
    title: BilingualName
    subject: Literal["plan", "round"]
    start: str = Field(pattern=NAME)
    stages: list[Stage] = Field(min_length=1)
    outcomes: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> WorkflowDefinition:
        names = [s.name for s in self.stages]
        if len(set(names)) != len(names):
            raise ValueError("stage names must be unique")
        if set(names) & set(self.outcomes):
            raise ValueError("an outcome cannot share a stage's name")
        targets = set(names) | set(self.outcomes)
        stage_names = set(names)
        if self.start not in stage_names:
            raise ValueError(f"start {self.start!r} is not a stage")
        for stage in self.stages:
            deciding = stage.mode in ("vote", "single")
            if deciding and not stage.decisions:
                raise ValueError(f"stage {stage.name!r} decides but lists no decisions")
            if not deciding and stage.decisions:
                raise ValueError(f"stage {stage.name!r} ({stage.mode}) cannot take decisions")
            if stage.mode != "external" and (stage.advance_on or stage.at_deadline):
                raise ValueError(f"only external stages advance on events or deadlines ({stage.name!r})")
            if len({d.name for d in stage.decisions}) != len(stage.decisions):
                raise ValueError(f"decision names must be unique in stage {stage.name!r}")
            for decision in stage.decisions:
                if decision.to not in targets:
                    raise ValueError(f"{stage.name}.{decision.name} goes to unknown {decision.to!r}")
                goes_to = self.stage(decision.to)
                if goes_to is not None and goes_to.mode == "revision":
                    if decision.resume not in stage_names:
                        raise ValueError(f"{stage.name}.{decision.name} needs 'resume': a stage after revision")
                elif decision.resume is not None:
                    raise ValueError(f"{stage.name}.{decision.name}: 'resume' only applies to a revision")
                unknown = set(decision.emit) - EMITTABLE
                if unknown:
                    raise ValueError(f"{stage.name}.{decision.name} emits unknown events {sorted(unknown)}")
            for event, target in stage.advance_on.items():
                if event not in ADVANCING_EVENTS:
                    raise ValueError(f"stage {stage.name!r} advances on unknown event {event!r}")
                if target not in targets:
                    raise ValueError(f"stage {stage.name!r} advances to unknown {target!r}")
            if stage.at_deadline is not None and stage.at_deadline not in targets:
                raise ValueError(f"stage {stage.name!r} moves at its deadline to unknown {stage.at_deadline!r}")
        return self

    def stage(self, name: str) -> Stage | None:
        return next((s for s in self.stages if s.name == name), None)

    def bodies(self) -> set[str]:
        return {s.body for s in self.stages}
