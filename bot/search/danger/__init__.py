"""Danger: the crisis stage of the search, with the knowledge of danger that ships with it.

``knowledge`` reads the reviewed language files beside it, ``detector`` reads a message for
the kinds of danger it speaks of, ``tables`` rebuilds the inflection and common-word tables
from simplemma and wordfreq (a development step; the bot reads only the tables).
"""
