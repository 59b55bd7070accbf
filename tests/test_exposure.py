"""What fikir shows to anyone: security headers on every response, API docs in development only."""

from __future__ import annotations

from pathlib import Path

from fikir.web.headers import SECURITY_HEADERS
from tests.conftest import make_settings
from tests.test_web_helpers import client_for

# Not only pages: probes, metrics, static files, errors and webhooks.
PATHS = (
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/static/style.css"),
    ("GET", "/static/../../etc/passwd"),
    ("GET", "/goals.css"),
    ("GET", "/no-such-page"),
    ("GET", "/admin/no-such-page"),
    ("POST", "/webhooks/smsgate"),
    ("POST", "/webhooks/telegram"),
    ("POST", "/webhooks/twilio/sms"),
    ("GET", "/webhooks/twilio/sms"),
    ("GET", "/results"),
    ("GET", "/admin/login"),
    ("GET", "/openapi.json"),
)


def test_every_response_carries_the_security_headers(tmp_path: Path, sqlite_url: str) -> None:
    with client_for(make_settings(tmp_path, sqlite_url)) as client:
        for method, path in PATHS:
            response = client.request(method, path, follow_redirects=False)
            missing = [h for h in SECURITY_HEADERS if h.lower() not in response.headers]
            assert missing == [], (method, path, response.status_code)
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            assert response.headers["referrer-policy"] == "same-origin"


def test_api_docs_exist_in_development_only(tmp_path: Path, sqlite_url: str) -> None:
    for env in ("test", "production"):
        settings = make_settings(
            tmp_path, sqlite_url, env=env, public_url="https://fikir.example.org"
        )
        with client_for(settings) as client:
            for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
                assert client.get(path).status_code == 404, (env, path)
    with client_for(make_settings(tmp_path, sqlite_url, env="development")) as client:
        schema = client.get("/openapi.json")
        assert schema.status_code == 200 and "/results" in schema.json()["paths"]
        assert client.get("/docs").status_code == 200
