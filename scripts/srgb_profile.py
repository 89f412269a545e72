"""Writes portal/static/letters/srgb.icc: the sRGB colour space (IEC 61966-2-1) as a
588-byte ICC profile, the output intent of every archived letter (PDF/A).

Little CMS's built-in sRGB (its primaries, D65 white adapted to D50, the sRGB curve as a
parametric curve), made with Pillow's binding and fixed so the file is reproducible: ICC
version 4.2 (the version PDF 1.7 and so PDF/A-2 refer to; every tag it holds exists
there), a fixed creation date and no primary platform. The profile WeasyPrint ships
(sRGB2014.icc, 3 kB) describes the same space with a 2 kB lookup curve.

    python scripts/srgb_profile.py
"""
from __future__ import annotations

from pathlib import Path

from PIL import ImageCms

OUT = Path(__file__).resolve().parent.parent / "portal" / "static" / "letters" / "srgb.icc"


def profile() -> bytes:
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    assert data[36:40] == b"acsp" and data[12:20] == b"mntrRGB "
    data[8:12] = bytes((4, 0x20, 0, 0))                  # version 4.2.0
    data[24:36] = bytes((0x07, 0xE8, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0))  # 2024-01-01 00:00:00
    data[40:44] = bytes(4)                               # no primary platform
    data[84:100] = bytes(16)                             # no profile ID (not computed)
    return bytes(data)


if __name__ == "__main__":
    OUT.write_bytes(profile())
    print(OUT, OUT.stat().st_size, "bytes")
