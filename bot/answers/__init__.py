"""What the bot answers at each step, as plain text and data (no Telegram)."""
