"""The printable directory: content, translations, and how Chromium lays it out and prints it."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import segno
from babel.messages.pofile import write_po
from large_catalogue import large, large_catalogue
from PIL import Image

from bot.answers.texts import format_phone
from bot.catalogue.model import Catalogue
from bot.catalogue.validation import load_catalogue
from bot.cli import EXIT_OK, EXIT_USAGE, main
from bot.i18n.check import extract_messages
from bot.i18n.localized import format_list
from bot.i18n.translators import (
    Translator,
    TranslatorRegistry,
    load_translator,
    load_translators,
    native_language_name,
    po_path,
    read_catalog,
)
from bot.staff.printable import (
    EXAMPLE_BOT_USERNAME,
    PrintableError,
    bot_username,
    build_page,
    render_directory,
)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "services.yaml"
VALID = ROOT / "tests" / "catalogues" / "valid.yaml"
NOW = datetime.fromisoformat("2026-11-18T11:00:00+01:00")
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
A4_CONTENT_PX = 688
"""A4 is 210 mm wide; less the page's 2 × 14 mm margins that is 182 mm, 688 CSS pixels."""

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"no Chromium at {CHROMIUM}: run `make chromium` (Debian's chromium package) or set "
    "CHROMIUM to a Chromium binary",
)

STRESS_SERVICE = """\
  - id: sehr-lange-angaben
    name: {de: "Beratungsstellenverbundskoordinationsdienstleistungszentrum Hannover-Südstadt-Bult"}
    categories: [food]
    summary:
      de: "Ein Eintrag mit ungewöhnlich langen Angaben, damit nichts über den Rand läuft."
    location:
      address: "Hildesheimer Straße 123456789, Hinterhaus, Aufgang C, 3. OG, 30173 Hannover"
      district: Linden
    opening_hours: "Mo-Fr 08:00-12:00,13:00-16:00,17:00-20:00; Sa 09:00-12:00; PH off"
    hours_note: {de: "Donnerstags zusätzlich Sprechstunde für Menschen ohne Krankenversicherung."}
    phone: "+49 511 1234567"
    email: beratungsstellenverbundskoordination.hannover@example-wohlfahrtsverband.org
    website: https://www.example-wohlfahrtsverband-niedersachsen.org/hannover/beratungsstellen/suedstadt/sehr-lange-adresse-ohne-umbruch
    languages: [de, en, uk, ru, ar, tr, fa]
    accessibility: [wheelchair, hearing-loop, sign-language, easy-language]
    cost: free
    appointment: none
    anonymous: true
    documents: {de: "Personalausweis oder Pass, Bescheid über Bürgergeld, Wohngeld oder Rente"}
    last_verified: 2026-10-01
"""
"""Long words, a long unbroken URL and every optional field: the worst case for the layout."""


@pytest.fixture(scope="module")
def translators() -> TranslatorRegistry:
    return load_translators()


@pytest.fixture(scope="module")
def valid() -> Catalogue:
    return load_catalogue(VALID).catalogue


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(SHIPPED).catalogue


@pytest.fixture(scope="module")
def stress(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    path = tmp_path_factory.mktemp("stress") / "services.yaml"
    path.write_text(VALID.read_text(encoding="utf-8") + STRESS_SERVICE, encoding="utf-8")
    return load_catalogue(path).catalogue


# --- content ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        ("de", '<html lang="de" dir="ltr">'),
        ("en", '<html lang="en" dir="ltr">'),
        ("ar", '<html lang="ar" dir="rtl">'),
        ("fa", '<html lang="fa" dir="rtl">'),
    ],
)
def test_page_language_and_direction(
    valid: Catalogue, translators: TranslatorRegistry, language: str, opening: str
) -> None:
    page = render_directory(valid, translators[language], username="WegweiserHannoverBot", now=NOW)
    assert page.startswith("<!DOCTYPE html>\n" + opening)


def test_facts_of_a_service_in_arabic(valid: Catalogue, translators: TranslatorRegistry) -> None:
    """Phones, addresses and web addresses stay left to right inside the Arabic page."""
    tr = translators["ar"]
    page = render_directory(valid, tr, username="WegweiserHannoverBot", now=NOW)
    assert '<a href="tel:+49511123456"><bdi dir="ltr">+49 511 123456</bdi></a>' in page
    assert '<bdi dir="ltr">Limmerstraße 1, 30451 Hannover</bdi><br><bdi dir="ltr">Linden</bdi>' in (
        page
    )
    assert '<a href="https://example.org"><bdi dir="ltr">example.org</bdi></a>' in page
    # The name exists only in German: it keeps its own language and direction.
    assert '<h3 lang="de" dir="ltr">Tafel Linden</h3>' in page
    assert f"<dt>{html.escape(tr.gettext('Opening hours'))}</dt>" in page
    assert f"<title>{tr.gettext('Support services in {city}').format(city='Hannover')}</title>" in (
        page
    )


def test_services_are_grouped_by_category_in_file_order(
    shipped: Catalogue, translators: TranslatorRegistry
) -> None:
    page = build_page(shipped, translators["de"], username="WegweiserHannoverBot", now=NOW)
    with_services = [c for c in shipped.categories if shipped.services_in(c.id)]
    assert [section.id for section in page.sections] == [c.id for c in with_services]
    for section in page.sections:
        expected = [service.id for service in shipped.services_in(section.id)]
        assert [entry.id for entry in section.entries] == expected
    assert [entry.id for entry in page.emergency] == [s.id for s in shipped.emergency_services]
    rendered = render_directory(
        shipped, translators["de"], username="WegweiserHannoverBot", now=NOW
    )
    assert rendered.count('<section class="category"') == len(with_services)


def test_every_fact_of_the_stress_service_is_shown(
    stress: Catalogue, translators: TranslatorRegistry
) -> None:
    tr = translators["de"]
    page = build_page(stress, tr, username="WegweiserHannoverBot", now=NOW)
    [entry] = [e for e in page.sections[0].entries if e.id == "sehr-lange-angaben"]
    assert entry.hours is not None and "08:00–12:00" in entry.hours
    assert entry.phone == format_phone("+49 511 1234567", "DE")
    assert entry.languages is not None and "Українська" in entry.languages
    assert entry.facts == " · ".join(
        [
            tr.gettext("free"),
            tr.gettext("no appointment"),
            tr.gettext("anonymous"),
            "♿ " + tr.gettext("wheelchair access"),
            tr.gettext("hearing loop"),
            tr.gettext("sign language"),
            tr.gettext("easy language"),
        ]
    )
    assert entry.documents is not None
    assert entry.documents.text.startswith(tr.gettext("Please bring: {documents}")[:5])
    assert entry.checked == tr.gettext("Checked on {date}").format(date="1. Oktober 2026")


def test_qr_code_opens_the_bot(valid: Catalogue, translators: TranslatorRegistry) -> None:
    page = build_page(valid, translators["de"], username="HilfeTestBot", now=NOW)
    assert page.bot_url == "https://t.me/HilfeTestBot"
    expected = segno.make("https://t.me/HilfeTestBot", error="m")
    assert page.qr_svg == expected.svg_inline(scale=4, omitsize=True, title=page.bot_url)
    assert str(page.qr_svg).startswith('<svg viewBox="0 0 ')


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        (None, {"TELEGRAM_BOT_USERNAME": "LindenHilfeBot"}, "LindenHilfeBot"),
        ("@WolfsburgHilfeBot", {"TELEGRAM_BOT_USERNAME": "LindenHilfeBot"}, "WolfsburgHilfeBot"),
    ],
)
def test_bot_username(explicit: str | None, env: dict[str, str], expected: str) -> None:
    assert bot_username(explicit, env) == expected


def test_without_a_configured_username_there_is_no_qr_code() -> None:
    with pytest.raises(PrintableError, match="the QR code needs your bot's username"):
        bot_username(None, {})


def test_the_directory_command_without_a_username_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)
    out = tmp_path / "x.html"
    code = main(["directory", "--out", str(out), "--services", str(VALID)])
    assert code == EXIT_USAGE
    assert "--bot-username NAME or set TELEGRAM_BOT_USERNAME" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("name", ["bot", "t.me/Bot", "Wegweiser Bot", "1stBot"])
def test_bot_username_must_be_a_telegram_username(name: str) -> None:
    with pytest.raises(PrintableError, match="is not a Telegram bot username"):
        bot_username(name, {})


class _TextNodes(HTMLParser):
    """Every visible text of a page (outside <style>, <script> and the QR code's <svg>)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "svg"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "svg"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def pseudo_translator(tmp_path: Path) -> Translator:
    """German whose every sentence is wrapped in ⟦…⟧, built from a fresh ``pybabel extract``.

    So a sentence that is not marked for translation, or that pybabel cannot see, shows up
    unwrapped on the page.
    """
    template = tmp_path / "bot.pot"
    extract_messages(template)
    catalog = read_catalog(template, "de")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            message.string = f"⟦{message.id}⟧"
        else:
            message.string = tuple(f"⟦{form}⟧" for form in message.id)
    target = po_path(tmp_path / "locales", "de")
    target.parent.mkdir(parents=True)
    with target.open("wb") as handle:
        write_po(handle, catalog)
    return load_translator(tmp_path / "locales", "de")


def test_every_sentence_of_the_page_is_translated(tmp_path: Path, stress: Catalogue) -> None:
    tr = pseudo_translator(tmp_path)
    page = render_directory(stress, tr, username="WegweiserHannoverBot", now=NOW)
    parser = _TextNodes()
    parser.feed(page)
    data = {"t.me/WegweiserHannoverBot"}
    for service in stress.services:
        data |= {text for _, text in service.name.all_texts()}
        data |= {text for _, text in service.summary.all_texts()}
        if service.location:
            data |= {service.location.address or "", service.location.district or ""}
        data |= {format_phone(service.phone or "", "DE"), service.email or ""}
        if service.hours_note:
            data |= {text for _, text in service.hours_note.all_texts()}
        # Language names in their own languages are Babel's data, like day names.
        names = [native_language_name(code) for code in service.languages]
        data.add(format_list(names, tr))
        data.add((service.website or "").removeprefix("https://"))
    for category in stress.categories:
        data |= {text for _, text in category.name.all_texts()}
    untranslated = [
        text
        for text in parser.texts
        if "⟦" not in text and text not in data and not re.fullmatch(r"[\W\d]*", text)
    ]
    assert untranslated == []


def test_directory_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "LindenHilfeBot")
    code = main(["directory", "--lang", "ar", "--services", str(SHIPPED)])
    assert code == EXIT_OK
    out = tmp_path / "wegweiser-ar.html"
    assert capsys.readouterr().out == (
        "wegweiser-ar.html: printable directory in العربية; open it in a browser and print it.\n"
    )
    page = out.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert "t.me/LindenHilfeBot" in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids))  # emergency services also appear in their topics


def test_directory_command_refuses_a_bad_username(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "x.html"
    code = main(["directory", "--out", str(out), "--bot-username", "no", "--services", str(VALID)])
    assert code == EXIT_USAGE
    assert capsys.readouterr().err.startswith("usage error: 'no' is not a Telegram bot username")
    assert not out.exists()


@large
def test_a_large_catalogue_renders(translators: TranslatorRegistry) -> None:
    catalogue = large_catalogue()
    page = render_directory(catalogue, translators["de"], username=EXAMPLE_BOT_USERNAME, now=NOW)
    placements = sum(len(catalogue.services_in(c.id)) for c in catalogue.categories)
    assert page.count('<article class="service"') == placements + len(catalogue.emergency_services)
    assert page.rstrip().endswith("</html>")


# --- Chromium ----------------------------------------------------------------------------

LAYOUT_CHECK = """
<script>
window.addEventListener("load", () => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const content = document.querySelector("h1").getBoundingClientRect().width;
  const outside = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -0.5 || box.right > width + 0.5) {
      outside.push(element.tagName + " " + (element.textContent || "").trim().slice(0, 50));
    }
  }
  const clipped = [...document.querySelectorAll("h1, h2, h3, p, dt, dd, li")]
    .filter((element) => element.scrollWidth > element.clientWidth + 1)
    .map((element) => element.textContent.trim().slice(0, 50));
  const narrow = [...document.querySelectorAll(".service")]
    .filter((element) => element.getBoundingClientRect().width < 0.95 * content)
    .map((element) => element.id);
  document.body.setAttribute("data-layout", JSON.stringify({
    scrollWidth: root.scrollWidth, clientWidth: width,
    outside: outside.slice(0, 10), clipped: clipped.slice(0, 10), narrow: narrow.slice(0, 10),
    services: document.querySelectorAll(".service").length,
  }));
});
</script>
"""
"""Measures the page after layout and leaves the result in the DOM that --dump-dom prints."""


def chromium(profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Debian's Chromium, headless, offline and without any first-run or update traffic."""
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def layout_of(page: str, tmp_path: Path) -> dict[str, object]:
    """Render ``page`` at the width of an A4 page's printable area and measure it."""
    path = tmp_path / "layout.html"
    path.write_text(page.replace("</body>", LAYOUT_CHECK + "</body>"), encoding="utf-8")
    result = chromium(
        tmp_path / "profile",
        f"--window-size={A4_CONTENT_PX},1000",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=10000",
        "--dump-dom",
        path.as_uri(),
    )
    found = re.search(r'data-layout="([^"]*)"', result.stdout)
    assert found, "the layout check did not run:\n" + result.stderr[-2000:]
    return dict(json.loads(html.unescape(found.group(1))))


CATALOGUES = ["shipped", "stress"]


@needs_chromium
@pytest.mark.parametrize("language", ["de", "ar"])
@pytest.mark.parametrize("which", CATALOGUES)
def test_nothing_overflows_the_page_width(
    request: pytest.FixtureRequest, translators: TranslatorRegistry, tmp_path: Path,
    language: str, which: str,
) -> None:  # fmt: skip
    catalogue: Catalogue = request.getfixturevalue(which)
    page = render_directory(
        catalogue, translators[language], username=EXAMPLE_BOT_USERNAME, now=NOW
    )
    layout = layout_of(page, tmp_path)
    assert layout["scrollWidth"] == layout["clientWidth"] <= A4_CONTENT_PX
    assert (layout["outside"], layout["clipped"], layout["narrow"]) == ([], [], [])
    placements = sum(len(catalogue.services_in(c.id)) for c in catalogue.categories)
    assert layout["services"] == placements + len(catalogue.emergency_services)


@needs_chromium
@pytest.mark.parametrize("language", ["de", "ar"])
def test_prints_to_pdf_with_a_page_per_category(
    shipped: Catalogue, translators: TranslatorRegistry, tmp_path: Path, language: str
) -> None:
    page = render_directory(shipped, translators[language], username=EXAMPLE_BOT_USERNAME, now=NOW)
    source = tmp_path / f"wegweiser-{language}.html"
    source.write_text(page, encoding="utf-8")
    pdf = tmp_path / f"wegweiser-{language}.pdf"
    chromium(
        tmp_path / "profile",
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        "--virtual-time-budget=10000",
        source.as_uri(),
    )
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", content))
    categories = sum(1 for c in shipped.categories if shipped.services_in(c.id))
    assert pages >= 1 + categories  # the cover, then every category on a page of its own
    sizes = {
        (round(float(width)), round(float(height)))
        for width, height in re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", content)
    }
    assert sizes == {(595, 842)}  # A4 in PostScript points


SCREEN_MARGIN_PX = 100
"""Blank room on each side of the page column in the screenshot, where overflow would show."""


@needs_chromium
@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_screenshot_shows_nothing_outside_the_page_column(
    stress: Catalogue, translators: TranslatorRegistry, tmp_path: Path, language: str
) -> None:
    """What a person sees: on a screen wider than the page, every pixel beside the page's
    column is still blank; text or a long address running out of it would show there."""
    page = render_directory(stress, translators[language], username=EXAMPLE_BOT_USERNAME, now=NOW)
    source = tmp_path / f"wegweiser-{language}.html"
    source.write_text(page, encoding="utf-8")
    shot = tmp_path / f"wegweiser-{language}.png"
    window = A4_CONTENT_PX + 2 * SCREEN_MARGIN_PX
    chromium(
        tmp_path / "profile",
        f"--screenshot={shot}",
        f"--window-size={window},3000",
        "--hide-scrollbars",
        "--virtual-time-budget=10000",
        source.as_uri(),
    )
    with Image.open(shot) as image:
        pixels = image.convert("L")
        assert pixels.size == (window, 3000)
        # The body: 182 mm of content plus 4 mm of padding on each side, centred.
        column = A4_CONTENT_PX + 2 * round(4 * 96 / 25.4)
        left = (window - column) // 2
        right = left + column
        outside = [
            pixels.crop(box).getextrema()
            for box in ((0, 0, left - 2, 3000), (right + 2, 0, window, 3000))
        ]
        inside = pixels.crop((left, 0, right, 3000)).getextrema()
    assert outside == [(255, 255), (255, 255)]  # blank: nothing ran out of the page
    assert inside[0] < 100  # and the page itself was drawn (dark text)
