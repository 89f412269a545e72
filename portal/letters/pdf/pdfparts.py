"""Low-level PDF pieces for letter runs: a laid-out template's objects re-serialised under
new numbers, per-letter font subsets (HarfBuzz), and a small streaming PDF writer."""
from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import cache
from io import BytesIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

# Keys of a template page that the writer sets itself.
_PAGE_KEYS_SET_HERE = {"/Type", "/Parent", "/Contents", "/Resources", "/Annots",
                       "/StructParents"}
_MARKED = re.compile(rb"/(\w+)\s*<</MCID (\d+)>>\s*BDC\b(.*?)\bEMC\b", re.S)
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")
_TEXT_MATRIX = re.compile(rb"1 0 0 -1 (-?[\d.]+) (-?[\d.]+) Tm")
_GLYPHS = re.compile(rb"\[((?:<[0-9a-fA-F]+>-?[\d.]*)+)\] ?TJ")
# Placeholders in per-letter structure bytes: struct elements, pages, template objects.
_ELEM, _PAGE, _TEMPLATE, _PARENT = 10_000_000, 20_000_000, 30_000_000, 40_000_000
_TOKEN = re.compile(rb"\b([1-4])(\d{7}) 0 R")


def _glyph_count(array: bytes) -> int:
    """The glyphs of a TJ array's strings (two-byte codes, several to a string)."""
    return sum(len(code) // 4 for code in _HEX.findall(array))


def subset_tag(program: bytes, name: str) -> str:
    """Six capital letters from the font program itself: two different subsets never share
    a name in one file (ISO 32000-1 9.6.4), and one subset always has the same one."""
    digest = hashlib.sha256(name.encode() + program).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


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


def stream_object(num: int, data: bytes, extra: bytes = b"", compress: bool = True,
                  level: int = 6) -> bytes:
    if compress:
        data = zlib.compress(data, level)
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
    old_contents: list[int]  # their numbers in the laid-out PDF


@dataclass
class Marked:
    """A marked-content sequence of a template page holding one run of text."""

    mcid: int
    x: float                 # origin of its text, CSS px from the left
    y: float                 # and from the top
    glyphs: int


@dataclass
class Bookmark:
    title: str
    page: int
    left: float
    top: float


class Template:
    """The constant pages of a laid-out letter, ready to be written again and again."""

    def __init__(self, pdf: bytes):
        reader = PdfReader(BytesIO(pdf))
        self._local: dict[int, int] = {}
        self._objects: dict[int, object] = {}
        self.pages: list[TemplatePage] = []
        self._rename_subsets(reader, hashlib.sha256(pdf).digest())
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
                old_contents=[r.idnum for r in refs],
            ))
        page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
        self.structure = Structure(reader, page_numbers, self._local)
        self.title = str((reader.metadata or {}).get("/Title") or "")
        self.bookmarks = [
            Bookmark(str(item["/Title"]), reader.get_destination_page_number(item),
                     float(item.get("/Left") or 0), float(item.get("/Top") or 0))
            for item in reader.outline if not isinstance(item, list)]
        # Two tiny streams that keep the template's graphics state from leaking into the
        # overlay: "q" before the template's contents and "Q" after them.
        self.q = len(self._local) + 1
        self.big_q = self.q + 1
        self.count = self.big_q  # local numbers are 1..count

    def _num(self, old: int) -> int:
        return self._local[old]

    def _rename_subsets(self, reader, salt: bytes) -> None:
        """Gives every embedded font subset a tag made from its own program and this
        template, so that no two font objects in a print batch share a name."""
        fonts = []
        for page in reader.pages:
            for ref in (page["/Resources"].get("/Font") or {}).values():
                fonts.append(ref.get_object())
        for font in fonts:
            descendants = font.get("/DescendantFonts")
            inner = descendants[0].get_object() if descendants else font
            descriptor = inner.get("/FontDescriptor")
            if descriptor is None:
                continue
            descriptor = descriptor.get_object()
            program = next((descriptor[k].get_object() for k in ("/FontFile2", "/FontFile3",
                                                                 "/FontFile") if k in descriptor),
                           None)
            name = str(descriptor["/FontName"])[1:]
            if program is None or "+" not in name:
                continue
            base = name.split("+", 1)[1]
            new = NameObject(f"/{subset_tag(salt + program._data, base)}+{base}")
            descriptor[NameObject("/FontName")] = new
            inner[NameObject("/BaseFont")] = new
            font[NameObject("/BaseFont")] = new

    def marked_texts(self, page: int) -> list[Marked]:
        """The marked-content sequences of text on a page, with where their text starts."""
        out = []
        for old in self.pages[page].old_contents:
            data = self._objects[old].get_data()
            for match in _MARKED.finditer(data):
                matrix = _TEXT_MATRIX.search(match.group(3))
                glyphs = _GLYPHS.search(match.group(3))
                if matrix is None or glyphs is None:
                    continue
                out.append(Marked(int(match.group(2)), float(matrix.group(1)),
                                  float(matrix.group(2)), _glyph_count(glyphs.group(1))))
        return out

    def strip_marked(self, page: int, mcids: set[int]) -> None:
        """Removes these marked-content sequences (placeholders) from a page's contents."""
        def keep(match):
            return b"" if int(match.group(2)) in mcids else match.group(0)

        for old in self.pages[page].old_contents:
            stream = self._objects[old]
            data = stream.get_data()
            stripped = _MARKED.sub(keep, data)
            if stripped != data:
                stream.set_data(stripped)
                if stream.get("/Filter") == "/FlateDecode" and "/DecodeParms" not in stream:
                    stream._data = zlib.compress(stripped, 9)  # as WeasyPrint compresses
                self.chunk.cache_clear()

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


class Structure:
    """A template's structure tree (tagged PDF), to be written again for every letter with
    that letter's pages: the same elements, the same marked-content ids."""

    def __init__(self, reader, page_numbers: dict[int, int], template_local: dict[int, int]):
        root = reader.trailer["/Root"].get("/StructTreeRoot")
        self.elements: list[int] = []
        self.parent_tree: list[list[int | None]] = [[] for _ in page_numbers]
        self._formats: list[bytes] = []
        self._chunks: dict[tuple, tuple[bytes, list[tuple[int, int]]]] = {}
        if root is None:
            return
        root = root.get_object()
        local: dict[int, int] = {}
        objects = {}
        pending = list(root["/K"]) if isinstance(root["/K"], ArrayObject) else [root["/K"]]
        while pending:
            ref = pending.pop(0)
            if not isinstance(ref, IndirectObject) or ref.idnum in local:
                continue
            element = ref.get_object()
            if not isinstance(element, DictionaryObject):
                continue
            local[ref.idnum] = len(local)
            objects[ref.idnum] = element
            kids = element.get("/K")
            pending += list(kids) if isinstance(kids, ArrayObject) else [kids]
        self.elements = list(local)
        self.document = local[(root["/K"][0] if isinstance(root["/K"], ArrayObject)
                               else root["/K"]).idnum]
        nums = root["/ParentTree"].get_object().get("/Nums", [])
        for key, value in zip(nums[::2], nums[1::2], strict=True):
            value = value.get_object()
            if int(key) < len(self.parent_tree) and isinstance(value, ArrayObject):
                self.parent_tree[int(key)] = [
                    local.get(ref.idnum) if isinstance(ref, IndirectObject) else None
                    for ref in value]

        def token(old: int) -> int:
            if old in local:
                return _ELEM + local[old]
            if old in page_numbers:
                return _PAGE + page_numbers[old]
            if old == root.indirect_reference.idnum:
                return _PARENT
            return _TEMPLATE + template_local[old]

        # Each element pre-serialised once as a format string whose %d are its own number
        # and its references; per letter only the numbers are computed.
        formats = []
        kinds: list[int] = []
        values: list[int] = []
        for old in self.elements:
            data = b"%d 0 obj\n%s\nendobj\n" % (local[old], serialize(objects[old], token))
            data = data.replace(b"%", b"%%")
            kinds.append(1)
            values.append(local[old])
            pieces, last = [], 0
            for match in _TOKEN.finditer(data):
                pieces.append(data[last:match.start()])
                pieces.append(b"%d 0 R")
                kinds.append(int(match.group(1)))
                values.append(int(match.group(2)))
                last = match.end()
            pieces.append(data[last:])
            head = pieces[0]
            pieces[0] = b"%d" + head[head.index(b" 0 obj"):]
            formats.append(b"".join(pieces))
        self._format = b"".join(formats)
        self._kinds, self._values = kinds, values
        self._locals = [local[old] for old in self.elements]
        self._lengths = [f.count(b"%d") for f in formats]
        self._formats = formats

    def __bool__(self) -> bool:
        return bool(self.elements)

    def chunk(self, base: int, pages: list[int], template_base: int, parent: int
              ) -> tuple[bytes, list[tuple[int, int]]]:
        """The elements numbered base.., pointing at these pages and at `parent` (the
        file's StructTreeRoot); as bytes and (num, offset) of each object. The same
        numbers give the same bytes object (every archived letter of a layout)."""
        key = (base, tuple(pages), template_base, parent)
        if key not in self._chunks:
            if len(self._chunks) >= 8:  # a print batch numbers each letter anew
                self._chunks.clear()
            self._chunks[key] = self._chunk(base, pages, template_base, parent)
        return self._chunks[key]

    def _chunk(self, base: int, pages: list[int], template_base: int, parent: int
               ) -> tuple[bytes, list[tuple[int, int]]]:
        shift = (0, base, 0, template_base, 0)
        numbers = [pages[v] if k == 2 else parent if k == 4 else shift[k] + v
                   for k, v in zip(self._kinds, self._values, strict=True)]
        out = []
        entries = []
        offset = position = 0
        for local, fmt, count in zip(self._locals, self._formats, self._lengths, strict=True):
            data = fmt % tuple(numbers[position:position + count])
            position += count
            entries.append((base + local, offset))
            offset += len(data)
            out.append(data)
        return b"".join(out), entries

    def parents(self, page: int, base: int) -> bytes:
        """The ParentTree entry of a page: the element of each marked-content id."""
        return b"[" + b" ".join(b"null" if n is None else b"%d 0 R" % (base + n)
                                for n in self.parent_tree[page]) + b"]"


def pdf_string(text: str) -> bytes:
    """A PDF text string: printable ASCII as it is, anything else as UTF-16BE with its
    byte order mark (ISO 32000-1 7.9.2.2), both as literal strings with their delimiters
    and line ends escaped."""
    if text.isascii() and text.isprintable():
        data = text.encode("ascii")
    else:
        data = b"\xfe\xff" + text.encode("utf-16-be")
    return b"(" + data.replace(b"\\", b"\\\\").replace(
        b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r").replace(
        b"\n", b"\\n") + b")"
