"""Recognise an uploaded file's type from its content, never from its name."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from rectify.errors import ValidationFailed
from rectify.rules.zipguard import ZipRefused, open_archive


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str
    label: str


PDF = FileType("application/pdf", ".pdf", "PDF")
PNG = FileType("image/png", ".png", "PNG 图片")
JPEG = FileType("image/jpeg", ".jpg", "JPEG 图片")
GIF = FileType("image/gif", ".gif", "GIF 图片")
WEBP = FileType("image/webp", ".webp", "WebP 图片")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word 文档")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel 表格")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "PowerPoint 演示文稿")
OFD = FileType("application/ofd", ".ofd", "OFD 版式文件")
OLE = FileType("application/x-ole-storage", ".doc", "Office 97-2003 文档")
TEXT = FileType("text/plain", ".txt", "文本")

ZIP_MARKERS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX), ("OFD.xml", OFD))


def check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """Open a zip container after checking it cannot explode (zip bomb) when read: the one zip
    guard of `rectify.rules.zipguard`, as notices and ledgers use it."""
    try:
        return open_archive(data)
    except ZipRefused as refused:
        if refused.reason == "unreadable":
            raise ValidationFailed(_("文件 %(name)s 已损坏，无法打开") % {"name": name}, field="file") from None
        if refused.reason == "members":
            raise ValidationFailed(_("文件 %(name)s 包含的部件过多，已拒绝") % {"name": name}, field="file") from None
        if refused.reason == "encrypted":
            raise ValidationFailed(_("文件 %(name)s 已加密，请取消密码后再上传") % {"name": name}, field="file") from None
        raise ValidationFailed(_("文件 %(name)s 解压后过大（疑似压缩炸弹），已拒绝") % {"name": name}, field="file") from None


def sniff(data: bytes, name: str) -> FileType:
    """The type of `data` judged by its bytes; unsupported types raise ValidationFailed."""
    if not data:
        raise ValidationFailed(_("文件 %(name)s 是空文件") % {"name": name}, field="file")
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        names = set(check_zip(data, name).namelist())
        for marker, kind in ZIP_MARKERS:
            if marker in names:
                return kind
        raise ValidationFailed(_("文件 %(name)s 是压缩包，不支持上传压缩包") % {"name": name}, field="file")
    if b"\x00" not in data[:8192]:
        for encoding in ("utf-8", "gb18030"):
            try:
                data.decode(encoding)
                return TEXT
            except UnicodeDecodeError:
                continue
    raise ValidationFailed(
        _("文件 %(name)s 的类型不受支持（支持 PDF、图片、Word、Excel、PowerPoint、OFD、文本）") % {"name": name},
        field="file",
    )


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def clean_name(name: str, kind: FileType) -> str:
    """A display name safe for any file system and header: no paths, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    # Format characters (right-to-left overrides, zero-width joiners) can disguise an extension.
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    stem, dot, ext = name.rpartition(".")
    if not dot or f".{ext.lower()}" not in {kind.extension, ".jpeg", ".doc", ".xls", ".ppt", ".wps", ".et", ".text", ".csv", ".md"}:
        stem, ext = name, kind.extension.lstrip(".")
    return f"{stem[:100]}.{ext.lower()}"
