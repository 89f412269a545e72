"""A run letter as archived and served: the same pages, fonts, structure tree and metadata
as in its print batch, written compact. Its plain objects (~200 structure elements, font
dictionaries, pages) go into one compressed object stream with a cross-reference stream
(PDF 1.5, ISO 32000-1 7.5.7 and 7.5.8), and each weight is one embedded font: the layout's
subset and the letter's own subset of the same face become one subset with its glyphs
renumbered (no empty slots for the thousands of glyphs it does not use). Its text is
written one byte a glyph (fonts.ONE_BYTE: the layout's glyphs first, then the letter's
own; a CIDToGIDMap leads each code to its glyph) where the glyphs fit 255 codes, else with
the print batch's two-byte CIDs. Every font stays embedded; what prints, and where, is the
same. `compact_font_programs` does alike for the font subsets of a full render."""
from __future__ import annotations

import hashlib
import re
import secrets
import struct
import weakref
import zlib
from dataclasses import dataclass, field
from io import BytesIO

import pydyf  # WeasyPrint's writer: the full renders' objects, before they are written

from portal.letters.pdf import fonts
from portal.letters.pdf.pdfparts import (
    Template,
    deflated_stream,
    plain_object,
    stream_object,
    subset_tag,
)
from portal.letters.pdf.vdp import STOCK, File, LetterParts, Numbers, _close, write_parts

# The most an archived letter of any kind may take, in bytes, by its number of language
# sections. At 58.7 kB a letter a 150,000-letter cohort took 8.8 GB of archive; at 20 kB
# it takes at most 3.0 GB. Every archived letter is PDF/A-2a (its sRGB output intent:
# 0.4 kB). What a bilingual letter keeps (19 kB at most): the outlines of its glyphs in two
# weights (about 5.5 kB, drawn on fonts.ARCHIVE_UPEM), its pages' text (about 2.5 kB a
# page, one byte a glyph: fonts.ONE_BYTE), its structure tree (1 kB) and the PDF/A parts.
# A German-area letter holds a third language section, a third page of text and the glyphs
# of a third language: 23 kB at most.
ARCHIVED_LETTER_MAX_BYTES = {2: 20_000, 3: 23_500}

_STREAM_END = b"endstream\nendobj\n"
_ROW = struct.Struct(">BIH")  # a cross-reference stream entry: /W [1 4 2]
_FACES = {name: file for file, name in fonts.POSTSCRIPT.items()}
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


class CompactWriter:
    """Collects objects with the calls of pdfparts.Writer and writes the whole file at
    `finish`: stream objects as they are, every other object in compressed object streams,
    then a compressed cross-reference stream.

    Chunks (a layout's objects, its structure elements) are the same bytes for every letter
    of a layout: their plain objects go into an object stream of their own, packed and
    compressed once per layout (level 9) and written again as it is; the letter's own
    objects (pages, fonts, catalog) go into a second one."""

    def __init__(self, fh):
        self.fh = fh
        self.objects: dict[int, bytes] = {}
        self._chunks: list[tuple[bytes, tuple[tuple[int, int], ...]]] = []

    def chunk(self, data: bytes, entries) -> None:
        self._chunks.append((data, tuple(entries)))

    def add(self, num: int, data: bytes) -> None:
        self.objects[num] = data

    def _shared(self) -> _Packed:
        """The chunks' objects not replaced by the letter's own (its merged fonts)."""
        replaced = frozenset(num for _data, entries in self._chunks for num, _ in entries
                             if num in self.objects)
        key = (tuple(id(data) for data, _entries in self._chunks), replaced)
        packed = _PACKED.get(key)
        if packed is not None and all(a is b for a, (b, _e) in zip(
                packed.sources, self._chunks, strict=True)):
            return packed
        streams: dict[int, bytes] = {}
        plain: dict[int, bytes] = {}
        for data, entries in self._chunks:
            ends = [offset for _num, offset in entries[1:]] + [len(data)]
            for (num, offset), end in zip(entries, ends, strict=True):
                if num not in replaced:
                    obj = data[offset:end]
                    (streams if obj.endswith(_STREAM_END) else plain)[num] = obj
        head, body = _pack(plain)
        packed = _Packed(tuple(data for data, _entries in self._chunks), streams,
                         tuple(sorted(plain)), len(plain), len(head),
                         zlib.compress(head + body, 9))
        if len(_PACKED) >= _PACKED_KEPT:
            _PACKED.clear()
        _PACKED[key] = packed
        return packed

    def finish(self, root: int, info: int, seed: bytes) -> None:
        out = BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        shared = self._shared() if self._chunks else None
        objects = dict(shared.streams) if shared else {}
        objects.update(self.objects)
        size = max([*objects, *(shared.plain if shared else ())]) + 4
        shared_num, packed, xref_num = size - 3, size - 2, size - 1
        table = bytearray(_ROW.size * size)  # every row free (0 0 0) until written
        rows: dict[int, tuple[int, int, int]] = {}
        own: dict[int, bytes] = {}
        for num in sorted(objects):
            data = objects[num]
            if data.endswith(_STREAM_END):  # a stream cannot go into an object stream
                rows[num] = (1, out.tell(), 0)
                out.write(data)
            else:
                own[num] = data
        if shared is not None:
            for start, row in shared.rows(shared_num):
                table[start:start + _ROW.size] = row
            rows[shared_num] = (1, out.tell(), 0)
            out.write(deflated_stream(shared_num, shared.deflated, b"/Type /ObjStm /N %d "
                                      b"/First %d " % (shared.count, shared.first)))
        head, body = _pack(own)
        rows.update((num, (2, packed, n)) for n, num in enumerate(sorted(own)))
        rows[packed] = (1, out.tell(), 0)
        out.write(stream_object(packed, head + body,
                                b"/Type /ObjStm /N %d /First %d " % (len(own), len(head))))
        rows[xref_num] = (1, out.tell(), 0)
        rows[0] = (0, 0, 65535)  # the head of the free list
        for num, row in rows.items():
            table[_ROW.size * num:_ROW.size * (num + 1)] = _ROW.pack(*row)
        ident = hashlib.md5(seed, usedforsecurity=False).hexdigest().encode()
        xref = out.tell()
        out.write(stream_object(xref_num, bytes(table),
                                b"/Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R "
                                b"/ID [<%s><%s>] " % (size, root, info, ident, ident)))
        out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
        self.fh.write(out.getvalue())


def _pack(objects: dict[int, bytes]) -> tuple[bytes, bytes]:
    """The header and the bodies of an object stream holding these plain objects, in the
    order of their numbers."""
    header, bodies, length = [], [], 0
    for num in sorted(objects):
        data = objects[num]
        start = b"%d 0 obj\n" % num
        if not data.startswith(start):
            raise ValueError(f"object {num} is not written as 'N 0 obj'")
        body = data[len(start):-len(b"\nendobj\n")] + b"\n"
        header.append(b"%d %d" % (num, length))
        bodies.append(body)
        length += len(body)
    return b" ".join(header) + b"\n", b"".join(bodies)


@dataclass(frozen=True)
class _Packed:
    """A layout's chunks as written into every letter of it: their streams as they are,
    their plain objects as one compressed object stream."""

    sources: tuple[bytes, ...]  # the chunks it was made of (kept: the key holds their ids)
    streams: dict[int, bytes]
    plain: tuple[int, ...]      # the numbers of the packed objects, in their order
    count: int
    first: int
    deflated: bytes
    _rows: dict = field(default_factory=dict, compare=False)

    def rows(self, number: int) -> list[tuple[int, bytes]]:
        """The cross-reference rows of the packed objects in an object stream `number`, as
        (offset in the table, row)."""
        if number not in self._rows:
            self._rows[number] = [(_ROW.size * num, _ROW.pack(2, number, n))
                                  for n, num in enumerate(self.plain)]
        return self._rows[number]


_PACKED: dict[tuple, _Packed] = {}
_PACKED_KEPT = 64


@dataclass(frozen=True)
class _LayoutFont:
    """A font of a layout (a WeasyPrint subset): its objects' template numbers, the face
    it was cut from, its glyphs' widths and texts."""

    type0: int
    cid: int
    descriptor: int
    program: int
    to_unicode: int
    face: fonts.Face
    widths: dict[int, int]   # the layout's glyphs and those of every code character
    texts: dict[int, str]
    # Written objects by the glyphs a letter adds: most letters add none or the same few.
    merged: dict = field(default_factory=dict, compare=False)
    # One-byte code of each glyph of the layout (fonts.ONE_BYTE), None past 255 glyphs.
    codes: dict | None = field(default=None, compare=False)


_LAYOUT_FONTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MERGED_KEPT = 256  # written fonts kept per layout font


def _widths(array) -> dict[int, int]:
    """The /W array of a CIDFont as CID -> width."""
    widths, items, i = {}, list(array), 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], list):  # pypdf's and pydyf's arrays are lists
            widths.update((first + n, round(float(w))) for n, w in enumerate(items[i + 1]))
            i += 2
        else:
            widths.update((cid, round(float(items[i + 2])))
                          for cid in range(first, int(items[i + 1]) + 1))
            i += 3
    return widths


def _texts(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap as CID -> text (bfchar entries and one-destination bfranges)."""
    texts = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for cid, text in _BFCHAR.findall(block):
            texts[int(cid, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, text in _BFRANGE.findall(block):
            start = int.from_bytes(bytes.fromhex(text.decode()), "big")
            for n, cid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                texts[cid] = chr(start + n) if start + n < 0x110000 else ""
    return texts


def _layout_fonts(template: Template) -> list[_LayoutFont]:
    """The layout's fonts cut from a packaged face (read once per template)."""
    if template in _LAYOUT_FONTS:
        return _LAYOUT_FONTS[template]
    found, seen = [], set()
    local = template._local  # the template's numbering, same package
    for page in template.pages:
        font_dict = page.resources.get("/Font") or {}
        for ref in font_dict.values():
            if ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            type0 = ref.get_object()
            cid_ref = type0["/DescendantFonts"][0]
            cid = cid_ref.get_object()
            # raw_get: the references themselves (a dictionary's [] resolves them)
            descriptor_ref = cid.raw_get("/FontDescriptor")
            descriptor = descriptor_ref.get_object()
            program_ref = descriptor.raw_get("/FontFile2") if "/FontFile2" in descriptor else None
            file = _FACES.get(str(type0["/BaseFont"]).split("+", 1)[-1])
            if (program_ref is None or file is None or "/ToUnicode" not in type0
                    or str(cid.get("/CIDToGIDMap")) != "/Identity"):
                continue  # left as it is
            to_unicode = type0.raw_get("/ToUnicode")
            face = fonts.face_file(file)
            widths = _widths(cid.get("/W", []))
            texts = _texts(to_unicode.get_object().get_data())
            # The code alphabet (references, sign-up codes) always: a letter then rarely
            # adds a glyph of its own.
            for style, stack in fonts.STACKS.items():
                if stack[0] == file:
                    for gid, text in fonts.stock(style, STOCK).used.items():
                        widths.setdefault(gid, face.advances[gid])
                        texts.setdefault(gid, text)
            found.append(_LayoutFont(
                local[ref.idnum], local[cid_ref.idnum], local[descriptor_ref.idnum],
                local[program_ref.idnum], local[to_unicode.idnum], face, widths, texts,
                codes={gid: code for code, gid in enumerate(sorted(widths), start=1)}
                if len(widths) < 256 else None))
    _LAYOUT_FONTS[template] = found
    return found


def _merged_objects(base: int, font: _LayoutFont, own: list[fonts.SubsetFont],
                    cid_to_gid: int, cmap: int | None = None):
    """The objects of one font for a layout font and the letter's own subsets of its face,
    under the layout font's numbers (and `cid_to_gid`, a new one), and the one-byte code of
    each glyph when written with the CMap `cmap` (fonts.ONE_BYTE), else None."""
    added = {gid: text for subset in own for gid, text in subset.used.items()
             if gid not in font.widths}
    key = (base, cid_to_gid, cmap, frozenset(added))
    if key not in font.merged:
        if len(font.merged) >= _MERGED_KEPT:
            font.merged.clear()
        font.merged[key] = _font_objects(base, font, added, cid_to_gid, cmap)
    return font.merged[key]


def _letter_codes(font: _LayoutFont, added) -> dict[int, int] | None:
    """The one-byte codes of a layout font with the glyphs a letter adds (after the
    layout's own, in the order of their ids); None when they pass 255."""
    if font.codes is None or len(font.codes) + len(added) > 255:
        return None
    codes = dict(font.codes)
    codes.update((gid, len(font.codes) + n) for n, gid in enumerate(sorted(added), start=1))
    return codes


def _font_objects(base: int, font: _LayoutFont, added: dict[int, str],
                  cid_to_gid: int, cmap: int | None = None):
    face = font.face
    widths, texts = dict(font.widths), dict(font.texts)
    for gid, text in added.items():
        widths[gid] = face.advances[gid]
        if text:
            texts.setdefault(gid, text)
    program, new_ids = face.compact_subset(set(widths))
    codes = _letter_codes(font, added) if cmap is not None else None
    if codes is not None:  # one byte a glyph: CID = code, mapped to the glyph's new id
        encoding = b"%d 0 R" % cmap
        mapping = bytearray(2 * (max(codes.values()) + 1))
        for gid, code in codes.items():
            mapping[2 * code:2 * code + 2] = new_ids[gid].to_bytes(2, "big")
        identity = all(codes[gid] == new_ids[gid] for gid in codes)
        w = _w_array({codes[gid]: width for gid, width in widths.items()})
        cmap_data = fonts._to_unicode({codes[gid]: text for gid, text in texts.items()},
                                      width=1)
    else:
        encoding, identity = b"/Identity-H", False
        mapping = bytearray(2 * (max(widths, default=0) + 1))
        for gid in widths:
            mapping[2 * gid:2 * gid + 2] = new_ids[gid].to_bytes(2, "big")
        w = _w_array(widths)
        cmap_data = fonts._to_unicode(texts)
    name = f"{subset_tag(program, face.postscript)}+{face.postscript}".encode()
    type0, cid, descriptor = base + font.type0, base + font.cid, base + font.descriptor
    file2, to_unicode = base + font.program, base + font.to_unicode
    objects = {
        type0: plain_object(type0, b"<</Type /Font /Subtype /Type0 /BaseFont /%s "
                                   b"/Encoding %s /DescendantFonts [%d 0 R] "
                                   b"/ToUnicode %d 0 R>>" % (name, encoding, cid, to_unicode)),
        cid: plain_object(cid, b"<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
                               b"/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) "
                               b"/Supplement 0>> /FontDescriptor %d 0 R /W [%s] "
                               b"/CIDToGIDMap %s>>" % (
                                   name, descriptor, w,
                                   b"/Identity" if identity else b"%d 0 R" % cid_to_gid)),
        descriptor: plain_object(descriptor, b"<</Type /FontDescriptor /FontName /%s %s"
                                             b"/FontFile2 %d 0 R>>" % (name, face.descriptor,
                                                                       file2)),
        # Level 9: written once per layout and set of added glyphs, kept in every letter.
        file2: deflated_stream(file2, zlib.compress(program, 9), b"/Length1 %d " % len(program)),
        to_unicode: deflated_stream(to_unicode, zlib.compress(cmap_data, 9)),
    }
    if not identity:
        objects[cid_to_gid] = deflated_stream(cid_to_gid, zlib.compress(bytes(mapping), 9))
    return objects, codes


def _w_array(widths: dict[int, int]) -> bytes:
    """A CIDFont's /W array, glyphs that follow each other in one run: "19 [636 636]"."""
    runs: list[list[int]] = []
    for cid in sorted(widths):
        if runs and cid == runs[-1][0] + len(runs[-1]) - 1:
            runs[-1].append(widths[cid])
        else:
            runs.append([cid, widths[cid]])
    return b" ".join(b"%d [%s]" % (run[0], b" ".join(b"%d" % w for w in run[1:]))
                     for run in runs)


def letter_pdf(parts: LetterParts) -> bytes:
    """One recipient's letter as a PDF of its own, as archived and served. Its text is
    written with one-byte glyph codes (fonts.ONE_BYTE) wherever its fonts allow."""
    variant = parts.variant
    template = variant.template
    out = BytesIO()
    writer = CompactWriter(out)
    # The letter's own subsets are written as part of the layout's font of the same face.
    layout_fonts = _layout_fonts(template) if isinstance(template, Template) else []
    owns = [[subset for subset in parts.fonts.values() if subset.face is font.face]
            for font in layout_fonts]
    chunk = _one_byte_chunk(template, layout_fonts) if layout_fonts and all(
        _letter_codes(font, {gid for subset in own for gid in subset.used
                             if gid not in font.widths}) is not None
        for font, own in zip(layout_fonts, owns, strict=True)) else None
    writer.chunk(*(chunk or template.chunk(0)))
    numbers = Numbers(template.count + 1)
    file = File(numbers)
    cmap = None
    if chunk is not None:
        cmap = numbers.take()
        writer.add(cmap, stream_object(cmap, fonts.ONE_BYTE, fonts.ONE_BYTE_DICT, level=9))
    shared: dict[bytes, int] = {}
    codes_by_name: dict[bytes, dict[int, int]] = {}
    for font, own in zip(layout_fonts, owns, strict=True):
        objects, codes = _merged_objects(0, font, own, numbers.take(), cmap)
        for num, data in objects.items():
            writer.add(num, data)
        shared.update((subset.name, font.type0) for subset in own)
        if codes is not None:
            codes_by_name.update((name.encode(), codes) for name, subset in parts.fonts.items()
                                 if subset.face is font.face)
    recode = None
    if codes_by_name:
        def recode(overlay: bytes) -> bytes:
            text = _recoded(zlib.decompress(overlay), codes_by_name)
            if text is None:
                raise ValueError("an overlay prints a glyph its font's codes lack")
            return zlib.compress(text, 6)
    written = write_parts(writer, parts, 0, numbers, file, shared, recode)
    _close(writer, numbers, file, [written], variant.title, variant.languages[0],
           parts.personal.seed.encode() + secrets.token_bytes(8))
    return out.getvalue()


_ONE_BYTE_CHUNKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_OPS = re.compile(rb"/([^\s/\[\]()<>{}%]+) [-\d.]+ Tf|\[[^\]]*\]\s*TJ|<[0-9a-fA-F]*>\s*Tj")
_STREAM_HEAD = re.compile(rb"(\d+) 0 obj\n<</Filter /FlateDecode\s*/Length (\d+)>>\nstream\n")


def _one_byte_chunk(template: Template, layout_fonts: list[_LayoutFont]):
    """The layout's objects with its pages' text in one-byte glyph codes (written once per
    layout), or None when a page prints a glyph the codes lack."""
    if template in _ONE_BYTE_CHUNKS:
        return _ONE_BYTE_CHUNKS[template]
    by_type0 = {font.type0: font.codes for font in layout_fonts}
    names: dict[bytes, dict[int, int]] = {}
    for page in template.pages:
        for name, ref in (page.resources.get("/Font") or {}).items():
            codes = by_type0.get(template._local.get(getattr(ref, "idnum", None)))
            if codes is not None:
                names[name[1:].encode()] = codes
    contents = {num for page in template.pages for num in page.contents}
    data, entries = template.chunk(0)
    ends = [offset for _num, offset in entries[1:]] + [len(data)]
    pieces, new_entries, position, result = [], [], 0, None
    for (num, offset), end in zip(entries, ends, strict=True):
        obj = data[offset:end]
        if num in contents:
            head = _STREAM_HEAD.match(obj)
            if head is None:
                break
            start = head.end()
            text = _recoded(zlib.decompress(obj[start:start + int(head.group(2))]), names)
            if text is None:
                break
            obj = deflated_stream(num, zlib.compress(text, 9))
        new_entries.append((num, position))
        pieces.append(obj)
        position += len(obj)
    else:
        result = (b"".join(pieces), tuple(new_entries))
    _ONE_BYTE_CHUNKS[template] = result
    return result


def _recoded(content: bytes, names: dict[bytes, dict[int, int]]) -> bytes | None:
    """A content stream with the glyph strings of the fonts in `names` (resource name ->
    one-byte code of each CID) in one byte a glyph; None when a glyph has no code."""
    out, position, current = [], 0, None
    for match in _OPS.finditer(content):
        if match.group(1) is not None:
            current = names.get(match.group(1))
            continue
        if current is None:
            continue
        try:
            text = _HEX.sub(lambda m, c=current: _literal(bytes(
                c[int(m.group(1)[i:i + 4], 16)] for i in range(0, len(m.group(1)), 4))),
                match.group(0))
        except KeyError:
            return None
        out += [content[position:match.start()], text]
        position = match.end()
    out.append(content[position:])
    return b"".join(out)


def compact_font_programs(pdf, resolve) -> None:
    """In a WeasyPrint PDF (pydyf objects; `resolve` turns a reference into its object):
    each embedded subset of a packaged face becomes a renumbered subset of the same glyphs.
    A subset of at most 256 glyphs gets one-byte codes (fonts.ONE_BYTE: each glyph's code
    its new number, its CID too), its text and widths renumbered alike; a larger one keeps
    its CIDs with a CIDToGIDMap. Either way every glyph prints as before."""
    groups: dict[int, list] = {}
    for obj in list(pdf.objects):
        if not (isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/CIDFontType2"
                and obj.get("CIDToGIDMap") == "/Identity"):
            continue
        descriptor = resolve(obj["FontDescriptor"])
        program = resolve(descriptor["FontFile2"]) if "FontFile2" in descriptor else None
        if isinstance(program, pydyf.Stream):
            groups.setdefault(id(program), [program]).append(obj)
    recoded: dict[int, dict[int, int]] = {}  # id of a CIDFont -> new code of each CID
    mapped: list[tuple[list, set[int], dict[int, int]]] = []  # (CIDFonts, gids, new ids)
    for program, *cid_fonts in groups.values():
        names = [font["BaseFont"] for font in cid_fonts]
        files = {_FACES.get((name.decode() if isinstance(name, bytes) else str(name))
                            .split("+", 1)[-1]) for name in names}
        if len(files) != 1 or None in files:
            continue  # not one packaged face: left as it is
        face = fonts.face_file(files.pop())
        gids: set[int] = set()
        for font in cid_fonts:
            gids |= set(_widths(font.get("W", [])))
        data, new_ids = face.compact_subset(gids)
        program.stream = [data]
        program.extra["Length1"] = len(data)
        mapped.append((cid_fonts, gids, new_ids))
        if max(new_ids.values(), default=0) < 256:
            for font in cid_fonts:
                recoded[id(font)] = {gid: new_ids[gid] for gid in gids}
    type0s = {}
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Type0":
            type0s[id(obj)] = (obj, resolve(obj["DescendantFonts"][0]))
    codes = {key: recoded[id(cid)] for key, (_type0, cid) in type0s.items()
             if id(cid) in recoded}
    if codes and _recode_text(pdf, resolve, codes):
        cmap = pydyf.Stream([fonts.ONE_BYTE], compress=True)
        cmap.extra.update(Type="/CMap", CMapName="/" + fonts.ONE_BYTE_NAME, WMode=0,
                          CIDSystemInfo=pydyf.Dictionary({
                              "Registry": pydyf.String("Adobe"),
                              "Ordering": pydyf.String("Identity"), "Supplement": 0}))
        pdf.add_object(cmap)
        for key, recode in codes.items():
            type0, cid = type0s[key]
            type0["Encoding"] = cmap.reference
            cid["W"] = pydyf.Array(_w_items(
                {recode[gid]: width for gid, width in _widths(cid.get("W", [])).items()}))
    else:
        codes = {}
    done = {id(cid) for key, (_type0, cid) in type0s.items() if key in codes}
    for cid_fonts, gids, new_ids in mapped:
        if all(id(font) in done for font in cid_fonts):
            continue  # CIDs renumbered: the CIDToGIDMap stays /Identity
        mapping = bytearray(2 * (max(gids, default=0) + 1))
        for gid in gids:
            mapping[2 * gid:2 * gid + 2] = new_ids[gid].to_bytes(2, "big")
        cid_to_gid = pydyf.Stream([bytes(mapping)], compress=True)
        pdf.add_object(cid_to_gid)
        for font in cid_fonts:
            font["CIDToGIDMap"] = cid_to_gid.reference
    _compact_to_unicode(pdf, resolve, codes)


_HEX = re.compile(rb"<([0-9a-fA-F]*)>")
_TF = re.compile(rb"/(\S+) [-\d.]+ Tf$")


def _recode_text(pdf, resolve, codes: dict[int, dict[int, int]]) -> bool:
    """The glyph strings drawn with the fonts in `codes` (id of a Type0 font -> new code of
    each CID) written again with one byte a glyph. False, and nothing changed, when a string
    holds a glyph a font's codes lack."""
    by_name = {}
    for obj in pdf.objects:
        resources = obj.extra.get("Resources") if isinstance(obj, pydyf.Stream) else (
            obj.get("Resources") if isinstance(obj, dict) else None)
        resources = resolve(resources) if resources is not None else None
        font_dict = resources.get("Font") if isinstance(resources, dict) else None
        font_dict = resolve(font_dict) if font_dict is not None else None
        for name, ref in (font_dict or {}).items():
            by_name[name.encode() if isinstance(name, str) else name] = id(resolve(ref))
    changes = []
    for obj in pdf.objects:
        items = getattr(obj, "stream", None)
        if not isinstance(obj, pydyf.Stream) or not isinstance(items, list):
            continue
        current = None
        for n, item in enumerate(items):
            if not isinstance(item, bytes):
                continue
            if item.endswith(b" Tf") and (match := _TF.search(item)):
                current = codes.get(by_name.get(match.group(1)))
            elif current is not None and (item.endswith(b"TJ") or item.endswith(b"Tj")):
                try:
                    changes.append((items, n, _HEX.sub(
                        lambda m, c=current: _literal(bytes(
                            c[int(m.group(1)[i:i + 4], 16)]
                            for i in range(0, len(m.group(1)), 4))), item)))
                except KeyError:
                    return False
    for items, n, item in changes:
        items[n] = item
    return True


def _literal(data: bytes) -> bytes:
    """A literal string of these bytes, its delimiters and line ends escaped."""
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(
        b")", b"\\)").replace(b"\r", b"\\r").replace(b"\n", b"\\n") + b")"


def _w_items(widths: dict[int, int]) -> list:
    """A /W array as pydyf items: first CID, then the widths of the run from it."""
    items: list = []
    for cid in sorted(widths):
        if items and cid == items[-2] + len(items[-1]):
            items[-1].append(widths[cid])
        else:
            items.extend([cid, pydyf.Array([widths[cid]])])
    return items


def _compact_to_unicode(pdf, resolve, codes: dict[int, dict[int, int]]) -> None:
    """Each ToUnicode CMap of a WeasyPrint PDF (one entry per glyph) written again with
    ranges where glyphs and characters follow each other: the same texts, fewer bytes; keyed
    by the one-byte codes of the fonts in `codes` (id of a Type0 font -> code of each CID)."""
    for obj in list(pdf.objects):
        if not (isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Type0"
                and "ToUnicode" in obj):
            continue
        cmap = resolve(obj["ToUnicode"])
        items = getattr(cmap, "stream", None)
        if not isinstance(items, list) or not all(isinstance(i, bytes) for i in items):
            continue
        texts = _texts(b"\n".join(items))
        recode = codes.get(id(obj))
        if recode is not None:
            cmap.stream = [fonts._to_unicode(
                {recode[cid]: text for cid, text in texts.items() if cid in recode}, width=1)]
        elif texts:
            cmap.stream = [fonts._to_unicode(texts)]
