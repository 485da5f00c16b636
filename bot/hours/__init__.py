"""Opening hours: the staff syntax, the evaluated schedule and its wording."""
