"""Wegweiser: a multilingual Telegram bot that helps people in need find local support services.

The package is split into a pure core (catalogue, search, hours, texts, storage) that never
imports ``telegram``, and a thin Telegram layer (handlers, keyboards, app) on top of it.
"""

__version__ = "0.1.0"
