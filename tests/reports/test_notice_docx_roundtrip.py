"""A generated .docx notice parsed back gives the same findings tree, figures and contact (DESIGN.md)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from rectify.notice.numerals import fold_width
from rectify.reports.notice_sections import notice_content
from rectify.reports.rendering import render_docx

parser = pytest.importorskip("rectify.notice.parser")


def folded_labels(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The .docx writes Chinese punctuation full-width, （一）and ，, where a web page may have had (一) and ,.
    return [{**n, "label": fold_width(n["label"]), "title": fold_width(n["title"]), "text": fold_width(n["text"]),
             "measures": [fold_width(m) for m in n["measures"]], "children": folded_labels(n["children"])}
            for n in nodes]


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
    document = Document(io.BytesIO(render_docx(notice_content(original, basics=[], steps=[]))))
    again = parser.parse("\n".join(p.text for p in document.paragraphs))

    assert folded_labels(again.to_dict()["findings"]) == folded_labels(original.to_dict()["findings"])
    assert sorted(fold_width(f.text) for f in again.figures) == sorted(fold_width(f.text) for f in original.figures)
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
