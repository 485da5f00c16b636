"""Never invent facts: every phone number in a shipped catalogue is found in the shared sources.

The sources (``../shared/data/*.yaml``) are the stored public pages the catalogues were built
from. A number that is in a catalogue but in none of them was typed from memory or guessed, and
a wrong number in a crisis is worse than none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "data"
CATALOGUES = [ROOT / "services.yaml", *sorted((ROOT / "catalogues").glob("*.yaml"))]

NUMBER = re.compile(r"\+?\d[\d\s/()\-–.]{1,30}\d")
"""A run of digits with the separators people write in phone numbers."""


def _digits(text: str) -> str:
    """A phone number as national digits: "+49 511 12345" and "0511/12345" are "051112345"."""
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+49"):
        digits = "0" + digits[2:]
    elif digits.startswith("0049"):
        digits = "0" + digits[4:]
    return digits


def _source_numbers() -> set[str]:
    found: set[str] = set()
    for path in sorted(SOURCES.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for match in NUMBER.finditer(text):
            found.add(_digits(match.group()))
            # "0800 111 0 111 / 0800 111 0 222": each number of a list on its own too
            for part in re.split(r"\s*[/,;]\s*|\s+(?:oder|or|und|and)\s+", match.group()):
                found.add(_digits(part))
    return found


def _catalogue_phones(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    phones = [(s["id"], str(s["phone"])) for s in data["services"] if s.get("phone")]
    for service in data["services"]:
        for contact in service.get("online") or ():
            if contact.get("kind") in ("sms", "phone", "whatsapp", "signal"):
                phones.append((service["id"], str(contact["address"])))
    return phones


@pytest.fixture(scope="module")
def source_numbers() -> set[str]:
    if not SOURCES.is_dir():
        pytest.skip(f"the shared sources are not at {SOURCES} (../shared/data)")
    return _source_numbers()


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.name)
def test_every_phone_number_is_in_the_sources(catalogue: Path, source_numbers: set[str]) -> None:
    phones = _catalogue_phones(catalogue)
    assert phones, f"{catalogue.name} has no phone numbers at all"
    unsourced = [
        (service, phone)
        for service, phone in phones
        if not any(_digits(phone) in number for number in source_numbers)
    ]
    assert not unsourced, f"{catalogue.name}: numbers found in no source: {unsourced}"


def test_the_check_would_notice_an_invented_number(source_numbers: set[str]) -> None:
    assert not any(_digits("0511 98765432") in number for number in source_numbers)
    assert any(_digits("+49 800 1110111") in number for number in source_numbers)
