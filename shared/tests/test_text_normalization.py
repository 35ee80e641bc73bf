"""Thai text that looks equal is stored and searched as equal, through the one normalizer."""

import unicodedata

import pytest

from dgplan_shared.text import normalize_text, search_key

LOOK_ALIKES = [
    ("ท\u0e4d\u0e32", "ทำ"),            # NIKHAHIT + SARA AA typed for SARA AM
    ("ก\u0e48\u0e48า", "ก่า"),          # a tone mark typed twice
    ("ก\u0e32\u0e48", "ก่า"),           # tone mark after the vowel it belongs before
    ("ข้\u200bอมูล", "ข้อมูล"),          # a zero-width space from a PDF copy
    ("\ufeffแผน", "แผน"),              # a byte-order mark at the start
]


@pytest.mark.parametrize(("typed", "canonical"), LOOK_ALIKES)
def test_look_alike_thai_is_stored_one_way(typed, canonical):
    assert normalize_text(typed) == canonical
    assert normalize_text(canonical) == canonical


@pytest.mark.parametrize(("typed", "canonical"), LOOK_ALIKES)
def test_search_finds_what_looks_equal(typed, canonical):
    assert search_key(canonical) in search_key(f"โครงการ {typed} ระบบ")


def test_normalizing_is_idempotent_and_leaves_other_text_alone():
    for text in ("Digital Government", "e-Government 2565", "Café", "แผนพัฒนารัฐบาลดิจิทัล"):
        once = normalize_text(text)
        assert normalize_text(once) == once
        assert once == unicodedata.normalize("NFC", text)
