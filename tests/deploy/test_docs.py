"""The documentation the project ships agrees with itself and with the code it describes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rectify.notice.model import Contact, Figure, Node, Notice, Number

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_relative_link_in_the_docs_leads_to_a_file():
    for page in DOCS:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_the_readme_links_to_every_page_of_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        assert f"docs/{page.name}" in readme


def test_the_notice_json_example_has_exactly_the_contracts_keys():
    text = (ROOT / "docs" / "notice-json.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.S)[1])
    assert list(example) == list(Notice().to_dict())
    node = example["findings"][0]
    assert list(node) == list(Node(label="", title="").to_dict())
    assert list(node["children"][0]) == list(node)
    assert list(example["contact"]) == list(Contact().to_dict())
    figure = example["figures"][0]
    assert list(figure) == list(Figure(text="").to_dict())
    assert list(figure["numbers"][0]) == list(Number(value=1, unit="", what="").to_dict())
    assert Notice.from_dict(example).to_dict() == example


def test_the_readme_documents_only_variables_the_settings_read():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| variable |"):readme.index("## Deploying")]
    settings_py = (ROOT / "src" / "rectify" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:str|int|bool|list|secret)\("([A-Z_]+)"', settings_py))
    read |= {f"{name}_FILE" for name in re.findall(r'envsecret\("([A-Z_]+)"', settings_py)}
    for name in re.findall(r"`([A-Z][A-Z_]+)(?:_\*)?`", table):
        if name in {"RECTIFY_ENV_FILE", "WARNING"} or name == "RECTIFY_EMAIL":
            continue
        assert name in read, f"README documents {name}, which settings.py does not read"
