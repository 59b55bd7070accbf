"""The Telegram channel, on aiogram 3: updates in as Inbounds, Replies out as messages."""
