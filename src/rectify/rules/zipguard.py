"""One zip guard for every upload that is a zip container (.docx, .xlsx, .ods, .xlsb, .pptx, .ofd):
evidence files, notices and ledgers get the same verdict on the same file.

The declared sizes are checked before any member is decompressed: not too many members, none
encrypted, the whole not too large once unpacked, and no member that expands far beyond its
packed size (a zip bomb). Small members are never called a bomb, however well they compress:
XML of a few hundred kilobytes routinely packs 100 times.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

__all__ = ["ZipPolicy", "ZipRefused", "POLICY", "open_archive"]


@dataclass(frozen=True)
class ZipPolicy:
    max_members: int = 10_000
    max_unzipped_bytes: int = 300 * 1024 * 1024  # the sum of the members' declared sizes
    max_ratio: int = 200  # unpacked / packed, per member
    ratio_floor: int = 1024 * 1024  # members smaller than this unpacked are never a bomb


POLICY = ZipPolicy()


class ZipRefused(ValueError):
    """Why a container is refused. `reason` is one of "unreadable", "members", "encrypted", "total",
    "ratio"; `member`, `ratio` and `size` say more where they apply. Callers word the message."""

    def __init__(self, reason: str, *, member: str | None = None, ratio: float | None = None,
                 size: int | None = None) -> None:
        self.reason = reason
        self.member = member
        self.ratio = ratio
        self.size = size
        super().__init__(reason)


def open_archive(data: bytes, policy: ZipPolicy = POLICY) -> zipfile.ZipFile:
    """The container, opened once its declared sizes passed the policy; raises `ZipRefused`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ZipRefused("unreadable") from None
    if len(infos) > policy.max_members:
        raise ZipRefused("members", size=len(infos))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ZipRefused("encrypted", member=info.filename)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > policy.ratio_floor and ratio > policy.max_ratio:
            raise ZipRefused("ratio", member=info.filename, ratio=ratio, size=info.file_size)
    if total > policy.max_unzipped_bytes:
        raise ZipRefused("total", size=total)
    return archive
