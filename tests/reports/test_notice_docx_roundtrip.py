"""A generated .docx notice parsed back gives the same findings tree, figures and contact (DESIGN.md)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from rectify.notice.numerals import fold_width
from rectify.reports.notice_docx import render_notice_docx

parser = pytest.importorskip("rectify.notice.parser")


def folded_labels(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The .docx writes the ladder's labels full-width, （一）, where a web page may have had (一).
    return [{**n, "label": fold_width(n["label"]), "children": folded_labels(n["children"])} for n in nodes]


@pytest.mark.parametrize(
    "seed",
    [
        "quanguo-zhengxie-2021",
        "shandong-renfangban-2021",
        "shandong-tongzhanbu-2021",
        "xilinguole-tongzhanbu-2022",
        "zaozhuang-zhengxie-2026",
    ],
)
def test_seed_notice_survives_docx_and_back(seeds: Path, seed: str):
    original = parser.parse((seeds / f"{seed}.txt").read_text(encoding="utf-8"))
    document = Document(io.BytesIO(render_notice_docx(original)))
    again = parser.parse("\n".join(p.text for p in document.paragraphs))

    assert folded_labels(again.to_dict()["findings"]) == folded_labels(original.to_dict()["findings"])
    assert sorted(f.text for f in again.figures) == sorted(f.text for f in original.figures)
    assert again.contact == original.contact
    for field in (
        "unit",
        "inspector",
        "kind",
        "term",
        "round",
        "group",
        "type",
        "onsite_start",
        "onsite_end",
    ):
        assert getattr(again, field) == getattr(original, field), field
    assert (again.feedback_date, again.published) == (original.feedback_date, original.published)
