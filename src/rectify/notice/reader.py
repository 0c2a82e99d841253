"""read_file(path_or_bytes, name) → text: .txt (UTF-8 with or without BOM, GB18030/GBK, UTF-16),
.docx (paragraphs and table cells in document order), saved web pages (.html/.htm) and PDF copies
(the text of each page; `parse` joins the visual lines again)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from rectify.notice.errors import NoticeError
from rectify.rules.messages import Message, gettext_noop
from rectify.rules.zipguard import ZipRefused, open_archive

MAX_BYTES = 50 * 1024 * 1024
MAX_MB = MAX_BYTES // (1024 * 1024)
# The body of a .docx (word/document.xml) unpacked: it is parsed whole, at several times its size in
# memory (a plain 8.5 MB body took 45 MB), and a small package may declare 300 MB. A notice's body is a
# few hundred KB.
MAX_DOCX_BODY_BYTES = 20 * 1024 * 1024

_TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".mht"}


def read_file(path_or_bytes: str | Path | bytes, name: str | None = None) -> str:
    """The text of a notice file; `name` (or the path) tells its type by suffix.

    Raises NoticeError with a Chinese message when the file is empty, too large, of an unknown
    type, or not what its suffix says.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
        name = name or ""
    else:
        path = Path(path_or_bytes)
        name = name or path.name
        try:
            if path.stat().st_size > MAX_BYTES:
                raise NoticeError(Message(gettext_noop("文件过大（超过 %(limit)d MB）：%(name)s"), limit=MAX_MB, name=name))
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise NoticeError(Message(gettext_noop("找不到文件：%(name)s"), name=name)) from error
        except IsADirectoryError as error:
            raise NoticeError(Message(gettext_noop("这是一个目录，不是文件：%(name)s"), name=name)) from error
        except OSError as error:
            raise NoticeError(
                Message(gettext_noop("无法读取文件 %(name)s：%(why)s"), name=name, why=error.strerror or str(error))
            ) from error
    if not data.strip():
        raise NoticeError(Message(gettext_noop("文件为空")))
    if len(data) > MAX_BYTES:
        raise NoticeError(Message(gettext_noop("文件过大（超过 %(limit)d MB）"), limit=MAX_MB))
    suffix = Path(name).suffix.lower() if name and name != "-" else ""
    if suffix == ".docx" or (not suffix and data[:4] == b"PK\x03\x04"):
        return read_docx(data)
    if suffix in (".doc", ".wps"):
        raise NoticeError(Message(gettext_noop("不支持 %(suffix)s 格式，请另存为 .docx 或 .txt 后再导入"), suffix=suffix))
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return read_pdf(data)
    if suffix in _HTML_SUFFIXES or (not suffix and _looks_like_html(data)):
        return read_html(data)
    if suffix not in _TEXT_SUFFIXES:
        raise NoticeError(
            Message(gettext_noop("不支持的文件类型：%(suffix)s（可用 .txt、.docx、.html、.pdf）"), suffix=suffix)
        )
    return decode_text(data)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<div"))


def decode_text(data: bytes) -> str:
    """Bytes of a text file to str: BOMs first, then UTF-8, then GB18030 (covers GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16")
    if b"\x00" in data[:4096]:
        raise NoticeError(Message(gettext_noop("文件不是文本（含有二进制内容），请提供 .txt、.docx 或 .html 文件")))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        # The encoding that read further is the one the file was meant to be in.
        position = max(utf8_error.start, error.start)
        line = data.count(b"\n", 0, position) + 1
        raise NoticeError(Message(gettext_noop("无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK）")), line=line) from error


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NoticeError(
            Message(gettext_noop("文件声明为 %(encoding)s 编码，但内容无法按此解码"), encoding=encoding.upper()), line=line
        ) from error


MAX_PDF_PAGES = 500


def read_pdf(data: bytes) -> str:
    """The text of a PDF copy, page by page, as its visual lines (a scanned PDF has none)."""
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as error:  # pragma: no cover - pdfminer.six is a dependency
        raise NoticeError(Message(gettext_noop("读取 PDF 需要安装 pdfminer.six"))) from error
    if not data.startswith(b"%PDF-"):
        raise NoticeError(Message(gettext_noop("文件不是有效的 PDF（缺少 %PDF- 文件头）")))
    try:
        text = extract_text(io.BytesIO(data), maxpages=MAX_PDF_PAGES)
    except PDFSyntaxError as error:
        raise NoticeError(Message(gettext_noop("文件不是有效的 PDF：%(why)s"), why=str(error))) from error
    except Exception as error:  # pdfminer raises many kinds on a damaged or encrypted file
        raise NoticeError(
            Message(gettext_noop("PDF 无法读取（文件损坏或已加密）：%(why)s"), why=type(error).__name__)
        ) from error
    text = text.replace("\x0c", "\n")
    if not text.strip():
        raise NoticeError(
            Message(gettext_noop("PDF 中没有可提取的文字（可能是扫描件），请提供文字版 PDF、.docx 或 .txt"))
        )
    return text


def _refuse_zip_bomb(data: bytes) -> None:
    """Check the package's declared sizes before anything is decompressed (the one zip guard), and the
    body's own size against MAX_DOCX_BODY_BYTES."""
    try:
        with open_archive(data) as archive:
            body = archive.NameToInfo.get("word/document.xml")
            if body is not None and body.file_size > MAX_DOCX_BODY_BYTES:
                raise NoticeError(Message(
                    gettext_noop("文件的正文部分（word/document.xml）解压后 %(size).0f MB，超过 %(limit).0f MB 的上限，已拒绝读取"),
                    size=body.file_size / 1048576, limit=MAX_DOCX_BODY_BYTES / 1048576,
                ))
    except ZipRefused as refused:
        if refused.reason == "unreadable":
            raise NoticeError(Message(gettext_noop("文件不是有效的 .docx（压缩包无法打开）"))) from None
        if refused.reason == "encrypted":
            raise NoticeError(Message(gettext_noop("文件已加密，请取消密码后再导入"))) from None
        if refused.reason == "ratio":
            raise NoticeError(
                Message(gettext_noop("文件中 %(member)s 的压缩比异常（疑似压缩炸弹），已拒绝读取"), member=refused.member)
            ) from None
        raise NoticeError(Message(gettext_noop("文件解压后过大（疑似压缩炸弹），已拒绝读取"))) from None


def read_docx(data: bytes) -> str:
    """Paragraphs and table cells of a .docx, in document order, one paragraph a line."""
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as error:  # pragma: no cover - python-docx is a dependency
        raise NoticeError(Message(gettext_noop("读取 .docx 需要安装 python-docx"))) from error
    _refuse_zip_bomb(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise NoticeError(Message(gettext_noop("文件不是有效的 .docx：%(why)s"), why=str(error))) from error
    except Exception as error:  # lxml and zipfile raise many kinds on a damaged package
        raise NoticeError(Message(gettext_noop("文件不是有效的 .docx：%(why)s"), why=type(error).__name__)) from error
    from docx.oxml.ns import qn

    lines: list[str] = []
    paragraph_tag, table_tag = qn("w:p"), qn("w:tbl")

    def text_of(paragraph_element: Any) -> str:
        return _paragraph_text(paragraph_element, qn)

    def walk(parent: Any) -> None:
        for child in parent.iterchildren():
            if child.tag == paragraph_tag:
                lines.append(text_of(child))
            elif child.tag == table_tag:
                seen: set[int] = set()
                for cell in child.iter(qn("w:tc")):
                    if id(cell) in seen:
                        continue
                    seen.add(id(cell))
                    for paragraph in cell.iter(paragraph_tag):
                        lines.append(text_of(paragraph))

    walk(document.element.body)
    return "\n".join(lines)


def _paragraph_text(element: Any, qn: Callable[[str], str]) -> str:
    parts: list[str] = []
    t_tag, tab_tag, br_tag = qn("w:t"), qn("w:tab"), qn("w:br")
    for node in element.iter(t_tag, tab_tag, br_tag):
        if node.tag == t_tag:
            parts.append(node.text or "")
        elif node.tag == tab_tag:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


_SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "iframe", "form", "select",
              "button", "svg", "template", "object", "aside", "head", "title", "menu"}
_VOID_TAGS = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "source",
              "track", "wbr", "param"}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
               "article", "ul", "ol", "dd", "dt", "blockquote", "pre", "td", "th", "center", "hr"}
_CHROME_NAMES = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumb|crumb|header|footer|foot|share|bdshare|qrcode|qr|"
    r"print|sidebar|side|toolbar|fontsize|font-size|copyright|related|comment|position|location|"
    r"weixin|wechat|topbar|banner|search|login)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        names = " ".join(value or "" for key, value in attrs if key in ("class", "id"))
        if tag in _SKIP_TAGS or (names and _CHROME_NAMES.search(names)):
            if tag not in _VOID_TAGS:
                self._skip_tag = tag
                self._skip_depth = 1
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is None and tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip_tag is None:
            self.parts.append(data.replace("\r", "").replace("\n", " "))


def read_html(data: bytes) -> str:
    """The visible text of a saved web page, without scripts, styles, navigation and share bars."""
    declared = _CHARSET_RE.search(data[:4096])
    text: str | None = None
    if declared:
        encoding = declared.group(1).decode("ascii", "ignore").lower()
        if encoding in ("gb2312", "gbk"):
            encoding = "gb18030"
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_text(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    extractor = _TextExtractor()
    try:
        extractor.feed(text)
        extractor.close()
    except (AssertionError, ValueError) as error:  # pragma: no cover - html.parser is lenient
        raise NoticeError(Message(gettext_noop("网页无法解析：%(why)s"), why=str(error))) from error
    lines = (re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in "".join(extractor.parts).split("\n"))
    return "\n".join(line for line in lines if line)
