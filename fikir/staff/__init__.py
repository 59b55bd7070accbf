"""Staff accounts: roles, passwords, one-time codes for sign-in and for linking a Telegram chat."""
