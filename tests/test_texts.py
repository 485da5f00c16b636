"""Texts: long answers split between cards, what a card and the details say, and the opening
hours they use: the Directory's own, never a module-global cache."""

from __future__ import annotations

import gc
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.answers.fitting import MAX_MESSAGE_CHARS, split_message
from bot.answers.texts import service_card, service_details
from bot.catalogue.model import Service
from bot.directory import Directory
from bot.hours.schedule import OpeningSchedule
from bot.i18n.translators import TranslatorRegistry


def test_short_blocks_share_one_message() -> None:
    assert split_message(["<b>1</b>\nA", "<b>2</b>\nB"]) == ["<b>1</b>\nA\n\n<b>2</b>\nB"]


def test_blocks_are_split_between_each_other_never_inside() -> None:
    cards = [f"<b>{n}</b>\n" + "x" * 1500 for n in range(6)]
    messages = split_message(cards)
    assert len(messages) == 3
    assert all(len(message) <= MAX_MESSAGE_CHARS for message in messages)
    assert "\n\n".join(messages) == "\n\n".join(cards)


@pytest.mark.parametrize("limit", [40, 100])
def test_a_block_longer_than_the_limit_is_cut_at_lines_in_order(limit: int) -> None:
    long_line = " ".join(f"word{n}" for n in range(60))
    block = "\n".join(["first line", "second line", long_line, "last line"])
    messages = split_message([block], limit=limit)
    assert all(len(message) <= limit for message in messages)
    assert " ".join(" ".join(messages).split()) == " ".join(block.split())


# --- what a card and the details say ------------------------------------------------------

LRI, PDI = "\u2066", "\u2069"

FULL_SERVICE = """\
  - id: beratung-suedstadt
    name: {de: "Beratung Südstadt"}
    categories: [food]
    summary: {de: "Beratung und Essen.", ar: "استشارة وطعام."}
    location: {address: "Hildesheimer Straße 20, 30169 Hannover", district: Linden}
    opening_hours: "Mo-Fr 08:00-12:00; PH off"
    hours_note: {de: "Donnerstags auch abends."}
    phone: "0511 1234567"
    email: beratung@example.org
    website: https://example.org/beratung
    languages: [de, ar]
    accessibility: [wheelchair, hearing-loop, sign-language]
    cost: free
    appointment: none
    anonymous: true
    documents: {de: "Personalausweis", ar: "بطاقة الهوية"}
    last_verified: 2026-10-01
"""

TUESDAY_TEN = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def write_full(path: Path, hours: str = "Mo-Fr 08:00-12:00; PH off") -> Path:
    """The small valid catalogue plus one service with every fact, open at ``hours``."""
    valid = (Path(__file__).parent / "catalogues" / "valid.yaml").read_text(encoding="utf-8")
    service = FULL_SERVICE.replace("Mo-Fr 08:00-12:00; PH off", hours)
    path.write_text(valid + service, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Directory, Service]:
    path = write_full(tmp_path_factory.mktemp("full") / "services.yaml")
    directory = Directory.load(path)
    return directory, directory.catalogue.services_by_id["beratung-suedstadt"]


def test_a_german_card_has_the_facts_people_act_on(
    full: tuple[Directory, Service], translators: TranslatorRegistry
) -> None:
    directory, service = full
    catalogue, schedules = directory.catalogue, directory.schedules
    card = service_card(catalogue, schedules, service, translators["de"], TUESDAY_TEN, number=2)
    assert card.splitlines() == [
        "<b>2. Beratung Südstadt</b>",
        "Beratung und Essen.",
        "🟢 Jetzt geöffnet, bis 12:00 Uhr",
        "📍 im Stadtteil Linden · Hildesheimer Straße 20, 30169 Hannover",
        "📞 +49 511 1234567",  # international: tappable on every phone
        "✅ kostenlos · ohne Termin · anonym · ♿ rollstuhlgerecht",
    ]


def test_german_details_hold_everything_the_catalogue_knows(
    full: tuple[Directory, Service], translators: TranslatorRegistry
) -> None:
    directory, service = full
    catalogue, schedules = directory.catalogue, directory.schedules
    details = service_details(catalogue, schedules, service, translators["de"], TUESDAY_TEN)
    for line in (
        "🕒 Mo–Fr 08:00–12:00; an Feiertagen geschlossen",
        "🟢 Jetzt geöffnet, bis 12:00 Uhr",
        "ℹ️ Donnerstags auch abends.",
        "✉️ beratung@example.org",
        "🌐 https://example.org/beratung",
        "✅ kostenlos · ohne Termin · anonym · ♿ rollstuhlgerecht · "
        "Induktionsschleife (für Hörgeräte) · Gebärdensprache",
        "🗣 Deutsch und العربية",
        "📄 Bitte mitbringen: Personalausweis",
        "<i>Geprüft am 1. Oktober 2026</i>",
    ):
        assert line in details.splitlines(), line


def test_an_arabic_card_isolates_left_to_right_facts(
    full: tuple[Directory, Service], translators: TranslatorRegistry
) -> None:
    """Names, addresses and numbers in Latin script keep their order inside Arabic text."""
    directory, service = full
    catalogue, schedules = directory.catalogue, directory.schedules
    card = service_card(catalogue, schedules, service, translators["ar"], TUESDAY_TEN).splitlines()
    assert card[0] == f"<b>{LRI}Beratung Südstadt{PDI}</b>"
    assert card[1] == "استشارة وطعام."
    assert card[2] == f"🟢 مفتوح الآن حتى الساعة {LRI}12:00{PDI}"
    address = f"{LRI}Hildesheimer Straße 20, 30169 Hannover{PDI}"
    assert card[3] == f"📍 في حي {LRI}Linden{PDI} · {address}"
    assert card[4] == f"📞 {LRI}+49 511 1234567{PDI}"
    details = service_details(
        catalogue, schedules, service, translators["ar"], TUESDAY_TEN
    ).splitlines()
    assert f"✉️ {LRI}beratung@example.org{PDI}" in details
    assert f"🌐 {LRI}https://example.org/beratung{PDI}" in details
    assert "📄 يُرجى إحضار: بطاقة الهوية" in details


# --- whose opening hours ------------------------------------------------------------------


def test_after_a_reload_the_old_schedules_are_gone_and_cards_use_the_new_ones(
    tmp_path: Path, translators: TranslatorRegistry
) -> None:
    path = write_full(tmp_path / "services.yaml", hours="Mo-Fr 07:13-16:47")
    old = Directory.load(path)
    service = old.catalogue.services_by_id["beratung-suedstadt"]
    old_card = service_card(old.catalogue, old.schedules, service, translators["en"], TUESDAY_TEN)
    assert "until 16:47" in old_card

    write_full(path, hours="Mo-Fr 09:00-11:29")
    new = Directory.load(path)  # what the reloader does; then it swaps the reference
    del old, service
    gc.collect()
    left = [o for o in gc.get_objects() if isinstance(o, OpeningSchedule)]
    assert not [o for o in left if o.expression == "Mo-Fr 07:13-16:47"]

    service = new.catalogue.services_by_id["beratung-suedstadt"]
    card = service_card(new.catalogue, new.schedules, service, translators["en"], TUESDAY_TEN)
    assert "until 11:29" in card
    details = service_details(new.catalogue, new.schedules, service, translators["en"], TUESDAY_TEN)
    assert "until 11:29" in details
    assert "16:47" not in card + details
