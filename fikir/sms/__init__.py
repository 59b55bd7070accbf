"""fikir.sms."""
