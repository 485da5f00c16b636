# Translations (gettext). Included by the main Makefile, which defines PY
# (.venv/bin/python) and VENV_STAMP (the target that builds the venv).
# The pybabel options live in bot/i18n/check.py, so `make` and the check that
# compares bot.pot with the code can never disagree about keywords.

.PHONY: i18n-extract i18n-update i18n-check

## i18n-extract: collect the English strings from bot/ into locales/bot.pot (pybabel extract)
i18n-extract: $(VENV_STAMP)
	$(PY) -m bot i18n extract

## i18n-update: merge bot.pot into every locales/<lang>/LC_MESSAGES/bot.po (pybabel update, no fuzzy guessing)
i18n-update: $(VENV_STAMP)
	$(PY) -m bot i18n update

## i18n-check: completeness table; fails on missing, fuzzy, placeholder, HTML, plural or stale-.pot problems
i18n-check: $(VENV_STAMP)
	$(PY) -m bot i18n check
