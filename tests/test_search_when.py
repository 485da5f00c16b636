"""The time-word stage alone: "open now", "today", "tonight", "on Sunday" in every shipped
language (with Latin letters and without umlauts too), and the words it leaves to the search."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.catalogue.validation import load_catalogue
from bot.search.index import SearchIndex
from bot.search.normalize import tokens
from bot.search.when import DATA, LANGUAGES, Asked, Moment, TimeWords, shipped

NOW, TODAY, TONIGHT = Asked(Moment.NOW), Asked(Moment.TODAY), Asked(Moment.TONIGHT)
SUNDAY, MONDAY, FRIDAY, SATURDAY = (Asked(Moment.DAY, d) for d in (6, 0, 4, 5))

CASES = [
    # (language, message, time asked, the words left for the search; "tonight" stays a need:
    # night shelters are found by it)
    ("de", "was hat jetzt offen", NOW, ["was", "hat"]),
    ("de", "wer hat gerade geöffnet", NOW, ["wer", "hat"]),
    ("de", "wer hat geoeffnet", NOW, ["wer", "hat"]),
    ("de", "essen heute", TODAY, ["essen"]),
    (
        "de",
        "wo kann ich heute abend essen",
        TONIGHT,
        ["wo", "kann", "ich", "heute", "abend", "essen"],
    ),
    ("de", "schlafen heute nacht", TONIGHT, ["schlafen", "heute", "nacht"]),
    ("de", "Essen am Sonntag", SUNDAY, ["essen", "am"]),
    ("de", "montags beratung", MONDAY, ["beratung"]),
    ("en", "what is open now", NOW, ["what", "is"]),
    ("en", "food tonight", TONIGHT, ["food", "tonight"]),
    ("en", "doctor on sunday", SUNDAY, ["doctor", "on"]),
    ("en", "anything open today", TODAY, ["anything"]),
    ("tr", "şimdi ne açık", NOW, ["ne"]),
    ("tr", "simdi acik yer", NOW, ["yer"]),
    ("tr", "bugün yemek", TODAY, ["yemek"]),
    ("tr", "bu gece nerede uyurum", TONIGHT, ["bu", "gece", "nerede", "uyurum"]),
    ("tr", "pazar günü yemek", SUNDAY, ["yemek"]),
    ("tr", "cuma", FRIDAY, []),
    ("ar", "ما المفتوح الآن", NOW, ["ما"]),
    ("ar", "اين اكل الليلة", TONIGHT, ["اين", "اكل", "الليلة"]),
    ("ar", "طبيب يوم الأحد", SUNDAY, ["طبيب"]),
    ("ar", "اليوم طعام", TODAY, ["طعام"]),
    ("fa", "الان چه جایی باز است", NOW, ["چه", "جایی"]),
    ("fa", "امشب کجا بخوابم", TONIGHT, ["امشب", "كجا", "بخوابم"]),
    ("fa", "دکتر یکشنبه", SUNDAY, ["دكتر"]),
    ("fa", "emshab ghaza", TONIGHT, ["emshab", "ghaza"]),
    ("ru", "что открыто сейчас", NOW, ["что"]),
    ("ru", "где поесть сегодня вечером", TONIGHT, ["где", "поесть", "сегодня", "вечером"]),
    ("ru", "врач в воскресенье", SUNDAY, ["врач", "в"]),
    ("ru", "seichas otkryto", NOW, []),
    ("ru", "в субботу", SATURDAY, ["в"]),
    ("uk", "що зараз відчинено", NOW, ["що"]),
    ("uk", "їжа сьогодні", TODAY, ["ижа"]),
    ("uk", "де спати сьогодні вночі", TONIGHT, ["де", "спати", "сьогодні", "вночі"]),
    ("uk", "лікар у неділю", SUNDAY, ["ликар", "у"]),
    ("uk", "zaraz vidkryto", NOW, []),
]


@pytest.mark.parametrize(("language", "text", "asked", "left"), CASES)
def test_time_words_are_read_and_taken_out_of_the_need(
    language: str, text: str, asked: Asked, left: list[str]
) -> None:
    words = tokens(text)
    found, used = shipped().read(words)
    assert found == asked, (language, text)
    expected = [t.surface for t in tokens(" ".join(left))]  # as the search normalises them
    assert [w.surface for i, w in enumerate(words) if i not in used] == expected


@pytest.mark.parametrize(
    "text",
    [
        "offene Sprechstunde",  # "offene" is a need, "offen" alone is not
        "hab hunger",
        "Schlafplatz für die Nacht",  # "Nacht" alone is a need, not "tonight"
        "هل يوجد أحد يساعدني",  # "أحد" is "anyone", "الأحد" is Sunday
    ],
)
def test_messages_without_a_time_ask_none(text: str) -> None:
    assert shipped().read(tokens(text)) == (None, set())


def test_every_shipped_language_has_every_kind_of_time_word() -> None:
    knowledge = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert set(knowledge) == set(LANGUAGES)
    for language, groups in knowledge.items():
        for group in ("now", "today", "tonight", "open"):
            assert groups[group], (language, group)
        assert len(groups["days"]) == 7 and all(groups["days"]), language


def test_a_malformed_week_is_refused() -> None:
    with pytest.raises(ValueError, match="seven"):
        TimeWords({"de": {"now": ["jetzt"], "days": [["montag"]]}})


@pytest.mark.parametrize("asked", [NOW, TODAY, TONIGHT, SUNDAY, MONDAY])
def test_a_button_code_names_the_same_time(asked: Asked) -> None:
    assert Asked.parse(asked.code) == asked


@pytest.mark.parametrize("code", ["", "d7", "later", "d", "dx"])
def test_an_unknown_button_code_names_no_time(code: str) -> None:
    assert Asked.parse(code) is None


def test_jetzt_offen_no_longer_finds_the_open_consultation_hour() -> None:
    """The bug report: "was hat jetzt offen?" found an addiction office by its "offene
    Sprechstunde". Without a clock the index has no time to filter by: nothing is found."""
    catalogue = load_catalogue(Path(__file__).resolve().parent.parent / "services.yaml").catalogue
    index = SearchIndex.build(catalogue)
    outcome = index.search("was hat jetzt offen?", language="de")
    assert outcome.asked == NOW
    assert outcome.results == ()
    assert index.search("offene Sprechstunde", language="de").results, "still a need alone"
