"""Honest about time: a service's status, alerts and age decide what its card may say.

End to end at the fixed clock (Wednesday 18 November 2026, 11:00 in Hannover), on a small
catalogue in which every odd Tafel is open Monday to Friday 08:00-20:00 by its hours, and each
gets one reason for doubt: unconfirmed, checked in March 2024, under an alert, seasonal and
checked last January, temporarily closed, closed. Tafel 11 stays as it was: the control that
"open now" is still said where the catalogue vouches for it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXED_NOW, Launcher, Person, button_data, buttons, write_catalogue

from bot.catalogue.validation import check_catalogue, load_catalogue
from bot.cli import EXIT_OK, main
from bot.directory import Directory
from bot.hours.trust import hours_confirmed
from bot.i18n.localized import format_date
from bot.i18n.translators import TranslatorRegistry
from bot.staff.hsds import export_catalogue
from bot.staff.printable import build_page, render_directory
from fakebotapi import FakeBotApi

ALERT = "Geschlossen vom 17. bis 19. November."
UNSURE_CALL = "Zeiten unsicher – bitte vorher anrufen"
UNSURE_ASK = "Zeiten unsicher – fragen Sie vor Ort"


def edit(text: str, service_id: str, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` in one service's block of the catalogue text."""
    start = text.index(f"  - id: {service_id}\n")
    end = text.find("\n  - id:", start + 1)
    end = len(text) if end < 0 else end
    block = text[start:end]
    assert old in block, (service_id, old)
    return text[:start] + block.replace(old, new, 1) + text[end:]


def add(text: str, service_id: str, *lines: str) -> str:
    """Add field lines to one service, after its categories."""
    extra = "".join(f"\n    {line}" for line in lines)
    return edit(text, service_id, "categories: [food]", "categories: [food]" + extra)


def doubtful_catalogue(path: Path) -> Path:
    """The catalogue of this module's story (see the module docstring)."""
    write_catalogue(path, food_services=13)
    text = path.read_text(encoding="utf-8")
    text = add(text, "tafel-1", "status: unconfirmed")
    text = edit(text, "tafel-2", '    phone: "0511 123452"\n', "")
    text = add(text, "tafel-2", "status: unconfirmed")
    text = edit(text, "tafel-3", "last_verified: 2026-10-01", "last_verified: 2024-03-05")
    text = edit(text, "tafel-4", '    phone: "0511 123454"\n', "")
    text = add(text, "tafel-5", "status: temporarily-closed", "closed_until: 2027-01-15")
    text = add(text, "tafel-7", "status: closed")
    text = add(
        text,
        "tafel-9",
        "alerts:",
        f'  - {{from: 2026-11-17, until: 2026-11-19, text: {{de: "{ALERT}"}}}}',
    )
    text = edit(text, "tafel-13", '"Mo-Fr 08:00-20:00"', '"Nov 01-Mar 31: Mo-Su 08:00-20:00"')
    text = edit(text, "tafel-13", "last_verified: 2026-10-01", "last_verified: 2026-01-09")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def doubtful(tmp_path: Path, translators: TranslatorRegistry) -> Directory:
    path = doubtful_catalogue(tmp_path / "services.yaml")
    return Directory.load(path, ui_languages=tuple(translators), today=FIXED_NOW.date())


def cards_by_name(texts: list[str]) -> dict[str, str]:
    """Each card of some list messages, by the service's name ("Tafel 3")."""
    cards = {}
    for text in texts:
        for card in text.split("\n\n"):
            found = re.match(r"\d+\. (Tafel \d+)\n", card)
            if found:
                cards[found.group(1)] = card
    return cards


async def food_list(person: Person) -> tuple[list[dict], dict[str, str]]:
    """Every page of the food topic, turned forward with its own buttons."""
    _, menu = await person.says("/start", count=2)
    (page,) = await person.presses(menu, data="c|food|0")
    pages = [page]
    while any(b["text"].startswith("➕") for b in buttons(page)):
        (page,) = await person.presses(page, text="➕ Mehr Ergebnisse")
        pages.append(page)
    return pages, cards_by_name([p["text"] for p in pages])


async def test_unconfirmed_stale_seasonal_or_alerted_services_are_never_open_now(
    server: FakeBotApi, launch: Launcher, doubtful: Directory
) -> None:
    async with launch(catalogue=doubtful):
        person = Person(server)
        _, cards = await food_list(person)
    assert "🟢" in cards["Tafel 11"]  # the control: confirmed hours still say "open now"
    for name in ("Tafel 1", "Tafel 3", "Tafel 9", "Tafel 13"):
        assert "🟢" not in cards[name] and "geöffnet" not in cards[name], name
        assert UNSURE_CALL in cards[name], name
    assert "Stand 03/2024" in cards["Tafel 3"]
    assert "Stand" not in cards["Tafel 11"]
    assert ALERT in cards["Tafel 9"]
    # "Call before you go" only where there is a phone; the place is all Tafel 2 and 4 give.
    assert UNSURE_ASK in cards["Tafel 2"] and "anrufen" not in cards["Tafel 2"]
    assert "🚶 Nur persönlich vor Ort" in cards["Tafel 4"]
    assert "📞" in cards["Tafel 3"] and "Nur persönlich" not in cards["Tafel 3"]


async def test_the_details_keep_the_hours_but_not_the_green_dot(
    server: FakeBotApi, launch: Launcher, doubtful: Directory
) -> None:
    async with launch(catalogue=doubtful):
        person = Person(server)
        (_, details) = await person.says("/start s-tafel-1", count=2)
    assert "🕒" in details["text"]  # what the entry says about the hours is still shown
    assert UNSURE_CALL in details["text"]
    assert "🟢" not in details["text"]


async def test_a_temporarily_closed_service_says_until_when(
    server: FakeBotApi, launch: Launcher, doubtful: Directory
) -> None:
    async with launch(catalogue=doubtful):
        _, cards = await food_list(Person(server))
    assert "⛔ Vorübergehend geschlossen bis 15. Januar 2027" in cards["Tafel 5"]
    assert "🟢" not in cards["Tafel 5"]


async def test_closed_services_never_appear(
    server: FakeBotApi, launch: Launcher, doubtful: Directory
) -> None:
    async with launch(catalogue=doubtful):
        person = Person(server)
        pages, cards = await food_list(person)
        (found,) = await person.says("Lebensmittel")
        searched = [found]
        while any(b["text"].startswith("➕") for b in buttons(searched[-1])):
            (page,) = await person.presses(searched[-1], text="➕ Mehr Ergebnisse")
            searched.append(page)
        # Standing at Tafel 7's door: the nearby list still leaves it out.
        (nearby,) = await person.shares_location(52.3740, 9.7170)
        (_, linked) = await person.says("/start s-tafel-7", count=2)
    assert "Tafel 6" in cards and "Tafel 8" in cards  # the list reached past it
    for message in [*pages, *searched, nearby, linked]:
        assert "Tafel 7\n" not in message["text"] + "\n"
        assert not any(d.endswith("tafel-7") for d in button_data(message))
    assert "Tafel 8" in nearby["text"]


async def test_about_gives_the_oldest_and_newest_check_not_today(
    server: FakeBotApi, launch: Launcher, doubtful: Directory
) -> None:
    async with launch(catalogue=doubtful):
        (about,) = await Person(server).says("/about")
    text = about["text"]
    assert "Die Einträge wurden zuletzt zwischen dem 5. März 2024 und dem 1. Oktober 2026 " in text
    assert "geprüft." in text
    assert "18. November 2026" not in text  # the clock's day
    assert "Bitte rufen Sie vorher an" not in text  # said on cards with a phone, not to all


def test_the_printed_directory_gives_the_verified_dates_not_today(
    tmp_path: Path, translators: TranslatorRegistry
) -> None:
    path = doubtful_catalogue(tmp_path / "services.yaml")
    out = tmp_path / "wegweiser-de.html"
    code = main(
        [
            "directory",
            "--services",
            str(path),
            "--out",
            str(out),
            "--bot-username",
            "WegweiserTestBot",
        ]
    )
    assert code == EXIT_OK
    page = out.read_text(encoding="utf-8")
    assert "zwischen dem 5. März 2024 und dem 1. Oktober 2026" in page
    assert format_date(date.today(), translators["de"]) not in page
    assert "Tafel 7<" not in page and "Tafel 6<" in page


async def test_result_pages_go_forward_and_back(server: FakeBotApi, app: object) -> None:
    person = Person(server)
    (first,) = await person.says("Lebensmittel")
    assert re.search(r"Seite 1 von [2-4]\n", first["text"])
    assert not any(b["text"].startswith("◀️") for b in buttons(first))
    (second,) = await person.presses(first, text="➕ Mehr Ergebnisse")
    assert second["message_id"] == first["message_id"]
    assert re.search(r"Seite 2 von [2-4]\n", second["text"]) and "\n4. " in second["text"]
    (back,) = await person.presses(second, text="◀️ Zurück")
    assert back["text"] == first["text"]
    assert [b["text"] for b in buttons(back)] == [b["text"] for b in buttons(first)]


async def test_list_details_buttons_are_named_and_codes_stay_short(
    server: FakeBotApi, launch: Launcher, doubtful: Directory
) -> None:
    async with launch(catalogue=doubtful):
        pages, _ = await food_list(Person(server))
    labels = [b["text"] for b in buttons(pages[0]) if b.get("callback_data", "")[:2] == "s|"]
    assert labels[0] == "ℹ️ 1. Tafel 11"  # open now comes first
    assert all(re.fullmatch(r"ℹ️ \d+\. Tafel \d+", label) for label in labels)
    assert all(len(d.encode()) <= 64 for p in pages for d in button_data(p))


def test_the_decision_in_one_place(doubtful: Directory) -> None:
    """What the cards show comes from ``hours_confirmed``; the placetime filters ask it too."""
    today = FIXED_NOW.date()
    services = doubtful.catalogue.services_by_id
    confirmed = {sid for sid, s in services.items() if hours_confirmed(s, today)}
    assert confirmed == {f"tafel-{n}" for n in (4, 6, 8, 10, 11, 12)} | {
        "frauenhaus",
        "hilfetelefon",
    }
    assert "tafel-7" not in services


def test_staff_hear_how_to_check_and_which_service_cannot_be_reached(tmp_path: Path) -> None:
    path = doubtful_catalogue(tmp_path / "services.yaml")
    text = path.read_text(encoding="utf-8")
    # Tafel 4 has no phone already; without its place nothing is left to reach it by.
    text = re.sub(r"(  - id: tafel-4\n(?:    .*\n)*?)    location: \{[^}]*\}\n", r"\1", text)
    path.write_text(text, encoding="utf-8")
    catalogue, findings = check_catalogue(path, today=FIXED_NOW.date())
    assert catalogue is not None
    messages = [f.format() for f in findings]
    stale = next(m for m in messages if "`tafel-3`" in m and "last_verified" in m)
    assert "call 0511 123453" in stale and "visit Limmerstraße 3" in stale
    assert FIXED_NOW.date().isoformat() not in stale
    assert any("`tafel-4`" in m and "gives no way to reach it" in m for m in messages)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (["closed_until: 2027-01-15"], "`closed_until` belongs to `status: temporarily-closed`"),
        (["status: paused"], "`paused` is not allowed for `status`"),
        (
            ["alerts:", "  - {from: 2026-12-26, until: 2026-12-24, text: {de: Zu.}}"],
            "`until: 2026-12-24` is before `from: 2026-12-26`",
        ),
    ],
)
def test_a_wrong_status_or_alert_is_refused_with_its_line(
    tmp_path: Path, fields: list[str], message: str
) -> None:
    path = write_catalogue(tmp_path / "services.yaml", food_services=2)
    text = add(path.read_text(encoding="utf-8"), "tafel-2", *fields)
    path.write_text(text, encoding="utf-8")
    catalogue, findings = check_catalogue(path, today=FIXED_NOW.date())
    assert catalogue is None
    errors = [f for f in findings if f.level == "error"]
    assert len(errors) == 1 and message in errors[0].message
    lines = text.splitlines()
    block, field = lines.index("  - id: tafel-2") + 1, lines.index("    " + fields[0]) + 1
    assert block <= errors[0].line <= field + 1 and errors[0].service == "tafel-2"


def test_the_open_data_export_carries_status_and_alerts(
    tmp_path: Path, translators: TranslatorRegistry
) -> None:
    """HSDS keeps every entry (a closed one as defunct): the export is the record, not a list
    for people."""
    path = doubtful_catalogue(tmp_path / "services.yaml")
    catalogue = load_catalogue(path, today=FIXED_NOW.date()).catalogue
    export = export_catalogue(catalogue, translators["de"], FIXED_NOW)
    rows = {row["name"]: row for row in export.tables["services"]}
    assert rows["Tafel 7"]["status"] == "defunct"
    assert rows["Tafel 5"]["status"] == "temporarily closed"
    assert rows["Tafel 5"]["alert"] == "temporarily closed until 2027-01-15"
    assert rows["Tafel 1"]["status"] == "active" and "alert" not in rows["Tafel 1"]
    assert rows["Tafel 9"]["alert"] == f"2026-11-17/2026-11-19: {ALERT}"


def test_the_printed_directory_says_closed_until_and_hours_uncertain(
    tmp_path: Path, translators: TranslatorRegistry, doubtful: Directory
) -> None:
    page = build_page(
        doubtful.catalogue, translators["de"], username="WegweiserTestBot", now=FIXED_NOW
    )
    entries = {e.name.text: e for s in page.sections for e in s.entries}
    assert entries["Tafel 5"].caution == "Vorübergehend geschlossen bis 15. Januar 2027"
    assert entries["Tafel 1"].caution == UNSURE_CALL
    assert entries["Tafel 2"].caution == UNSURE_ASK
    assert entries["Tafel 11"].caution is None
    html = render_directory(
        doubtful.catalogue, translators["de"], username="WegweiserTestBot", now=FIXED_NOW
    )
    assert f"<strong>{UNSURE_CALL}</strong>" in html
