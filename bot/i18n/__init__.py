"""Translations (gettext) and locale-aware formatting."""
