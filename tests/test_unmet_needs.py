"""Needs no social service answers, by class, in all seven languages (issue 16, "nothing fits").

A driving licence, a car, a home to buy, a restaurant or a shop of one's cuisine, a gym, a
mosque, a holiday visa, money sent home, an ill pet, a hairdresser's salon, "the best X": the
honest answer is "nothing fits", not the service that shares a side word with the message.
A person beside such a need ("for the children") changes nothing; a reason does ("no money":
a social pass makes the pool cheaper), and so does a need the product knows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.validation import load_catalogue
from bot.search.index import SearchIndex

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(load_catalogue(ROOT / "services.yaml").catalogue)


def _ids(index: SearchIndex, text: str, language: str) -> list[str]:
    return [m.service.id for m in index.search(text, language=language).results]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # a driving licence
        ("wo kann ich meinen Führerschein umschreiben", "de"),
        ("where do I exchange my driving licence", "en"),
        ("ehliyetimi nerede değiştirebilirim", "tr"),
        ("где поменять водительское удостоверение", "ru"),
        ("де обміняти посвідчення водія", "uk"),
        ("وين بقدر بدل رخصة القيادة", "ar"),
        ("گواهینامه رانندگی را کجا عوض کنم", "fa"),
        # a car or a home to buy
        ("suche einen gebrauchtwagen unter 2000 euro", "de"),
        ("where can I buy a used car cheap", "en"),
        ("ikinci el araba almak istiyorum", "tr"),
        ("хочу купить квартиру в центре", "ru"),
        ("хочу купити машину недорого", "uk"),
        ("بدي اشتري سيارة مستعملة", "ar"),
        ("خرید خانه در مرکز شهر", "fa"),
        # a restaurant, a shop of one's cuisine
        ("welches restaurant hat sonntags offen", "de"),
        ("any good pizza place around here", "en"),
        ("lahmacun nerede yenir", "tr"),
        ("где купить русские продукты", "ru"),
        ("де купити український хліб", "uk"),
        ("وين في مطعم شاورما منيح", "ar"),
        ("رستوران ایرانی کجاست", "fa"),
        # gym, prayer, a holiday visa, money sent home, an ill pet, a salon, "the best"
        ("fitnessstudio mit sauna gesucht", "de"),
        ("how do I get a tourist visa for my holiday", "en"),
        ("cuma namazı için cami nerede", "tr"),
        ("как сделать денежный перевод домой", "ru"),
        ("мій кіт захворів, що робити", "uk"),
        ("وين في صالون حلاقة", "ar"),
        ("بهترین آرایشگاه زنانه کجاست", "fa"),
    ],
)
def test_a_need_no_social_service_answers_is_nothing_fits(
    index: SearchIndex, text: str, language: str
) -> None:
    assert _ids(index, text, language) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("die beste eisbahn für kinder", "de"),
        ("лучший ресторан для детей", "ru"),
    ],
)
def test_a_person_beside_an_unmet_need_is_still_nothing_fits(
    index: SearchIndex, text: str, language: str
) -> None:
    assert _ids(index, text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # a reason: a social pass makes leisure cheaper
        ("billiger ins schwimmbad", "de", "hannoveraktivpass"),
        # a need the product knows beside an unmet one
        (
            "kein geld für den führerschein und ich bin obdachlos",
            "de",
            "zbs-beratungsstelle-wohnungslose",
        ),
        (
            "I am homeless, where is the best place to sleep tonight",
            "en",
            "stadt-hannover-unterbringung",
        ),
        # "berber" is German street slang for a homeless person, not a barber
        ("bin berber, wo kann ich duschen", "de", "duek-tagestreff"),
    ],
)
def test_a_reason_or_a_known_need_beside_an_unmet_one_still_answers(
    index: SearchIndex, text: str, language: str, expected: str
) -> None:
    assert expected in _ids(index, text, language)
