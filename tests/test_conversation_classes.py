"""Conversation, round 4's classes widened in every language (issue 16, item 5)."""

from __future__ import annotations

from pathlib import Path

from bot.search.conversation.reader import ConversationReader, Intent


def test_words_a_phrase_stands_apart_over_are_not_its_own(tmp_path: Path) -> None:
    """A phrase may stand a little apart ("muss ich … bezahlen"), but the words in between are
    not part of it: "muss ich die miete bezahlen" asks about the rent, not about the bot."""
    (tmp_path / "de.yaml").write_text(
        "language: de\nintents:\n  who: [muss ich bezahlen]\npolite: [bitte]\n"
    )
    (tmp_path / "emoji.yaml").write_text("emoji: {}\n")
    reader = ConversationReader(tmp_path)
    talk = reader.read("muss ich bitte bezahlen")
    assert talk is not None and talk.intent is Intent.WHO
    assert reader.read("muss ich die miete bezahlen") is None
