"""Loopback stand-ins for the services fikir talks to, and a runner for the real `fikir run`."""
