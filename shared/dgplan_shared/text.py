"""The one place text is normalized, for storage and for search alike.

NFC alone does not make Thai text that looks equal compare equal: SARA AM typed as NIKHAHIT +
SARA AA (common from some keyboards and from PDF copy), doubled or misordered tone marks and
vowels, and zero-width characters all survive it. ``pythainlp.util.normalize`` fixes those
(a maintained rule set, not ours); we add NFC around it and strip the zero-width characters
it does not know. Every string entering through a ``Strict`` model and every search term goes
through :func:`normalize_text`, so what is stored and what is searched agree.
"""

from __future__ import annotations

import re
import unicodedata

from pythainlp.util import normalize as _thai_normalize

# Zero-width and invisible formatting characters that are never meant as content in a plan's text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_THAI = re.compile("[\u0e00-\u0e7f]")


def normalize_text(text: str) -> str:
    """NFC, Thai spelled one way, no zero-width characters. Idempotent."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    if _THAI.search(text):
        text = unicodedata.normalize("NFC", _thai_normalize(text))
    return text


def search_key(text: str) -> str:
    """What two strings are compared by when searching: normalized and case-folded."""
    return normalize_text(text).casefold()
