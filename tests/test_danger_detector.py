"""The danger stage alone: how words, phrases, stems, inflections and typos combine into kinds.

These tests use a small knowledge file written here, so they pin the mechanics; what the shipped
knowledge recognises is measured by ``make eval`` on held-out messages and by its own examples
(``tests/test_danger_knowledge.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.search.danger.detector import NO_DANGER, DangerDetector
from bot.search.danger.knowledge import KnowledgeError, load
from bot.search.normalize import term

KNOWLEDGE = """
language: de
words:
  partner: [mann, freund, er]
  hit: [schlagen, prügel*]
  self: [mich, mir]
  die-direct: [selbstmord*, "will nicht mehr leben"]
  means: [tablette, pille]
  took: [nehmen, schlucken]
  help: [notfall]
kinds:
  violence:
    - [partner, hit, self]
  suicide:
    - [die-direct]
  poisoning:
    - [means, took]
  unspecified:
    - [help]
"""


@pytest.fixture
def detector(tmp_path: Path) -> DangerDetector:
    (tmp_path / "de.yaml").write_text(KNOWLEDGE, encoding="utf-8")
    # The tables hold matching forms (term()), as tables.py writes them.
    forms = {"geschlagen": "schlagen", "schlagt": "schlagen", "tabletten": "tablette",
             "genommen": "nehmen", "geschluckt": "schlucken"}  # fmt: skip
    table = {"de": {term(k): term(v) for k, v in forms.items()}}
    (tmp_path / "forms.json").write_text(json.dumps(table), encoding="utf-8")
    (tmp_path / "protected.json").write_text(json.dumps([term("tablett")]), encoding="utf-8")
    return DangerDetector(load(tmp_path))


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("mein Mann schlägt mich", ("violence",)),
        ("er hat mich gestern geschlagen", ("violence",)),  # inflection from the forms table
        ("mein freund verprügelt mich", ()),  # a stem matches the word's start, not its middle
        ("mein freund prügelt mich", ("violence",)),
        ("ich will echt nicht mehr leben", ("suicide",)),  # a phrase with a word inside
        ("Selbstmordgedanken seit Wochen", ("suicide",)),  # a stem
        ("habe 20 Tabletten genommen", ("poisoning",)),
        ("habe 20 tablettn genommen", ("poisoning",)),  # one typo in a long word
        ("NOTFALL", ("unspecified",)),
        ("notfall, habe tabletten geschluckt", ("poisoning",)),  # a kind wins over a bare cry
        ("wo bekomme ich essen", ()),
        ("", ()),
    ],
)
def test_kinds(detector: DangerDetector, text: str, kinds: tuple[str, ...]) -> None:
    assert detector.read(text).kinds == kinds


def test_the_alarm_emoji_are_a_cry_alone_and_ask_for_help_with_a_need() -> None:
    from bot.search.danger.knowledge import shipped

    detector = DangerDetector(shipped())
    assert detector.read("🆘🆘🆘").kinds == ("unspecified",)
    assert detector.read("🆘 😭🙏").kinds == ("unspecified",)
    assert detector.read("🚨🚨🚨").kinds == ("unspecified",)
    assert detector.read("🚨 schnell bitte").kinds == ("unspecified",)
    assert detector.read("🆘 brauche essen für heute") == NO_DANGER
    assert detector.read("🚨 brauche essen für heute") == NO_DANGER
    assert detector.read("Essen heute? 😋🍲") == NO_DANGER


def test_groups_far_apart_do_not_join(detector: DangerDetector) -> None:
    far = "mein mann " + "und dann war da noch etwas anderes " * 3 + "schlagen mich"
    assert detector.read(far) == NO_DANGER


def test_a_common_word_is_never_read_as_a_crisis_word(detector: DangerDetector) -> None:
    # "Tablett" (a tray) is protected, as the table marks common words: never read as "Tablette"
    assert detector.read("das tablett genommen").kinds == ()
    assert detector.read("tablatte genommen").kinds == ("poisoning",)  # a rare typo is forgiven


def test_a_rule_naming_an_unknown_group_is_refused(tmp_path: Path) -> None:
    (tmp_path / "de.yaml").write_text(
        "language: de\nwords: {a: [x]}\nkinds: {suicide: [[a, b]]}\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeError, match="unknown groups"):
        load(tmp_path)


def test_local_words_of_a_catalogue_add_to_the_knowledge(tmp_path: Path) -> None:
    (tmp_path / "de.yaml").write_text(KNOWLEDGE, encoding="utf-8")
    knowledge = load(tmp_path).with_local_words({"de": ["Frauennotruf Musterstadt"]})
    assert DangerDetector(knowledge).read("frauennotruf musterstadt bitte").kinds == (
        "unspecified",
    )


def test_local_phrases_stand_in_a_row_and_forgive_one_slip(tmp_path: Path) -> None:
    """No table guards a city's words against common words nearby: two slips make "کمکم
    میکنه" (helps me) "کتکم میزنه" (beats me), a gap makes a plan for a diploma a wish to die."""
    (tmp_path / "de.yaml").write_text(KNOWLEDGE, encoding="utf-8")
    knowledge = load(tmp_path).with_local_words({"de": ["gewalt", "werde geschlagen"]})
    detector = DangerDetector(knowledge)
    assert detector.read("das ist gewalt").found
    assert detector.read("das ist gewlt").found  # one slip in a word
    assert detector.read("ich werde geschlagen").found
    assert detector.read("ich werde geschlagn").found  # one slip in a phrase
    assert not detector.read("die werte geschlagn").found  # two
    assert not detector.read("ich werde morgen geschlagen").found  # not in a row


ENGLISH = """
language: en
words:
  overdose: ["too many pills"]
  wish: ["wanna die"]
kinds:
  poisoning:
    - [overdose]
  suicide:
    - [wish]
"""


@pytest.fixture
def english(tmp_path: Path) -> DangerDetector:
    (tmp_path / "en.yaml").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "protected.json").write_text(json.dumps([term("bills")]), encoding="utf-8")
    return DangerDetector(load(tmp_path))


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("i took too many pils", ("poisoning",)),
        ("i took too many pillz", ("poisoning",)),  # a rare slip inside a phrase is forgiven
        ("i need help with my debts, too many bills", ()),  # a common word, another first letter
        ("i wan die", ("suicide",)),  # a common small word, the phrase unbroken
        ("i wanna so much die", ("suicide",)),  # words inside a phrase, no slip
        ("wann ist die tafel offen", ()),  # a common small word read as another needs no gap
    ],
)
def test_a_phrase_forgives_plausible_slips_only(
    english: DangerDetector, text: str, kinds: tuple[str, ...]
) -> None:
    assert english.read(text).kinds == kinds


CRIES_AND_THREATS = """
language: de
words:
  cry: [hilfe, "helft mir"]
  plea: [jemand, bitte, angst]
  wish: ["mich umbringen"]
  threat: ["drohen mich umzubringen"]
kinds:
  unspecified:
    - [cry]
  suicide:
    - [wish]
  stalking:
    - [threat]
"""


@pytest.fixture
def cries(tmp_path: Path) -> DangerDetector:
    (tmp_path / "de.yaml").write_text(CRIES_AND_THREATS, encoding="utf-8")
    table = {"de": {term("umzubringen"): term("umbringen"), term("droht"): term("drohen")}}
    (tmp_path / "forms.json").write_text(json.dumps(table), encoding="utf-8")
    return DangerDetector(load(tmp_path))


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("hilfe", ("unspecified",)),
        ("helft mir bitte jemand, ich hab angst", ("unspecified",)),  # pleas go with a cry
        ("hilfe beim antrag", ()),  # help *with* something is a search
        ("ich will mich umbringen", ("suicide",)),
        ("er droht mich umzubringen", ("stalking",)),  # the wish inside a threat is the threat
    ],
)
def test_cries_and_phrases_inside_phrases(
    cries: DangerDetector, text: str, kinds: tuple[str, ...]
) -> None:
    assert cries.read(text).kinds == kinds


def test_a_catalogues_local_words_never_swallow_a_kind(tmp_path: Path) -> None:
    (tmp_path / "de.yaml").write_text(CRIES_AND_THREATS, encoding="utf-8")
    table = {"de": {term("umzubringen"): term("umbringen"), term("droht"): term("drohen")}}
    (tmp_path / "forms.json").write_text(json.dumps(table), encoding="utf-8")
    knowledge = load(tmp_path).with_local_words({"de": ["er droht mich umzubringen"]})
    # the catalogue's phrase is longer than the shipped threat, and a cry without a kind
    assert DangerDetector(knowledge).read("er droht mich umzubringen").kinds == ("stalking",)


FIGURES = """
language: de
words:
  wish: ["bringt mich um", "will sterben"]
  topic: ["häusliche gewalt"]
  partner: [mann, er]
  hit: [schlagen]
  self: [mich]
  thing: [hitze, warten, schlange]
  homework: [referat, film]
kinds:
  suicide:
    - [wish]
  violence:
    - [topic]
    - [partner, hit, self]
figures:
  - [thing, wish]
  - [homework, topic]
"""


@pytest.fixture
def figures(tmp_path: Path) -> DangerDetector:
    (tmp_path / "de.yaml").write_text(FIGURES, encoding="utf-8")
    table = {"de": {term("schlagt"): term("schlagen")}}
    (tmp_path / "forms.json").write_text(json.dumps(table), encoding="utf-8")
    return DangerDetector(load(tmp_path))


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("die hitze bringt mich um", ()),
        ("das warten beim jobcenter bringt mich noch um", ()),  # two words between
        ("das warten ist lang und hier im amt ist es so laut, das bringt mich um", ("suicide",)),
        ("bringt mich um die hitze", ("suicide",)),  # the parts in another order: no figure
        ("die hitze bringt mich um und ich will sterben", ("suicide",)),  # danger outside
        ("ich muss ein referat über häusliche gewalt halten", ()),
        ("häusliche gewalt bei uns, er schlägt mich", ("violence",)),
        ("referat über häusliche gewalt, und er schlägt mich", ("violence",)),
        ("die hutze bringt mich um", ("suicide",)),  # a typo never makes a figure
        ("die hitze hier bringt mich um", ()),  # a word between two parts, not inside one
    ],
)
def test_figures_of_speech_cancel_only_their_own_words(
    figures: DangerDetector, text: str, kinds: tuple[str, ...]
) -> None:
    assert figures.read(text).kinds == kinds


def test_a_figure_naming_an_unknown_group_is_refused(tmp_path: Path) -> None:
    (tmp_path / "de.yaml").write_text(
        "language: de\nwords: {a: [x]}\nkinds: {suicide: [[a]]}\nfigures: [[a, b]]\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError, match="unknown groups"):
        load(tmp_path)


def test_the_protected_table_knows_latin_spellings_of_cyrillic_words() -> None:
    from bot.search.danger.tables import _latin_spellings

    assert _latin_spellings(term("куда")) == ["kuda"]
    assert _latin_spellings(term("уход")) == ["uhod", "ukhod"]
    assert _latin_spellings(term("помощь")) == ["pomoshch"]
    assert _latin_spellings("kuda") == []


def test_a_word_the_knowledge_lists_is_read_as_itself_not_as_a_typo(tmp_path: Path) -> None:
    """Drinking is not hitting: a word listed in any group (here ``itself``, which no rule names)
    is never "corrected" into a danger word one letter away, though an unlisted slip still is."""
    (tmp_path / "ru.yaml").write_text(
        "language: ru\nwords:\n  partner: [muzh]\n  hit: [byot]\n  itself: [pyot]\n"
        "kinds:\n  violence:\n    - [partner, hit]\n",
        encoding="utf-8",
    )
    detector = DangerDetector(load(tmp_path))
    assert detector.read("muzh pyot kazhdyj den").kinds == ()
    assert detector.read("muzh byot kazhdyj den").kinds == ("violence",)
    assert detector.read("muzh bjot kazhdyj den").kinds == ("violence",)  # a slip of "byot"


def test_a_two_word_phrase_misspelt_twice_must_stand_together(tmp_path: Path) -> None:
    """ "مافي امل" (no hope) inside "مش مكفي الإيجار والأكل" (doesn't cover rent and food): both
    words one letter off and a word between them is another sentence, not the phrase. Two slips
    in a row are still forgiven ("badde mout" for "badi mot"), as is one slip with a gap."""
    (tmp_path / "ar.yaml").write_text(
        'language: ar\nwords:\n  hopeless: ["مافي امل"]\n  wish: ["badi mot"]\n'
        "kinds:\n  suicide:\n    - [hopeless]\n    - [wish]\n",
        encoding="utf-8",
    )
    detector = DangerDetector(load(tmp_path))
    assert detector.read("مش مكفي الإيجار والأكل").kinds == ()
    assert detector.read("مكفي امل").kinds == ("suicide",)  # two words, one slip, no gap
    assert detector.read("مافي والله امل").kinds == ("suicide",)  # exact words, a gap
    assert detector.read("مافي والله اكل").kinds == ("suicide",)  # one slip, a gap
    assert detector.read("badde mout").kinds == ("suicide",)


UKRAINIAN = """
language: uk
words:
  child: [донька, дочка, син]
  lost: [загубилася, зникла]
  hit: [лупить]
kinds:
  missing-child:
    - [child, lost]
  violence-other:
    - [child, hit]
"""


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("донька загубилася в Kaufland", ("missing-child",)),
        ("donka zagubylasia v Kaufland", ("missing-child",)),  # the plain scheme
        ("don'ka zahubylas v Kaufland", ("missing-child",)),  # h for г, an ending dropped
        ("dochka znykla", ("missing-child",)),
        ("syn lupyt", ("violence-other",)),
        # "kupit" (купить, to buy) is an everyday word: never a misspelt "lupit"
        ("syn khoche novi krosivky, kupit nado", ()),
        ("bitte hilfe, meine tochter", ()),  # German words spell nothing of the phrases
    ],
)
def test_a_cyrillic_phrase_is_known_in_latin_letters(
    tmp_path: Path, text: str, kinds: tuple[str, ...]
) -> None:
    (tmp_path / "uk.yaml").write_text(UKRAINIAN, encoding="utf-8")
    assert DangerDetector(load(tmp_path)).read(text).kinds == kinds


def test_a_silent_cry_is_never_help_with_something(tmp_path: Path) -> None:
    """Someone who cannot speak because the person they fear would hear: whatever else the
    message says is the situation ("mein Mann ist im Wohnzimmer"), while a bare cry beside
    another word still asks for help with it ("hilfe beim antrag")."""
    (tmp_path / "de.yaml").write_text(
        "language: de\nwords:\n  cry: [hilfe]\n"
        '  silent-cant-talk: ["kann nicht reden"]\n  silent-hears: ["er hört alles"]\n'
        "kinds:\n  unspecified:\n    - [cry]\n    - [silent-cant-talk, silent-hears]\n"
        "    - [cry, silent-cant-talk]\n",
        encoding="utf-8",
    )
    detector = DangerDetector(load(tmp_path))
    assert detector.read("kann nicht reden, er hört alles, mein Mann ist im Wohnzimmer").found
    assert detector.read("hilfe, ich kann nicht reden, wir sind im Wohnzimmer").found
    assert not detector.read("hilfe beim antrag").found
    assert not detector.read("ich kann nicht reden, ich bin zu schüchtern").found
