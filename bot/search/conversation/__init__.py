"""Conversation: messages that are not a search (greetings, thanks, "who are you", …).

``<lang>.yaml`` beside this module is reviewed data, one file per language; ``emoji.yaml``
holds the emojis that say the same. ``reader`` reads a message for one of these intents.
"""
