"""One zip guard: evidence uploads, the notice reader and the ledger reader give the same verdict."""

from __future__ import annotations

import io
import random
import zipfile

import docx
import pytest

from rectify.errors import ValidationFailed
from rectify.ledger.filetypes import DOCX, sniff
from rectify.notice import NoticeError, read_file
from rectify.rules.zipguard import ZipRefused, open_archive
from rectify.spreadsheets import LedgerFileError, read_ledger


def _docx(paragraphs: list[str], extra: dict[str, bytes]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def _report_with_pictures() -> bytes:
    """A 720 KB notice: a few pages of text and pictures that do not compress."""
    rng = random.Random(7)
    words = "巡视 整改 落实 问题 措施 制度 责任 党组 推进 完成 督查 台账 建立 健全 机制".split()
    paragraphs = ["中共某某局党组关于巡视整改进展情况的通报"] + [
        "".join(rng.choice(words) for _ in range(60)) + "。" for _ in range(300)
    ]
    return _docx(paragraphs, {"word/media/image1.png": rng.randbytes(700 * 1024)})


def _bomb() -> bytes:
    """A member that unpacks to 8 MB from a few kilobytes."""
    return _docx(["巡视整改"], {"word/media/filler.xml": b"<x>" + b"0" * (8 * 1024 * 1024) + b"</x>"})


def test_a_720_kb_report_is_taken_as_evidence_and_read_as_a_notice() -> None:
    data = _report_with_pictures()
    assert 600 * 1024 < len(data) < 900 * 1024
    assert sniff(data, "通报.docx") == DOCX
    assert read_file(data, "通报.docx").startswith("中共某某局党组")
    with pytest.raises(LedgerFileError, match="Word 文档"):
        read_ledger(data, "通报.docx")  # refused for what it is, not as a bomb


def test_a_bomb_is_refused_by_every_reader() -> None:
    data = _bomb()
    with pytest.raises(ZipRefused) as refused:
        open_archive(data)
    assert refused.value.reason == "ratio" and refused.value.member == "word/media/filler.xml"
    with pytest.raises(ValidationFailed, match="压缩炸弹"):
        sniff(data, "证据.docx")
    with pytest.raises(NoticeError, match="压缩炸弹"):
        read_file(data, "通报.docx")
    with pytest.raises(LedgerFileError, match="压缩炸弹"):
        read_ledger(data, "台账.xlsx")


def test_a_broken_container_is_refused_by_every_reader() -> None:
    data = b"PK\x03\x04" + b"\x00" * 64
    with pytest.raises(ValidationFailed, match="已损坏"):
        sniff(data, "证据.docx")
    with pytest.raises(NoticeError, match="无法打开"):
        read_file(data, "通报.docx")
    with pytest.raises(LedgerFileError, match="无法打开"):
        read_ledger(data, "台账.xlsx")
