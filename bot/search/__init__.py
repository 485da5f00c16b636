"""The search pipeline, one module per stage, and its evaluation."""
