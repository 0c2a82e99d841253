"""read_file(): .docx and saved web pages give the same notice as the plain text."""

from __future__ import annotations

import html
import io
from pathlib import Path

import docx
import pytest

from rectify.notice import NoticeError, parse, read_file
from tests.notice.cases import OWN_CASES, SEED_CASES, Case


def _docx_bytes(text: str) -> bytes:
    document = docx.Document()
    lines = [line for line in text.splitlines() if line.strip()]
    # The contact and signature go into a table, as some units lay them out.
    body, tail = lines[:-3], lines[-3:]
    for line in body:
        document.add_paragraph(line)
    table = document.add_table(rows=len(tail), cols=1)
    for row, line in zip(table.rows, tail, strict=True):
        row.cells[0].text = line
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _html_page(text: str) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>巡视巡察</title>
<style>p {{ text-indent: 2em; }}</style><script>var share = "分享到微信";</script></head>
<body><div class="nav-bar"><a href="/">首页</a> &gt; <a>巡视巡察</a></div>
<header><h1>某某省纪委监委网站</h1></header>
<div class="share-box">分享到：<a>微信</a><a>微博</a></div>
<div class="article">{paragraphs}</div>
<div class="font-size">字号：<a>大</a> <a>中</a> <a>小</a></div><div>【打印本页】 【关闭窗口】</div>
<div class="qrcode"><img src="qr.png"/>扫一扫在手机打开当前页</div>
<footer>版权所有 某某网站 ICP备12345678号 违法和不良信息举报电话：0531-12345678</footer>
<script>document.write("<p>根据省委统一部署</p>")</script></body></html>"""


@pytest.mark.parametrize("case", SEED_CASES + OWN_CASES, ids=str)
def test_docx_reads_like_the_text(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "notice.docx"
    path.write_bytes(_docx_bytes(case.text))
    assert parse(read_file(path)).to_dict() == parse(case.text).to_dict()


@pytest.mark.parametrize("case", SEED_CASES + OWN_CASES, ids=str)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_web_page_reads_like_the_text(case: Case, encoding: str, tmp_path: Path) -> None:
    page = _html_page(case.text)
    if encoding != "utf-8":
        page = page.replace('charset="utf-8"', f'charset="{encoding}"')
    path = tmp_path / "notice.htm"
    path.write_bytes(page.encode(encoding))
    assert parse(read_file(path)).to_dict() == parse(case.text).to_dict()


def test_web_page_chrome_is_dropped() -> None:
    text = read_file(_html_page("中共某单位关于巡视整改进展情况的通报").encode(), "a.html")
    assert "分享" not in text and "字号" not in text and "document.write" not in text and "ICP" not in text


def test_stdin_bytes_are_recognized_without_a_name() -> None:
    case = OWN_CASES[0]
    assert read_file(_docx_bytes(case.text), "-") == read_file(_docx_bytes(case.text), "a.docx")
    assert "整改" in read_file(_html_page(case.text).encode(), "-")


def test_broken_docx_is_refused_with_a_reason() -> None:
    with pytest.raises(NoticeError, match="文件不是有效的 .docx"):
        read_file(b"PK\x03\x04 this is not really a zip", "a.docx")


def test_old_word_format_is_refused() -> None:
    with pytest.raises(NoticeError, match=r"\.doc"):
        read_file(b"\xd0\xcf\x11\xe0 binary", "a.doc")


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match="找不到文件"):
        read_file(tmp_path / "nope.txt")


def test_undecodable_text_names_the_line() -> None:
    data = "第一行\n第二行\n".encode() + b"\xff\xff\xff\xfe\n"
    with pytest.raises(NoticeError, match="第 3 行"):
        read_file(data, "a.txt")


def test_a_reading_error_keeps_its_message_and_line_for_translation() -> None:
    data = "第一行\n第二行\n".encode() + b"\xff\xff\xff\xfe\n"
    with pytest.raises(NoticeError) as refused:
        read_file(data, "a.txt")
    message = refused.value.message
    assert str(refused.value) == message == "第 3 行：无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK）"
    english = {"第 %(line)d 行：%(why)s": "Line %(line)d: %(why)s",
               "无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK）": "The encoding is not recognised"}
    assert message.render(lambda text: english.get(text, text)) == "Line 3: The encoding is not recognised"


def test_a_reading_error_with_a_value_translates_around_the_value() -> None:
    with pytest.raises(NoticeError) as refused:
        read_file(b"x", "a.xyz")
    message = refused.value.message
    assert message == "不支持的文件类型：.xyz（可用 .txt、.docx、.html、.pdf）"
    assert message.template == "不支持的文件类型：%(suffix)s（可用 .txt、.docx、.html、.pdf）"
    assert message.values == {"suffix": ".xyz"}


def test_a_docx_whose_body_unpacks_over_the_limit_is_refused_naming_it(monkeypatch) -> None:
    from rectify.notice import reader

    data = _docx_bytes(OWN_CASES[0].text)
    assert "整改" in read_file(data, "a.docx")
    monkeypatch.setattr(reader, "MAX_DOCX_BODY_BYTES", 4 * 1024)  # the body of this notice is larger
    with pytest.raises(NoticeError, match=r"正文部分（word/document.xml）解压后.*的上限，已拒绝读取"):
        read_file(data, "a.docx")
