"""WhatsApp through Twilio: signed webhooks in, TwiML answers, and a sender that keeps the 24-hour window."""
