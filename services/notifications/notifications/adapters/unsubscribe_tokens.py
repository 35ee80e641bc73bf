"""The token of an unsubscribe link: who and which kind, sealed with the service's Fernet keys so
the link works without signing in but cannot be forged or pointed at someone else. It does not
expire (a link in an old mail must still work) and survives key rotation like the secrets."""

from __future__ import annotations

import orjson

from notifications.adapters.secret_box import SecretBox, SecretBoxError

PURPOSE = "unsubscribe"


class BadToken(ValueError):
    pass


def make_token(box: SecretBox, subject: str, kind: str) -> str:
    return box.seal(orjson.dumps({"p": PURPOSE, "s": subject, "k": kind}).decode())


def read_token(box: SecretBox, token: str) -> tuple[str, str]:
    try:
        data = orjson.loads(box.open(token))
    except (SecretBoxError, orjson.JSONDecodeError, UnicodeError, ValueError):
        raise BadToken("the link is not one this service made") from None
    if not isinstance(data, dict) or data.get("p") != PURPOSE or not data.get("s") or not data.get("k"):
        raise BadToken("the link is not an unsubscribe link")
    return str(data["s"]), str(data["k"])
