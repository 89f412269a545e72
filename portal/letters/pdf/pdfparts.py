"""Low-level PDF pieces for letter runs: a laid-out template's objects re-serialised under
new numbers, per-letter font subsets (HarfBuzz), and a small streaming PDF writer."""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from functools import cache
from io import BytesIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    StreamObject,
)

# Keys of a template page that the writer sets itself.
_PAGE_KEYS_SET_HERE = {"/Type", "/Parent", "/Contents", "/Resources", "/Annots"}


def _ser(obj, renumber, out: list[bytes]) -> None:
    if isinstance(obj, IndirectObject):
        out.append(b"%d 0 R" % renumber(obj.idnum))
    elif isinstance(obj, DictionaryObject):
        out.append(b"<<")
        for key, value in obj.items():
            out.append(b"/" + key[1:].encode("latin-1") + b" ")
            _ser(value, renumber, out)
            out.append(b"\n")
        out.append(b">>")
    elif isinstance(obj, ArrayObject):
        out.append(b"[")
        for value in obj:
            _ser(value, renumber, out)
            out.append(b" ")
        out.append(b"]")
    else:
        buffer = BytesIO()
        obj.write_to_stream(buffer)
        out.append(buffer.getvalue())


def serialize(obj, renumber) -> bytes:
    out: list[bytes] = []
    _ser(obj, renumber, out)
    return b"".join(out)


def stream_object(num: int, data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 6)
        extra += b"/Filter /FlateDecode "
    return (b"%d 0 obj\n<<%s/Length %d>>\nstream\n" % (num, extra, len(data))
            + data + b"\nendstream\nendobj\n")


def deflated_stream(num: int, data: bytes, extra: bytes = b"") -> bytes:
    """A stream object whose data is already Flate-compressed."""
    return (b"%d 0 obj\n<<%s/Filter /FlateDecode /Length %d>>\nstream\n" % (num, extra, len(data))
            + data + b"\nendstream\nendobj\n")


def plain_object(num: int, body: bytes) -> bytes:
    return b"%d 0 obj\n%s\nendobj\n" % (num, body)


@dataclass
class TemplatePage:
    extra: bytes             # page keys copied as they are (MediaBox, TrimBox, ...)
    resources: DictionaryObject
    contents: list[int]      # template numbers of the content streams
    width: float
    height: float


class Template:
    """The constant pages of a laid-out letter, ready to be written again and again."""

    def __init__(self, pdf: bytes):
        reader = PdfReader(BytesIO(pdf))
        self._local: dict[int, int] = {}
        self._objects: dict[int, object] = {}
        self.pages: list[TemplatePage] = []
        for page in reader.pages:
            contents = page.raw_get("/Contents")
            refs = list(contents) if isinstance(contents, ArrayObject) else [contents]
            for ref in refs:
                self._visit(ref)
            resources = page["/Resources"].get_object()
            flat = DictionaryObject()
            for key, value in resources.items():
                resolved = value.get_object()
                if isinstance(resolved, DictionaryObject) and not isinstance(
                        resolved, StreamObject):
                    # Copy one level so each page's dict can gain the overlay fonts.
                    value = DictionaryObject(resolved)
                flat[key] = value
                self._visit(value)
            extra = b"".join(
                b"/" + k[1:].encode() + b" " + serialize(v, self._num) + b"\n"
                for k, v in page.items() if k not in _PAGE_KEYS_SET_HERE
            )
            box = page.mediabox
            self.pages.append(TemplatePage(
                extra=extra, resources=flat, contents=[self._local[r.idnum] for r in refs],
                width=float(box.width), height=float(box.height),
            ))
        # Two tiny streams that keep the template's graphics state from leaking into the
        # overlay: "q" before the template's contents and "Q" after them.
        self.q = len(self._local) + 1
        self.big_q = self.q + 1
        self.count = self.big_q  # local numbers are 1..count

    def _num(self, old: int) -> int:
        return self._local[old]

    def _visit(self, obj) -> None:
        if isinstance(obj, IndirectObject):
            if obj.idnum in self._local:
                return
            self._local[obj.idnum] = len(self._local) + 1
            resolved = obj.get_object()
            self._objects[obj.idnum] = resolved
            self._visit(resolved)
        elif isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key != "/Parent":
                    self._visit(value)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                self._visit(value)

    @cache  # noqa: B019 - one template lives as long as its run in a worker
    def chunk(self, base: int) -> tuple[bytes, tuple[tuple[int, int], ...]]:
        """The template's objects numbered base+1 .. base+count, as bytes and (num, offset)."""
        out = BytesIO()
        entries = []

        def renumber(old: int) -> int:
            return base + self._local[old]

        for old, local in sorted(self._local.items(), key=lambda item: item[1]):
            obj = self._objects[old]
            entries.append((base + local, out.tell()))
            if isinstance(obj, StreamObject):
                head = DictionaryObject({k: v for k, v in obj.items() if k != "/Length"})
                inner = serialize(head, renumber)[2:-2]
                data = obj._data  # the stream as stored (still encoded)
                out.write(b"%d 0 obj\n<<%s/Length %d>>\nstream\n" % (base + local, inner,
                                                                     len(data)))
                out.write(data + b"\nendstream\nendobj\n")
            else:
                out.write(plain_object(base + local, serialize(obj, renumber)))
        for num, data in ((self.q, b"q\n"), (self.big_q, b"Q\n")):
            entries.append((base + num, out.tell()))
            out.write(stream_object(base + num, data, compress=False))
        return out.getvalue(), tuple(entries)

    def resources(self, page: int, base: int, fonts: dict[str, int],
                  xobjects: dict[str, int] | None = None) -> bytes:
        """The page's resource dict with the overlay's fonts and images added."""
        head, font_dict, xobject_dict = self._resources(page, base)

        def refs(items):
            return b"".join(b"/%s %d 0 R " % (name.encode(), num) for name, num in items)

        return (head + b"/Font <<" + font_dict + refs(fonts.items()) + b">> /XObject <<"
                + xobject_dict + refs((xobjects or {}).items()) + b">> >>")

    @cache  # noqa: B019
    def _resources(self, page: int, base: int) -> tuple[bytes, bytes, bytes]:
        parts = [b"<<"]
        res = self.pages[page].resources
        renumber = lambda old: base + self._local[old]  # noqa: E731
        for key, value in res.items():
            if key in ("/Font", "/XObject"):
                continue
            parts.append(b"/" + key[1:].encode() + b" " + serialize(value, renumber) + b"\n")
        inner = [serialize(res.get(key, DictionaryObject()), renumber)[2:-2]
                 for key in ("/Font", "/XObject")]
        return b"".join(parts), inner[0], inner[1]


class Writer:
    """Writes a PDF object by object to a binary file, then the cross-reference table."""

    def __init__(self, fh):
        self.fh = fh
        self.pos = 0
        self.offsets: dict[int, int] = {}
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.fh.write(data)
        self.pos += len(data)

    def chunk(self, data: bytes, entries) -> None:
        for num, offset in entries:
            self.offsets[num] = self.pos + offset
        self._write(data)

    def add(self, num: int, data: bytes) -> None:
        self.offsets[num] = self.pos
        self._write(data)

    def finish(self, root: int, info: int, seed: bytes) -> None:
        xref = self.pos
        nums = sorted(self.offsets)
        lines = [b"xref\n0 1\n0000000000 65535 f \n"]
        i = 0
        while i < len(nums):
            j = i
            while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
                j += 1
            lines.append(b"%d %d\n" % (nums[i], j - i + 1))
            lines.extend(b"%010d 00000 n \n" % self.offsets[n] for n in nums[i:j + 1])
            i = j + 1
        ident = hashlib.md5(seed, usedforsecurity=False).hexdigest().encode()
        lines.append(b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R /ID [<%s><%s>]>>\n"
                     % (nums[-1] + 1, root, info, ident, ident))
        lines.append(b"startxref\n%d\n%%%%EOF\n" % xref)
        self._write(b"".join(lines))


def pdf_string(text: str) -> bytes:
    """A PDF text string (UTF-16BE with BOM), safe for any characters."""
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"
