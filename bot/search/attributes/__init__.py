"""What a message asks of a service beyond the need: answered by the structured fields."""
