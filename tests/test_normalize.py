"""Text normalisation: each rule, as the index and the queries both see it."""

from __future__ import annotations

import pytest

from bot.search.compounds import split_compound
from bot.search.normalize import (
    MAX_INPUT_CHARS,
    MAX_LOG_FORM_CHARS,
    clean,
    is_filler,
    is_modifier,
    log_form,
    term,
    terms,
    tokens,
    typo_allowance,
)
from bot.search.transliteration import cyrillic_to_latin, transliteration_key

# (rule, two spellings that must meet)
SAME_TERMS = [
    ("case folding", "TAFEL", "tafel"),
    ("umlaut vs ae", "Schlägt", "Schlaegt"),
    ("umlaut vs plain vowel", "Übernachtung", "Ubernachtung"),
    ("oe", "Möbel", "Moebel"),
    ("ß vs ss", "Straße", "Strasse"),
    ("ß vs s", "Straße", "Strase"),
    ("doubled letter", "Kleiderkammer", "Kleiderkamer"),
    ("French accent", "Café", "Cafe"),
    ("Turkish dotted capital I", "İSTANBUL", "istanbul"),
    ("Turkish dotless i", "kadın", "kadin"),
    ("Turkish s cedilla, g breve", "sığınma", "siginma"),
    ("Arabic harakat", "مُسَاعَدَة", "مساعدة"),
    ("Arabic tatweel", "محامـــي", "محامي"),
    ("alef with hamza above", "أكل", "اكل"),
    ("alef with hamza below", "إقامة", "اقامة"),
    ("alef madda", "آمن", "امن"),
    ("alef maksura", "مستشفى", "مستشفي"),
    ("ta marbuta", "مساعدة", "مساعده"),
    ("waw with hamza", "مؤسسة", "موسسة"),
    ("yeh with hamza", "رئيس", "ريس"),
    ("Arabic article", "الطعام", "طعام"),
    ("Arabic article with wa", "والطعام", "طعام"),
    ("Persian yeh vs Arabic yeh", "بدهی", "بدهي"),
    ("Persian keheh vs Arabic kaf", "کمک", "كمك"),
    ("heh with hamza", "خانۀ", "خانه"),
    ("Persian ZWNJ", "می\u200cخواهم", "میخواهم"),
    ("Cyrillic yo", "ещё", "еще"),
    ("Ukrainian i vs Russian i", "лікар", "ликар"),
    ("Russian yery vs Ukrainian y", "бесплатный", "бесплатнии"),
    ("Ukrainian yi", "їжа", "іжа"),
    ("Ukrainian ye vs e", "є", "е"),
    ("Ukrainian ghe with upturn", "ґанок", "ганок"),
    ("Russian e with diaeresis vs e", "жильё", "жилье"),
    ("soft sign", "помощь", "помощ"),
    ("apostrophe inside Cyrillic", "сім'я", "сімя"),
    ("typographic apostrophe inside Cyrillic", "б’є", "бє"),
]


@pytest.mark.parametrize(("rule", "one", "other"), SAME_TERMS, ids=[c[0] for c in SAME_TERMS])
def test_spellings_meet(rule: str, one: str, other: str) -> None:
    assert terms(one) == terms(other)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("١٢٣ ٤٥", ["123", "45"]),  # Arabic-Indic digits
        ("۱۲۳", ["123"]),  # Persian digits
        ("Linden-Nord", ["linden", "nord"]),
        ("Linden'de", ["linden", "de"]),  # Turkish suffix after a name
        ("women's shelter", ["women", "s", "shelter"]),
        ("wie geht's?", ["wie", "geht", "s"]),
        ("\u202bمرحبا\u202c", ["مرحبا"]),  # bidi controls vanish
        ("tafel\u0000\u0007linden", ["tafel", "linden"]),  # control characters separate
        ("🍞 essen 🙏", ["esen"]),
        ("Ｔａｆｅｌ", ["tafel"]),  # full-width letters
    ],
)
def test_tokenisation(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_surface_keeps_what_the_person_wrote_readable() -> None:
    (token,) = tokens("Kleiderkammer")
    assert (token.surface, token.term) == ("kleiderkammer", "kleiderkamer")


def test_join_apostrophes_keeps_english_contractions_whole() -> None:
    assert [t.term for t in tokens("don't", join_apostrophes=True)] == ["dont"]
    assert [t.term for t in tokens("don't")] == ["don", "t"]


def test_long_input_is_cut_not_refused() -> None:
    assert len(clean("a" * (MAX_INPUT_CHARS + 500))) == MAX_INPUT_CHARS


def test_long_words_are_cut_to_the_term_limit() -> None:
    assert len(term("x" + "ab" * 100)) == 32


# Filler: stop words of every shipped language, lone letters, numbers.
@pytest.mark.parametrize(
    "word",
    [
        "ich", "brauche", "wo", "kann", "gibt", "möchte", "moechte",
        "i", "need", "where", "can",
        "мені", "потрібна", "де", "можна",
        "мне", "нужна", "где",
        "أريد", "بدي", "وين",
        "lazım", "nerede", "istiyorum",
        "می‌خواهم", "میخوام", "کجا",
        "x", "112",
    ],
)  # fmt: skip
def test_filler(word: str) -> None:
    (word_term,) = terms(word)
    assert is_filler(word_term)


@pytest.mark.parametrize(
    "word", ["essen", "tafel", "schulden", "sucht", "nacht", "їжа", "محامي", "yemek", "بدهی"]
)
def test_need_words_are_not_filler(word: str) -> None:
    (word_term,) = terms(word)
    assert not is_filler(word_term)


@pytest.mark.parametrize("word", ["kostenlos", "ohne", "free", "без", "بدون", "ücretsiz", "رایگان"])
def test_modifiers(word: str) -> None:
    (word_term,) = terms(word)
    assert is_modifier(word_term) and not is_filler(word_term)


def test_the_city_name_can_be_extra_filler() -> None:
    assert is_filler("hanover", extra={"hanover"})


def test_log_form_drops_filler_and_numbers_and_is_short() -> None:
    assert log_form(tokens("Ich brauche Hilfe, Tel. 0176 1234567")) == "hilfe tel"
    long = log_form(tokens("schuldnerberatung " * 100))
    assert len(long) <= MAX_LOG_FORM_CHARS and long.endswith("schuldnerberatung")


KNOWN = {"lebensmittel", "ausgabe", "beratung", "schulden", "hilfe", "angebot", "frau", "haus"}


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("lebensmittelausgabe", ("lebensmittel", "ausgabe")),
        ("schuldnerberatung", ("schuldner", "beratung")),  # one known part is enough
        ("schuldenberatung", ("schulden", "beratung")),
        ("hilfsangebot", ("hilfe", "angebot")),  # Fugen-s, and "hilf" is "hilfe"
        ("frauenhaus", ("frau", "haus")),  # Fugen-en
        ("tafel", None),  # too short to be a compound
        ("xyzxyzxyzxyz", None),  # no known part
        ("бездомний", None),  # only Latin words are split
    ],
)
def test_split_compound(word: str, parts: tuple[str, str] | None) -> None:
    assert split_compound(word, KNOWN) == parts


@pytest.mark.parametrize(
    ("cyrillic", "latin_spellings"),
    [
        ("помощь", ["pomosh", "pomoshch", "pomosch", "pomoshh"]),
        ("квартира", ["kvartira", "kvartyra"]),
        ("їжа", ["yizha", "izha"]),
        ("допомога", ["dopomoga", "dopomoha"]),
        ("юрист", ["yurist", "jurist", "iurist"]),
        ("семья", ["semya", "semja", "semia"]),
        ("бесплатный", ["besplatny", "besplatnyj", "besplatnyi"]),
        ("хлеб", ["khleb", "hleb", "xleb"]),
    ],
)
def test_transliteration_meets_common_latin_spellings(
    cyrillic: str, latin_spellings: list[str]
) -> None:
    (cyrillic_term,) = terms(cyrillic)
    key = transliteration_key(cyrillic_to_latin(cyrillic_term))
    assert {transliteration_key(s) for s in latin_spellings} == {key}


@pytest.mark.parametrize(("length", "typos"), [(1, 0), (3, 0), (4, 1), (7, 1), (8, 2), (20, 2)])
def test_typo_allowance_grows_with_length(length: int, typos: int) -> None:
    assert typo_allowance(length) == typos
