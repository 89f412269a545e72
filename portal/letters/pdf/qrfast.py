"""QR codes for a letter run, fast: every code of a run is the same URL with a different
code at the same place, and QR encoding with a fixed version, mode and mask is affine over
GF(2) (Reed-Solomon is linear, placement a permutation, the mask an XOR). So a run computes
with segno, once, the symbol of the URL with a zero code and what flipping each bit of the
code changes; a recipient's symbol is then a few dozen XORs of Python integers.
tests/letters/test_qr.py checks the result against segno for random codes.
"""
from __future__ import annotations

import re
from functools import cache

import segno

ERROR, MASK = "m", 2
_RUN = re.compile(b"1+")


def symbol(data: bytes, version: int | None = None):
    """segno's symbol with the parameters every letter uses."""
    return segno.make(data, error=ERROR, micro=False, boost_error=False, mask=MASK,
                      mode="byte", version=version)


def _bits(matrix) -> int:
    return int("".join("1" if cell else "0" for row in matrix for cell in row), 2)


class Encoder:
    """Symbols of `prefix + code + suffix` for codes of one length."""

    def __init__(self, prefix: bytes, length: int, suffix: bytes = b""):
        self.prefix, self.length, self.suffix = prefix, length, suffix
        zero = prefix + b"\0" * length + suffix
        sample = symbol(zero)
        self.version = sample.version
        self.size = len(sample.matrix)
        self.base = _bits(sample.matrix)
        self.delta = []
        for byte in range(length):
            for bit in range(8):
                data = bytearray(zero)
                data[len(prefix) + byte] = 1 << (7 - bit)
                self.delta.append(_bits(symbol(bytes(data), self.version).matrix) ^ self.base)

    def bits(self, code: bytes) -> int:
        value = self.base
        for byte_index, byte in enumerate(code):
            while byte:
                low = byte & -byte
                value ^= self.delta[byte_index * 8 + 7 - low.bit_length() + 1]
                byte ^= low
        return value

    def rows(self, code: bytes) -> list[bytes]:
        n = self.size
        flat = format(self.bits(code), f"0{n * n}b").encode()
        return [flat[i:i + n] for i in range(0, n * n, n)]

    def packed(self, code: bytes) -> bytes:
        """The symbol as a 1-bit image, a row per line, each row padded to whole bytes."""
        return pack(self.bits(code), self.size)

    def runs(self, code: bytes) -> list[tuple[int, int, int]]:
        """(row, first column, length) of every horizontal run of dark modules."""
        return [(r, m.start(), m.end() - m.start())
                for r, row in enumerate(self.rows(code)) for m in _RUN.finditer(row)]


def pack(value: int, n: int) -> bytes:
    """Rows of an n x n bit matrix (as one integer, first module highest) as image bytes."""
    width = (n + 7) // 8
    pad = width * 8 - n
    mask = (1 << n) - 1
    return b"".join((((value >> ((n - 1 - r) * n)) & mask) << pad).to_bytes(width, "big")
                    for r in range(n))


def matrix_bits(matrix) -> int:
    return _bits(matrix)


@cache
def encoder(prefix: bytes, length: int, suffix: bytes = b"") -> Encoder:
    return Encoder(prefix, length, suffix)
