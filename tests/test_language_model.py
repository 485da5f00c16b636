"""The learned language reader: built from the current examples, and a ratchet on the search
messages of the held-out sets (which never teach it)."""

from __future__ import annotations

import json

from bot.search.conversation_eval import language_tally, search_messages
from bot.search.language.detector import shipped
from bot.search.language.learned import MODEL_FILE, LanguageModel
from bot.search.language.training import build, digest, examples

LANGUAGES = ("ar", "de", "en", "fa", "ru", "tr", "uk")


def test_the_model_was_built_from_the_examples_as_they_are() -> None:
    """Edit an example, then run ``python -m bot language-model``."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["examples"] == digest(examples())
    assert tuple(data["languages"]) == LANGUAGES
    assert 0.5 <= data["threshold"] < 1.0


def test_the_bot_reads_the_file_as_scikit_learn_learned_it() -> None:
    """The file leaves out the smallest weights: on a build from every fifth example, the bot's
    reading names the same language as scikit-learn for every one, on the same side of the
    threshold, within 0.05 of its probability."""
    sample = [e for i, e in enumerate(examples()) if i % 5 == 0]
    content, _, learned = build(sample)
    model = LanguageModel.from_data(content)
    for example, theirs in zip(sample, learned, strict=True):
        ours = model.probabilities(example.text)
        language = max(ours, key=ours.__getitem__)
        best = max(range(len(theirs)), key=theirs.__getitem__)
        assert language == model.languages[best], example.text
        assert abs(ours[language] - theirs[best]) < 0.05, example.text
        assert (ours[language] >= model.threshold) == (theirs[best] >= model.threshold)


def test_probabilities_are_a_distribution_over_the_seven_languages() -> None:
    model = LanguageModel.load()
    assert model is not None
    probabilities = model.probabilities("man be komak baraye ejare khune niaz daram")
    assert set(probabilities) == set(LANGUAGES)
    assert abs(sum(probabilities.values()) - 1.0) < 1e-9
    assert max(probabilities, key=probabilities.__getitem__) == "fa"


def test_held_out_search_messages_stay_at_the_level_reached() -> None:
    """7 December 2026, on the 1,043 search messages of the held-out sets: the rules alone
    read 813 in their language (6 wrong switches, all Arabic read as Farsi by a telling
    letter); with the learned reader 919 (924 with 680 more examples), and one more wrong
    switch ("best burger in furpach": English around a German place name, read as German).
    Raise, never lower."""
    tally = language_tally(search_messages(), shipped())
    assert sum(tally.right.values()) >= 920
    assert sum(tally.wrong.values()) <= 7
