"""fikir: anonymous feedback and polls over Telegram and SMS, tagged with the SDGs."""

__version__ = "0.1.0"
