"""Talking to a person: the bot hands a conversation to the city's counsellors, anonymously.

The core, without Telegram: the team's settings (:mod:`.settings`), the short codes that name a
conversation (:mod:`.codes`) and the rules of a conversation — who may write, when the team
answers, how fast a person may send, how long a block lasts (:mod:`.rules`). The store keeps
only the link code ↔ chat ↔ topic (:mod:`bot.store.conversations`); the texts are in
:mod:`bot.answers.counsel`; the Telegram side is :mod:`bot.chat.handlers.counsel` (the person)
and :mod:`bot.chat.handlers.counsel_team` (the counsellors' forum group).
"""
