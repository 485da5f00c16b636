"""The words people use for each shipped need, per language (``<lang>.yaml`` beside this)."""
