"""Contact without a voice (`online`) and the kinds of danger a service is first help for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.catalogue.validation import check_catalogue

VALID = Path(__file__).parent / "catalogues" / "valid.yaml"
TODAY = date(2026, 11, 21)


def _with(tmp_path: Path, extra: str) -> Path:
    text = VALID.read_text(encoding="utf-8").replace(
        '    phone: "0511 123456"\n', '    phone: "0511 123456"\n' + extra
    )
    path = tmp_path / "services.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_online_contacts_and_danger_kinds_load(tmp_path: Path) -> None:
    path = _with(
        tmp_path,
        "    online:\n"
        "      - {kind: chat, address: https://example.org/chat, hours: Mo-Fr 14:00-20:00}\n"
        '      - {kind: sms, address: "0511 123456"}\n'
        "      - {kind: email, address: beratung@example.org, note: {de: Antwort in 2 Tagen}}\n"
        "    danger: [violence, stalking]\n",
    )
    catalogue, findings = check_catalogue(path, today=TODAY)
    assert catalogue is not None, [f.format() for f in findings]
    (service,) = catalogue.services
    assert [c.kind for c in service.online] == ["chat", "sms", "email"]
    assert service.online[0].hours == "Mo-Fr 14:00-20:00"
    assert service.danger == ("violence", "stalking")


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (
            "    online: [{kind: chat, address: 'http://example.org'}]\n",
            "does not fit `kind: chat`",
        ),
        ("    online: [{kind: sms, address: 'hello'}]\n", "write the number to text"),
        ("    online: [{kind: chat, address: 'https://a.org', hours: 'Mo-Fr 9-17'}]\n", "Example"),
        ("    online: [{kind: fax, address: '0511 1'}]\n", "chat"),
        ("    danger: [murder]\n", "suicide"),
    ],
)
def test_a_wrong_contact_or_kind_names_the_line_and_the_fix(
    tmp_path: Path, extra: str, words: str
) -> None:
    catalogue, findings = check_catalogue(_with(tmp_path, extra), today=TODAY)
    assert catalogue is None
    errors = [f for f in findings if f.level == "error"]
    assert len(errors) == 1 and words in errors[0].message, [f.format() for f in errors]
    assert errors[0].line >= 35 and errors[0].service == "tafel-linden"


def test_cards_and_details_show_how_to_write_and_when(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.answers.texts import service_card, service_details
    from bot.directory import Directory
    from bot.i18n.translators import DEFAULT_LOCALES_DIR, load_translators

    path = _with(
        tmp_path,
        "    online:\n"
        "      - {kind: chat, address: https://example.org/chat, hours: Mo-Fr 14:00-20:00}\n"
        '      - {kind: sms, address: "0511 123456", hours: "24/7"}\n'
        "      - {kind: email, address: rat@example.org, note: {de: Antwort in 2 Tagen}}\n",
    )
    directory = Directory.load(path, today=TODAY)
    translators = load_translators(DEFAULT_LOCALES_DIR, ("de", "ar"))
    (service,) = directory.catalogue.services
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    card = service_card(directory.catalogue, directory.schedules, service, translators["de"], now)
    assert "💬 Chat: https://example.org/chat (Mo–Fr 14:00–20:00)" in card
    assert "💬 SMS: +49 511 123456 (Rund um die Uhr geöffnet, jeden Tag)" in card
    details = service_details(
        directory.catalogue, directory.schedules, service, translators["ar"], now
    )
    assert "💬 دردشة: " in details
    german = service_details(
        directory.catalogue, directory.schedules, service, translators["de"], now
    )
    assert "💬 Beratung per E-Mail: rat@example.org – Antwort in 2 Tagen" in german
    assert "Antwort in 2 Tagen" not in card  # the card stays short
