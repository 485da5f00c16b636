"""The fake Bot API's own tests (a package, so that its conftest does not shadow the root one)."""
