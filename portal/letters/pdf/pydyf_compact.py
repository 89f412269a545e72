"""A WeasyPrint PDF (pydyf objects, before it is written) made smaller without changing what
it prints or what a reader hears: the structure tree without its bare Span wrappers, and
the file without the objects nothing refers to any more.

WeasyPrint wraps each line of a paragraph in a Span of its own, with no attribute: such a
Span says nothing a reader can use (ISO 32000-1 14.8.4.4, an inline grouping element with
no semantics of its own), yet it costs an object, a cross-reference entry and a parent-tree
entry. Its marked content (its MCIDs) then belongs to its parent directly, in the same
order, on the same page; a Span with any attribute (/Lang, /Alt, /ActualText, /ID ...)
stays. The parent tree follows, so every MCID still leads to the element it reads in."""
from __future__ import annotations

import re

import pydyf

_REFERENCE = re.compile(rb"(\d+) (\d+) R")
# What a Span may hold to be only a wrapper: anything else is an attribute of its text.
_BARE = frozenset({"Type", "S", "K", "P", "Pg"})


def _number(value) -> int | None:
    """The object number of a reference ("12 0 R", as bytes or str), else None."""
    if isinstance(value, pydyf.String) or not isinstance(value, bytes | str):
        return None
    match = _REFERENCE.fullmatch(value.encode("ascii") if isinstance(value, str) else value)
    return int(match.group(1)) if match else None


def flatten_spans(pdf, structure, elements) -> int:
    """Moves the content of every bare Span into its parent, in place; returns how many
    Spans left the tree. `structure` is the StructTreeRoot, `elements` the tree's elements
    in order (parents before their children)."""
    objects = pdf.objects
    pages = {_number(ref): index for index, ref in enumerate(pdf.page_references)}
    nums = objects[_number(structure["ParentTree"])]["Nums"]
    mappings = {}
    for i in range(0, len(nums), 2):
        number = _number(nums[i + 1])
        mappings[nums[i]] = objects[number] if number is not None else nums[i + 1]
    flattened = 0
    for element in reversed(elements):  # children first: a Span in a Span goes up twice
        kids = element.get("K")
        if not isinstance(kids, list):
            continue
        kept, changed = [], False
        for kid in kids:
            span = objects[number] if (number := _number(kid)) is not None else None
            if not _bare_span(span, element):
                kept.append(kid)
                continue
            page = pages.get(_number(span.get("Pg")))
            for inner in span.get("K") or ():
                if isinstance(inner, int):
                    mapping = mappings.get(page)
                    if not isinstance(mapping, list) or inner >= len(mapping):
                        break  # no parent-tree entry to follow: leave the Span
                else:
                    child = objects[inner_number] if (
                        inner_number := _number(inner)) is not None else None
                    if not isinstance(child, dict):
                        break  # a marked-content or object reference: leave the Span
            else:
                for inner in span.get("K") or ():
                    if isinstance(inner, int):
                        mappings[page][inner] = element.reference
                    else:
                        objects[_number(inner)]["P"] = element.reference
                    kept.append(inner)
                changed = True
                flattened += 1
                continue
            kept.append(kid)
        if changed:
            kids[:] = kept
    return flattened


def _bare_span(span, parent) -> bool:
    """A Span with no attribute, on the page of its parent (its MCIDs then need no page of
    their own)."""
    return (isinstance(span, dict) and span.get("S") == "/Span"
            and set(span) <= _BARE and isinstance(span.get("K"), list)
            and (not any(isinstance(kid, int) for kid in span["K"])
                 or _number(span.get("Pg")) == _number(parent.get("Pg")) is not None))


def drop_unreferenced(pdf) -> None:
    """Leaves out of the file the objects nothing reaches from the catalog and the info
    dictionary, and numbers the others 1, 2, 3 ... again, references included."""
    objects = pdf.objects
    reached, pending = set(), [pdf.catalog.number]
    if pdf.info is not None and pdf.info.number is not None:
        pending.append(pdf.info.number)
    while pending:
        number = pending.pop()
        if number in reached or not 0 < number < len(objects):
            continue
        reached.add(number)
        obj = objects[number]
        pending.extend(_references(obj.extra if isinstance(obj, pydyf.Stream) else obj))
    kept = [obj for obj in objects[1:] if obj.number in reached]
    if len(kept) == len(objects) - 1:
        return
    renumbered = {obj.number: new for new, obj in enumerate(kept, start=1)}
    done: set[int] = set()  # a direct dict or array may sit in two objects: renumber it once
    for obj in kept:
        _renumber(obj.extra if isinstance(obj, pydyf.Stream) else obj, renumbered, done)
    for obj in kept:
        obj.number = renumbered[obj.number]
    objects[1:] = kept


def _triples(items) -> list[int]:
    """Where an array holds a reference as three items (pydyf's page list: 7, 0, "R")."""
    return [i for i in range(len(items) - 2) if items[i + 2] == "R" and items[i + 1] == 0
            and type(items[i]) is int]


def _references(value):
    if (number := _number(value)) is not None:
        yield number
    elif isinstance(value, dict):
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list | tuple):
        for i in _triples(value):
            yield value[i]
        for item in value:
            yield from _references(item)


def _renumber(container, renumbered: dict[int, int], done: set[int]) -> None:
    if id(container) in done:
        return
    done.add(id(container))
    if isinstance(container, list):
        for i in _triples(container):
            container[i] = renumbered[container[i]]
    items = container.items() if isinstance(container, dict) else enumerate(container)
    for key, value in list(items):
        if (number := _number(value)) is not None:
            new = b"%d 0 R" % renumbered[number]
            container[key] = new.decode() if isinstance(value, str) else new
        elif isinstance(value, tuple):
            container[key] = pydyf.Array(value)
            _renumber(container[key], renumbered, done)
        elif isinstance(value, dict | list):
            _renumber(value, renumbered, done)


_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]+)")
_PRUNED = ("ExtGState", "ColorSpace", "Pattern", "Shading", "XObject")


def drop_unused_resources(pdf) -> None:
    """Resources no content stream names (WeasyPrint declares its Lab colour spaces and
    opacity states on every page, used or not) and page boxes that only repeat the media
    box (a trim or bleed box equal to it says nothing, ISO 32000-1 14.11.2)."""
    objects = pdf.objects
    used: set[bytes] = set()
    for obj in objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") != "/Metadata":
            for item in obj.stream:
                if isinstance(item, bytes):
                    used.update(_NAME.findall(item))
    for obj in objects:
        resources = obj.extra.get("Resources") if isinstance(obj, pydyf.Stream) else (
            obj.get("Resources") if isinstance(obj, dict) and obj.get("Type") == "/Page"
            else None)
        if resources is None:
            continue
        resources = objects[number] if (number := _number(resources)) is not None \
            else resources
        for kind in _PRUNED:
            names = resources.get(kind)
            names = objects[number] if (number := _number(names)) is not None else names
            if not isinstance(names, dict):
                continue
            for name in [name for name in names if name.encode() not in used]:
                del names[name]
            if not names:
                del resources[kind]
        if isinstance(obj, dict) and obj.get("Type") == "/Page":
            for box in ("TrimBox", "BleedBox"):
                if box in obj and list(obj[box]) == list(obj.get("MediaBox", ())):
                    del obj[box]
