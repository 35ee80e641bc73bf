"""Request bodies of the governance API (validated here; 422 names the offending field). Every
model is ``Strict``: unknown fields, NUL and lone surrogates refused, text normalized once."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from dgplan_contracts.text import BilingualName
from dgplan_shared.web.guards import refuse_bad_text
from dgplan_shared.web.models import Strict

NAME = r"^[a-z][a-z0-9_-]{0,63}$"


class Body(Strict):
    """A whole request body. Text that cannot be stored is refused naming its field
    (``body.reason``): ``Strict`` alone reports such a fault against ``body`` as a whole."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        refuse_bad_text(value)
        return value


class ObservationIn(Strict):
    text: BilingualName
    node_id: str | None = Field(default=None, max_length=64)


class VoteIn(Body):
    choice: str = Field(pattern=NAME, description="one of the current stage's decisions")
    reason: str = Field(min_length=1, max_length=4000)
    observations: list[ObservationIn] = Field(default_factory=list, max_length=50)
    stage: str | None = Field(default=None, pattern=NAME, description="the stage the voter means (409 if moved on)")


class DecisionIn(Body):
    decision: str = Field(pattern=NAME)
    reason: str = Field(min_length=1, max_length=4000)
    observations: list[ObservationIn] = Field(default_factory=list, max_length=50)
    stage: str | None = Field(default=None, pattern=NAME, description="the stage the caller means (409 if moved on)")


class QuorumIn(Strict):
    fraction: str | None = Field(default=None, pattern=r"^[1-9][0-9]*/[1-9][0-9]*$")
    count: int | None = Field(default=None, ge=1, le=1000)


class RuleIn(Strict):
    quorum: QuorumIn
    majority: Literal["cast", "members"] = "cast"
    casting_vote: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"quorum": self.quorum.model_dump(exclude_none=True), "majority": self.majority,
                "casting_vote": self.casting_vote}


Kind = Literal["committee", "subcommittee", "council", "cabinet", "secretariat"]


class BodyIn(Body):
    code: str = Field(pattern=NAME)
    name: BilingualName
    kind: Kind
    parent_code: str | None = Field(default=None, pattern=NAME)
    rule: RuleIn


class BodyPatch(Body):
    name: BilingualName | None = None
    kind: Kind | None = None
    parent_code: str | None = Field(default=None, pattern=NAME)
    rule: RuleIn | None = None


class MemberIn(Body):
    subject: str = Field(min_length=1, max_length=200)
    role: Literal["chair", "member", "secretary"]
    name: str | None = Field(default=None, min_length=1, max_length=200, description="the person's name on the roster")


class MemberPatch(Body):
    role: Literal["chair", "member", "secretary"] | None = None
    active: bool | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
