"""SMS: the provider contract and its two adapters (Twilio; an Android phone with a local SIM)."""
