"""Every English catalogue is complete, keeps its placeholders, and its compiled .mo matches the .po."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rectify"
CATALOGUES = sorted(SRC.glob("**/locale/en/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def po_entries(text: str) -> list[dict[str, str]]:
    """Each entry after the header: {"msgctxt"?, "msgid", "msgid_plural"?, "msgstr" | "msgstr[n]", "flags"}."""
    entries = []
    for block in text.strip().split("\n\n")[1:]:
        fields: dict[str, list[str]] = {}
        flags: list[str] = []
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key].append(line)
            else:
                key, _sep, value = line.partition(" ")
                fields[key] = [value]
        entry = {k: "".join(ast.literal_eval(v) for v in values) for k, values in fields.items()}
        entry["flags"] = ",".join(flags)
        entries.append(entry)
    return entries


def test_every_app_with_pages_has_a_catalogue() -> None:
    names = {path.parents[3].name for path in CATALOGUES}
    assert {"rectify", "ledger", "inspections", "supervision", "reports", "spreadsheets", "api",
            "organizations"} <= names


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parents[3].name)
def test_catalogue_is_complete_and_compiled(po: Path) -> None:
    entries = po_entries(po.read_text(encoding="utf-8"))
    assert entries
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in entries:
        msgid, context = entry["msgid"], entry.get("msgctxt")
        assert "fuzzy" not in entry["flags"], msgid
        if "msgid_plural" in entry:
            forms = [entry["msgstr[0]"], entry["msgstr[1]"]]
            assert all(form.strip() for form in forms), msgid
            for count, form in ((1, forms[0]), (2, forms[1])):
                got = (compiled.npgettext(context, msgid, entry["msgid_plural"], count) if context
                       else compiled.ngettext(msgid, entry["msgid_plural"], count))
                assert got == form, msgid
            continue
        msgstr = entry["msgstr"]
        assert msgstr.strip(), msgid
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid
        # The .mo is compiled from this .po: every translation is in it.
        assert (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) == msgstr, msgid


def test_every_message_of_the_notice_library_has_its_english() -> None:
    from django.utils import translation

    templates = [
        node.args[0].value
        for path in sorted((SRC / "notice").glob("**/*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop"
        and node.args and isinstance(node.args[0], ast.Constant)
    ]
    with translation.override("en"):
        missing = [template for template in templates if translation.gettext(template) == template]
    assert len(templates) > 20 and not missing
