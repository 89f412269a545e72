"""A TrueType font subset drawn on a coarser grid: its outlines, metrics and bounding boxes
in fewer units to the em, written straight from and to the font's bytes.

It does what fontTools' scale_upem does for the tables a letter's font subset keeps (glyf,
loca, head, hhea, hmtx, maxp, post; see fonts._COMPACT_DROP_TAGS), point for point the
same (tests/letters/test_font_grid.py compares them), in a few milliseconds instead of
tens: every full render scales its own subsets.
"""
from __future__ import annotations

import math
import struct

_ON_CURVE, _X_SHORT, _Y_SHORT, _REPEAT, _X_SAME, _Y_SAME = 1, 2, 4, 8, 16, 32
_OVERLAP = 64
# Composite glyph flags (OpenType glyf table)
_WORDS, _XY_VALUES, _SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO, _INSTRUCTIONS = (
    0x1, 0x2, 0x8, 0x20, 0x40, 0x80, 0x100)
_KEPT = {b"glyf", b"loca", b"head", b"hhea", b"hmtx", b"maxp", b"post"}


def ot_round(value: float) -> int:
    """fontTools' otRound: halves round up."""
    return math.floor(value + 0.5)


def scaled(data: bytes, upem: int) -> bytes | None:
    """The font `data` on a grid of `upem` units to the em; None when it holds a table
    this does not know how to scale (the caller then scales it another way) or is on a
    grid as fine already."""
    num_tables = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for i in range(num_tables):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = data[offset:offset + length]
    if not set(tables) <= _KEPT or not {b"glyf", b"loca", b"head", b"hhea", b"hmtx",
                                         b"maxp"} <= set(tables):
        return None
    head = bytearray(tables[b"head"])
    old = struct.unpack_from(">H", head, 18)[0]
    if old <= upem:
        return None
    k = upem / old
    long_loca = struct.unpack_from(">h", head, 50)[0] == 1
    count = struct.unpack_from(">H", tables[b"maxp"], 4)[0]
    loca = tables[b"loca"]
    offsets = (struct.unpack_from(f">{count + 1}I", loca) if long_loca else
               [2 * o for o in struct.unpack_from(f">{count + 1}H", loca)])
    glyf = tables[b"glyf"]
    glyphs, new_offsets, position = [], [], 0
    for gid in range(count):
        new_offsets.append(position)
        piece = glyf[offsets[gid]:offsets[gid + 1]]
        if piece:
            piece = _glyph(piece, k)
            piece += b"\0" * (len(piece) % 2)  # even offsets: loca in short form
        glyphs.append(piece)
        position += len(piece)
    new_offsets.append(position)
    tables[b"glyf"] = b"".join(glyphs)
    short = position < 0x20000
    tables[b"loca"] = (struct.pack(f">{count + 1}H", *(o // 2 for o in new_offsets)) if short
                       else struct.pack(f">{count + 1}I", *new_offsets))
    struct.pack_into(">H", head, 18, upem)
    struct.pack_into(">4h", head, 36, *(ot_round(v * k)
                                         for v in struct.unpack_from(">4h", head, 36)))
    struct.pack_into(">h", head, 50, 0 if short else 1)  # loca's offsets, short or long
    struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set below
    tables[b"head"] = bytes(head)
    hhea = bytearray(tables[b"hhea"])
    ascent, descent, gap, advance_max, min_lsb, min_rsb, x_max = struct.unpack_from(
        ">hhhHhhh", hhea, 4)
    struct.pack_into(">hhhHhhh", hhea, 4, *(ot_round(v * k) for v in (
        ascent, descent, gap, advance_max, min_lsb, min_rsb, x_max)))
    metrics = struct.unpack_from(">H", hhea, 34)[0]
    tables[b"hhea"] = bytes(hhea)
    hmtx = tables[b"hmtx"]
    longs = struct.unpack_from(">" + "Hh" * metrics, hmtx)
    rest = (len(hmtx) - 4 * metrics) // 2
    shorts = struct.unpack_from(f">{rest}h", hmtx, 4 * metrics)
    tables[b"hmtx"] = (struct.pack(">" + "Hh" * metrics, *(ot_round(v * k) for v in longs))
                       + struct.pack(f">{rest}h", *(ot_round(v * k) for v in shorts)))
    if b"post" in tables:
        post = bytearray(tables[b"post"])
        struct.pack_into(">hh", post, 8, *(ot_round(v * k)
                                           for v in struct.unpack_from(">hh", post, 8)))
        tables[b"post"] = bytes(post)
    return _font(tables)


def _glyph(piece: bytes, k: float) -> bytes:
    contours = struct.unpack_from(">h", piece)[0]
    if contours < 0:
        return _composite(piece, k)
    if contours == 0:
        return piece
    ends = struct.unpack_from(f">{contours}H", piece, 10)
    points = ends[-1] + 1
    at = 10 + 2 * contours
    instructions = struct.unpack_from(">H", piece, at)[0]
    at += 2 + instructions
    flags = []
    while len(flags) < points:
        flag = piece[at]
        at += 1
        flags.append(flag)
        if flag & _REPEAT:
            flags.extend([flag] * piece[at])
            at += 1
    xs, at = _coordinates(piece, at, flags, _X_SHORT, _X_SAME)
    ys, at = _coordinates(piece, at, flags, _Y_SHORT, _Y_SAME)
    xs = [ot_round(x * k) for x in xs]
    ys = [ot_round(y * k) for y in ys]
    out = bytearray(struct.pack(">h4h", contours, min(xs), min(ys), max(xs), max(ys)))
    out += struct.pack(f">{contours}H", *ends) + struct.pack(">H", 0)
    flag_bytes, x_bytes, y_bytes = bytearray(), bytearray(), bytearray()
    last_x = last_y = 0
    for i in range(points):
        flag = flags[i] & (_ON_CURVE | (_OVERLAP if i == 0 else 0))
        dx, dy = xs[i] - last_x, ys[i] - last_y
        last_x, last_y = xs[i], ys[i]
        flag, x_bytes = _encode(dx, flag, x_bytes, _X_SHORT, _X_SAME)
        flag, y_bytes = _encode(dy, flag, y_bytes, _Y_SHORT, _Y_SAME)
        flag_bytes.append(flag)
    return bytes(out + _repeat(flag_bytes) + x_bytes + y_bytes)


def _coordinates(piece: bytes, at: int, flags: list[int], short: int, same: int):
    values, value = [], 0
    for flag in flags:
        if flag & short:
            delta = piece[at]
            at += 1
            value += delta if flag & same else -delta
        elif not flag & same:
            value += struct.unpack_from(">h", piece, at)[0]
            at += 2
        values.append(value)
    return values, at


def _encode(delta: int, flag: int, out: bytearray, short: int, same: int):
    if delta == 0:
        return flag | same, out
    if -255 <= delta <= 255:
        out.append(abs(delta))
        return flag | short | (same if delta > 0 else 0), out
    out += struct.pack(">h", delta)
    return flag, out


def _repeat(flags: bytearray) -> bytes:
    out, i = bytearray(), 0
    while i < len(flags):
        run = 1
        while i + run < len(flags) and flags[i + run] == flags[i] and run < 256:
            run += 1
        if run > 2:
            out += bytes((flags[i] | _REPEAT, run - 1))
        else:
            out += bytes(flags[i:i + run])
        i += run
    return bytes(out)


def _composite(piece: bytes, k: float) -> bytes:
    out = bytearray(piece[:10])
    bounds = struct.unpack_from(">4h", piece, 2)
    struct.pack_into(">4h", out, 2, *(ot_round(v * k) for v in bounds))
    at, more, instructions = 10, True, False
    while more:
        flags, gid = struct.unpack_from(">HH", piece, at)
        at += 4
        if flags & _WORDS:
            args = struct.unpack_from(">hh" if flags & _XY_VALUES else ">HH", piece, at)
            at += 4
        else:
            args = struct.unpack_from(">bb" if flags & _XY_VALUES else ">BB", piece, at)
            at += 2
        if flags & _XY_VALUES:
            args = tuple(ot_round(a * k) for a in args)
        transform_length = (8 if flags & _TWO_BY_TWO else 4 if flags & _XY_SCALE
                            else 2 if flags & _SCALE else 0)
        transform = piece[at:at + transform_length]
        at += transform_length
        if flags & _XY_VALUES and all(-128 <= a <= 127 for a in args):
            out += struct.pack(">HHbb", flags & ~_WORDS, gid, *args)
        else:
            out += struct.pack(">HH", flags | _WORDS, gid)
            out += struct.pack(">hh" if flags & _XY_VALUES else ">HH", *args)
        out += transform
        more = bool(flags & _MORE)
        instructions = instructions or bool(flags & _INSTRUCTIONS)
    if instructions:
        length = struct.unpack_from(">H", piece, at)[0]
        out += piece[at:at + 2 + length]
    return bytes(out)


def _font(tables: dict[bytes, bytes]) -> bytes:
    """An sfnt file of these tables, with checksums and the head's adjustment."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1,
                         count * 16 - power * 16)
    directory, body = bytearray(), bytearray()
    offset = 12 + 16 * count
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sIII", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    head_at = 12 + 16 * count + sum(len(tables[t]) + (-len(tables[t]) % 4)
                                    for t in tags[:tags.index(b"head")])
    struct.pack_into(">I", font, head_at + 8, adjustment)
    return bytes(font)


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF
