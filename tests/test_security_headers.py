"""Security headers on every page; a CSP that forbids inline scripts."""


def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_hold_no_inline_script(client):
    assert "<script>" not in client.get("/").get_data(as_text=True)
