"""Thai first, English on request: gettext catalogues (``locale/<lang>/LC_MESSAGES/messages.po``)
compiled with Babel when the module is imported, so no build step can leave them stale."""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = ("th", "en")
DEFAULT_LOCALE = "th"
_DIR = Path(__file__).resolve().parents[1] / "locale"


@lru_cache(maxsize=None)
def translations(locale: str) -> gettext.NullTranslations:
    """Message ids are the English texts, so English needs no catalogue of its own."""
    path = _DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def pick(texts: dict[str, str] | None, locale: str) -> str:
    """A bilingual value in the page's language (the other one if it is missing)."""
    if not texts:
        return ""
    return texts.get(locale) or texts.get("th") or texts.get("en") or ""
