"""The language of a message: ``detector`` reads it from script, letters and common words,
``tables`` rebuilds the common-word table ``words.json`` from wordfreq (a development step)."""
