"""The catalogue: the typed model, the YAML reader, validation and the JSON Schema."""
