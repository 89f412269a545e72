"""Measuring a laid-out letter (WeasyPrint's boxes) the way a reader looks at the paper:
text that runs out of its box or over other text, a label and its value not level, a block
that must stay whole split over two pages."""
from __future__ import annotations

from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

PX_MM = 25.4 / 96
# Rounding of WeasyPrint's layout (px): anything larger is a real overflow.
SLACK = 0.6
# Blocks a reader needs on one page: the signature (closing, name and function) and the
# framed boxes (code, dates, engagement).
WHOLE = ("signature", "code-box", "privacy")


def _real(box):
    return box._box if isinstance(box, AbsolutePlaceholder) else box


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def _describe(box) -> str:
    element = getattr(box, "element", None)
    if element is None:
        return type(box).__name__
    classes = ".".join(sorted(_classes(box)))
    return f"<{box.element_tag}{'.' + classes if classes else ''}>"


def _text(box) -> str:
    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_text(child) for child in getattr(box, "children", ()))


def _lines(box):
    """Every line box under `box` (absolutely placed ones included)."""
    box = _real(box)
    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child)


def _fixed(box, prop: str) -> bool:
    value = box.style[prop]
    return value != "auto" and getattr(value, "unit", None) != "%"


def problems(document) -> list[str]:
    """What a reader would see wrong on the pages of `document`, one line per problem."""
    found: list[str] = []
    pages_of: dict[int, set[int]] = {}
    names: dict[int, str] = {}

    def walk(box, page_no, page_box):
        box = _real(box)
        element = getattr(box, "element", None)
        if element is not None and _classes(box) & set(WHOLE) and not isinstance(
                box, boxes.InlineBox | boxes.LineBox | boxes.TextBox):
            pages_of.setdefault(id(element), set()).add(page_no)
            names[id(element)] = _describe(box)
        if isinstance(box, boxes.BlockBox | boxes.BlockReplacedBox) and (
                _fixed(box, "height") or _fixed(box, "width")):
            _contained(box, page_no, found)
        if isinstance(box, boxes.LineBox):
            _within_page(box, page_box, page_no, found)
            return
        if element is not None and box.element_tag == "dl":
            _level(box, page_no, found)
        for child in getattr(box, "children", ()):
            walk(child, page_no, page_box)

    for number, page in enumerate(document.pages):
        page_box = page._page_box
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                continue
            walk(child, number, page_box)
        _overlaps(page_box, number, found)
    for key, pages in pages_of.items():
        if len(pages) > 1:
            found.append(f"{names[key]} is split over pages {sorted(p + 1 for p in pages)}")
    return found


def _contained(box, page_no: int, found: list[str]) -> None:
    """A box of fixed size holds all its text."""
    left, top = box.border_box_x(), box.border_box_y()
    right, bottom = left + box.border_width(), top + box.border_height()
    for line in _lines(box):
        for child in line.children:
            if not _text(child).strip():
                continue
            x, y = child.position_x, child.position_y
            w, h = child.margin_width(), child.margin_height()
            if y + h > bottom + SLACK or x + w > right + SLACK or x < left - SLACK:
                found.append(
                    f"page {page_no + 1}: {_text(child).strip()[:60]!r} runs out of "
                    f"{_describe(box)} by {max(y + h - bottom, x + w - right) * PX_MM:.1f} mm")


def _within_page(line, page_box, page_no: int, found: list[str]) -> None:
    left, top = page_box.content_box_x(), page_box.content_box_y()
    right, bottom = left + page_box.width, top + page_box.height
    for child in line.children:
        if not _text(child).strip():
            continue
        if (child.position_x + child.margin_width() > right + SLACK
                or child.position_y + child.margin_height() > bottom + SLACK):
            found.append(f"page {page_no + 1}: {_text(child).strip()[:60]!r} runs off "
                         f"the page's text area")


def _level(dl, page_no: int, found: list[str]) -> None:
    """Each label (dt) is one line, level with the first line of its value (dd)."""
    children = [_real(c) for c in dl.children if getattr(c, "element", None) is not None]
    for dt, dd in zip(children, children[1:], strict=False):
        if dt.element_tag != "dt" or dd.element_tag != "dd":
            continue
        dt_lines, dd_lines = list(_lines(dt)), list(_lines(dd))
        if len(dt_lines) > 1:
            found.append(f"page {page_no + 1}: the label {_text(dt).strip()!r} wraps over "
                         f"{len(dt_lines)} lines")
        if dt_lines and dd_lines and abs(dt_lines[0].position_y
                                         - dd_lines[0].position_y) > SLACK:
            found.append(f"page {page_no + 1}: {_text(dd).strip()[:40]!r} is not level "
                         f"with its label {_text(dt).strip()!r}")


def _overlaps(page_box, page_no: int, found: list[str]) -> None:
    """No line of text is printed over another."""
    rects = []
    for line in _lines(page_box):
        for child in line.children:
            text = _text(child).strip()
            if not text:
                continue
            rects.append((child.position_x, child.position_y,
                          child.position_x + child.margin_width(),
                          child.position_y + child.margin_height(), text))
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            if overlap_x > SLACK and overlap_y > SLACK * 2:
                found.append(f"page {page_no + 1}: {a[4][:40]!r} is printed over "
                             f"{b[4][:40]!r}")
