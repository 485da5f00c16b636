"""Every city's sets in one table, with and without keywords; and a ratchet on the held-out sets.

The floors are the levels reached (rounded down a little for ties in ranking): raise them when
the search improves, never lower them to let a change through.
"""

from __future__ import annotations

import pytest

from bot.search.scoreboard import CITIES, Row, format_table, rows, without_keywords

FLOORS = {
    # The uk ar fa class of 7 December, late (everyday trades and purchases are unmet needs)
    # raised the floors of the sets whose messages it read (uk ar fa sets and the uk ar fa
    # lines of the "all" rounds) to the level reached minus 0.01.
    # (city, set, keywords): (top-1, top-3, nothing on none): the levels of 7 December 2026
    # after the precision steps of issue 16 (one everyday word or place is no answer, side words
    # beside a need, ties, addresses as places), rounded down half a point for ties in ranking.
    ("Hannover", "tuned", True): (0.95, 0.98, 0.97),
    ("Hannover", "tuned", False): (0.84, 0.94, 0.99),
    ("Hannover", "held-out de en tr ru", True): (0.72, 0.87, 0.89),
    ("Hannover", "held-out de en tr ru", False): (0.62, 0.80, 0.94),
    ("Hannover", "held-out uk ar fa", True): (0.62, 0.84, 0.92),
    ("Hannover", "held-out uk ar fa", False): (0.59, 0.80, 0.99),
    # Round 2, written by an outside writer after the needs stage (first measure: 0.83 / 0.51,
    # 0.76 / 0.71 without keywords); read for its failing classes since.
    ("Hannover", "held-out round 2", True): (0.74, 0.89, 0.96),
    ("Hannover", "held-out round 2", False): (0.69, 0.84, 0.96),
    # Round 3 (Hannover) and round 2 (Wolfsburg), written blind after the needs links, before
    # the precision steps: first measure 0.65 / 0.81 / 0.42 and 0.58 / 0.79 / 0.78 (Hannover de
    # en tr ru and uk ar fa as shipped), 0.53 / 0.67 / 0.72 (Wolfsburg); after them (their
    # blind measure) 0.64 / 0.80 / 0.75, 0.60 / 0.81 / 0.83 and 0.58 / 0.71 / 0.78.
    # Raised after the late-evening classes (needs that give way, topics that may answer,
    # one-word phrases despite folding, word families; Wolfsburg round 2 and Hannover round 3
    # read for them, so their figures are no longer blind): the levels reached minus 0.01.
    # "Nothing fits" here: 0.833 on the places branch alone, 0.79 on main, where the crisis
    # reader (which learned of a child lost at a Christmas market) takes "wann macht der
    # weihnachtsmarkt am kröpcke auf" for danger; harmless examples of those places raised the
    # reader's threshold and cost blind recall, so they were not kept. The floor stays at 0.78.
    ("Hannover", "held-out round 3 de en tr ru", True): (0.71, 0.87, 0.90),
    ("Hannover", "held-out round 3 de en tr ru", False): (0.66, 0.83, 0.90),
    ("Hannover", "held-out round 3 uk ar fa", True): (0.67, 0.89, 0.99),
    ("Hannover", "held-out round 3 uk ar fa", False): (0.62, 0.80, 0.99),
    ("Wolfsburg", "held-out round 2", True): (0.73, 0.87, 0.82),
    ("Wolfsburg", "held-out round 2", False): (0.73, 0.87, 0.82),
    ("Wolfsburg", "held-out", True): (0.75, 0.83, 0.99),
    ("Wolfsburg", "held-out", False): (0.75, 0.83, 0.99),
    ("Neunkirchen", "held-out", True): (0.80, 0.92, 0.99),
    ("Neunkirchen", "held-out", False): (0.80, 0.92, 0.99),
    # Round 4 (Hannover) and round 2 (Neunkirchen), written blind after the precision steps,
    # before any further change: first measure 0.59 / 0.80 / 0.75 (0.58 / 0.74 / 0.86 without
    # keywords) and 0.71 / 0.91 / 0.79; after the evening's classes of needs and the catalogues'
    # generic crisis words removed (their blind measure) 0.63 / 0.86 / 0.79 (0.62 / 0.82 /
    # 0.96) and 0.78 / 0.96 / 0.82.
    ("Hannover", "held-out round 4", True): (0.67, 0.89, 0.99),
    ("Hannover", "held-out round 4", False): (0.64, 0.83, 0.99),
    ("Neunkirchen", "held-out round 2", True): (0.80, 0.95, 0.95),
    ("Neunkirchen", "held-out round 2", False): (0.80, 0.95, 0.95),
    # Round 5 (Hannover) and round 3 (Wolfsburg), written blind after all of that, before any
    # further change (their first measure, as shipped / without keywords): Hannover de en tr ru
    # 0.72 / 0.84 / 0.75 (0.60 / 0.83 / 0.88), uk ar fa 0.67 / 0.82 / 0.67 (0.61 / 0.77 / 0.75);
    # Wolfsburg de en tr ru 0.68 / 0.80 / 0.70, uk ar fa 0.62 / 0.75 / 0.72. After the late
    # evening's classes (places by sound, a place alone, needs no service answers, care,
    # addiction, hunger; read from Hannover round 4 and Neunkirchen round 2), their blind
    # measure: 0.76 / 0.88 / 0.88 (0.63 / 0.84 / 0.88), 0.67 / 0.82 / 0.67 (0.61 / 0.79 /
    # 0.75); Wolfsburg 0.69 / 0.82 / 0.70 and 0.64 / 0.77 / 0.78. All floors: the level
    # reached minus 0.01.
    ("Hannover", "held-out round 5 de en tr ru", True): (0.76, 0.88, 0.92),
    ("Hannover", "held-out round 5 de en tr ru", False): (0.63, 0.83, 0.92),
    ("Hannover", "held-out round 5 uk ar fa", True): (0.66, 0.81, 0.90),
    ("Hannover", "held-out round 5 uk ar fa", False): (0.60, 0.77, 0.90),
    ("Wolfsburg", "held-out round 3 de en tr ru", True): (0.69, 0.82, 0.94),
    ("Wolfsburg", "held-out round 3 de en tr ru", False): (0.69, 0.82, 0.94),
    ("Wolfsburg", "held-out round 3 uk ar fa", True): (0.65, 0.76, 0.87),
    ("Wolfsburg", "held-out round 3 uk ar fa", False): (0.65, 0.76, 0.87),
    # Raised after the "nothing fits" classes of issue 16 (needs no social service answers:
    # licences, cars, homes to buy, restaurants, gyms, prayer, holiday visas, salons, "the best";
    # who a thing is for is no reason to answer) and Grundsicherung as the welfare office's
    # need, read from the sets above: the levels reached minus 0.01, none lowered.
    # Round 6 (Hannover) and round 3 (Neunkirchen), written blind after all of that, before any
    # further change; their first measure (as shipped / without keywords): Hannover de en tr ru
    # 0.73 / 0.89 / 0.75 (0.68 / 0.86 / 0.75), uk ar fa 0.62 / 0.88 / 0.50 (0.59 / 0.79 / 0.67);
    # Neunkirchen 0.67 / 0.87 / 0.75 (the same without keywords). After the night's classes
    # (needs no service answers, Grundsicherung, ru/uk in Latin letters; read from the sets
    # above), their blind measure: 0.74 / 0.90 / 0.88 (0.69 / 0.88 / 0.88), 0.62 / 0.88 / 0.67
    # (0.59 / 0.79 / 0.67) and Neunkirchen 0.69 / 0.88 / 0.86. Floors: minus 0.01.
    ("Hannover", "held-out round 6 de en tr ru", True): (0.73, 0.89, 0.86),
    ("Hannover", "held-out round 6 de en tr ru", False): (0.68, 0.86, 0.86),
    ("Hannover", "held-out round 6 uk ar fa", True): (0.61, 0.87, 0.65),
    ("Hannover", "held-out round 6 uk ar fa", False): (0.58, 0.78, 0.66),
    ("Neunkirchen", "held-out round 3", True): (0.67, 0.87, 0.84),
    ("Neunkirchen", "held-out round 3", False): (0.67, 0.87, 0.84),
}


@pytest.fixture(scope="module")
def table() -> list[Row]:
    return list(rows())


def test_every_city_and_set_runs_with_and_without_keywords(table: list[Row]) -> None:
    expected = {(c.name, s, k) for c in CITIES for s, _ in c.sets for k in (True, False)}
    assert {(r.city, r.set_name, r.keywords) for r in table} == expected
    assert all(r.queries >= 150 for r in table if r.set_name == "held-out")
    text = format_table(table)
    assert text.splitlines()[0].startswith("| city | set | keywords | messages |")
    assert "| Wolfsburg | held-out | removed |" in text


@pytest.mark.parametrize("key", sorted(FLOORS), ids=lambda k: f"{k[0]}-{k[1]}-{k[2]}")
def test_no_figure_falls_below_the_level_reached(table: list[Row], key: tuple) -> None:
    (row,) = [r for r in table if (r.city, r.set_name, r.keywords) == key]
    top1, top3, nothing = FLOORS[key]
    assert row.summary.top1_rate >= top1
    assert row.summary.top3_rate >= top3
    assert row.summary.nothing_rate >= nothing


def test_keywords_are_really_removed() -> None:
    catalogue = without_keywords(CITIES[0].catalogue)
    assert not any(s.keywords for s in catalogue.services)
    assert not any(c.keywords for c in catalogue.categories)
    assert not catalogue.crisis.keywords
    assert len(catalogue.services) > 50


def test_the_crisis_stage_on_held_out_messages_stays_at_the_level_reached() -> None:
    """Recall on the held-out crisis messages, and false alarms (on the shipped Hannover file
    and without its keywords): the levels of 7 December 2026, to be raised, never lowered.
    Rounds 1-4 were each read for their failing classes after they had measured a change
    (round 4, written blind: 0.65 before the third widening by class, 0.71 after it); round 5,
    written blind before the fourth widening, is the honest figure: 0.68 before it, 0.71 after.
    Round 6, written blind after the fourth widening: 0.79 before any further change; 0.82
    after the fifth widening (which read round 5), 0.90 with the learned reader
    (``bot/search/danger/model.py``), which learned from rounds 1-5 and its own examples. (It
    reached 0.91 at a lower threshold, which broke the 1 % bound on ordinary messages.)
    Round 7, written blind after all of that and before any further change: 0.90.
    Round 8, written blind after round 7 was measured, before any further change: 0.91 (rules
    alone 0.76), look-alikes 0.06 (0.04 without keywords). With Hannover's round 4 and
    Neunkirchen's round 2, ordinary alarms were 13 of 1,179 as shipped (0.011: the catalogue's
    generic crisis words, "تهديد" threat alone) and 10 without keywords (0.0085). Then the
    catalogues' generic crisis words were removed (10 of 1,179 as shipped), the model learned
    from 2,980 more examples and from words and word pairs beside its letter sequences: round 6
    0.91, round 7 0.93, and round 8 (its blind measure) 0.93 (0.91 before; suicide 25/31 the
    weakest kind), look-alikes 0.04. Round 9, written blind after that, before any further
    change: 0.944 (rules alone 0.83), look-alikes 0.04. (Letting rounds 6 and 7 teach the
    reader gave round 9 0.949 and took round 8 to 0.930, one message each way: taken back.)
    Round 10, written blind after round 9 was measured, before any further change: 0.954
    (rules alone 0.86), look-alikes 0.03. The search sets written with it (Hannover round 5,
    Wolfsburg round 3) brought 2,217 ordinary messages, on which the stage alarmed on 31
    (0.014, over the bound; 28 of them the rules': "kicked me out", "не швидка", "بيشرب"
    read as "بيضرب"). Then everyday words read as themselves and four figures ("not an
    emergency", "since her stroke", thrown out of a flat, "full time"): 19 of 2,217, recall
    unchanged; 543 examples of the classes rounds 6-9 showed, and the model reading a long
    message sentence by sentence: rounds 6-9 0.918 / 0.940 / 0.947 / 0.963, and round 10 (its
    blind measure) 0.968 (0.954 before), look-alikes 0.03; ordinary 22 of 2,217 (0.0099).
    """
    from bot.search.scoreboard import crisis_rows

    floors = {
        "round 1": 0.99,
        "round 2": 0.99,
        "round 3": 0.99,
        "round 4": 0.99,
        "round 5": 0.99,
        "round 6": 0.91,
        "round 7": 0.93,
        "round 8": 0.94,
        "round 9": 0.96,
        "round 10": 0.96,
        "round 11": 0.86,
        "round 12": 0.88,
    }
    rows_ = list(crisis_rows(CITIES[:1]))
    assert {r.round for r in rows_} == set(floors)
    for row in rows_:
        assert row.recall >= floors[row.round], row
        # The bound; reached as shipped: 0.015 / 0 / 0.01 / 0.034 / 0.075 (figures of
        # speech: "this queue is killing me", a school report about violence, a dead battery).
        assert row.lookalike_alarms <= 0.10, row
        # The bound; reached: 6 of Hannover's 773 ordinary messages (0.0078; 0.0052
        # without its keyword lists): a carer's "I can't go on", an Arabic home-care question.
        assert row.ordinary_alarms <= 0.01, row
