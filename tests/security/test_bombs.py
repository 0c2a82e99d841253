"""Zip bombs and huge sheets are refused before they exhaust memory. Each reader runs in a child
process under an address-space limit, which reports the peak memory it used on top of its start."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.security.conftest import REPO, subprocess_env

# Builds the hostile file streaming (a few MB in memory), then calls one reader on it.
PROBE = r"""
import io, json, resource, sys, zipfile
LIMIT = 1024 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))
which = sys.argv[1]

def bomb(base, member, head, tail, megabytes):
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info.filename, source.read(info.filename))
        entry = zipfile.ZipInfo(member)
        entry.compress_type = zipfile.ZIP_DEFLATED
        with target.open(entry, "w", force_zip64=True) as stream:
            stream.write(head)
            block = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                stream.write(block)
            stream.write(tail)
    return out.getvalue()

def docx_base():
    import docx
    document = docx.Document()
    document.add_paragraph("text")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

def xlsx_base(rows=1):
    import xlsxwriter
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r in range(rows):
        sheet.write_row(r, 0, ["反馈问题", "整改措施", "完成时限"] if r == 0 else ["问题", "措施%d" % r, "2026年6月30日"])
    book.close()
    return buffer.getvalue()

def huge_sheet(rows):
    body = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r) for r in range(1, rows + 1))
    return body

if which in ("notice-docx", "ledger-docx"):
    data = bomb(docx_base(), "word/document.xml",
                b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>',
                b"</w:t></w:r></w:p></w:body></w:document>", 700)
elif which == "ledger-xlsx":
    data = bomb(xlsx_base(), "xl/sharedStrings.xml",
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>',
                b"</t></si></sst>", 700)
elif which == "ledger-rows":
    base = xlsx_base()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = content.index(b"<sheetData>") + len(b"<sheetData>")
                end = content.index(b"</sheetData>")
                content = content[:start] + huge_sheet(150_000) + content[end:]
            target.writestr(info.filename, content)
    data = out.getvalue()
start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    if which.startswith("notice"):
        from rectify.notice.reader import read_file
        read_file(data, "通报.docx")
    else:
        from rectify.spreadsheets import read_ledger
        read_ledger(data, "台账.xlsx")
    outcome = {"refused": False, "message": ""}
except MemoryError:
    outcome = {"refused": False, "message": "MemoryError"}
except Exception as error:
    outcome = {"refused": True, "kind": type(error).__name__, "message": str(error)}
outcome["size"] = len(data)
outcome["grew_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start) / 1024
print(json.dumps(outcome, ensure_ascii=False))
"""


def probe(which: str, tmp_path) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, which], env=subprocess_env(tmp_path),
                            capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_xlsx_zip_bomb_is_refused_by_the_ledger_reader(tmp_path):
    outcome = probe("ledger-xlsx", tmp_path)
    assert outcome["size"] < 5 * 1024 * 1024  # 700 MB when unpacked
    assert outcome["refused"] and "压缩炸弹" in outcome["message"]
    assert outcome["grew_mb"] < 100


def test_docx_sent_as_a_ledger_is_refused_before_it_is_unpacked(tmp_path):
    outcome = probe("ledger-docx", tmp_path)
    assert outcome["refused"] and outcome["grew_mb"] < 100


def test_sheet_with_too_many_rows_is_refused_with_bounded_memory(tmp_path):
    outcome = probe("ledger-rows", tmp_path)
    assert outcome["refused"] and "100000 行" in outcome["message"]
    assert outcome["grew_mb"] < 300


def test_docx_zip_bomb_is_refused_by_the_notice_reader(tmp_path):
    outcome = probe("notice-docx", tmp_path)
    assert outcome["refused"] and "MemoryError" not in outcome["message"]
    assert outcome["grew_mb"] < 100
