"""SQLite: migrations, statements and the store the bot writes through."""
