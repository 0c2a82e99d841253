"""Turn an uploaded file into plain grids of cell values, one per sheet.

The file type is decided by content, never by name. Every guard against a hostile or broken
upload lives here: size, zip bomb (declared sizes checked before any part is parsed),
encryption, row and cell limits; XML is parsed by lxml without entity expansion or network access.
Formulas are never evaluated: only cached values are read, and
a formula without a cached value is marked as a bad cell.
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

from rectify.rules.zipguard import POLICY, ZipPolicy, ZipRefused, open_archive
from rectify.spreadsheets.model import LedgerFileError, Message, ReadLimits, gettext_noop

__all__ = ["SheetGrid", "load_sheets"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MAX_ZIP_MEMBERS = POLICY.max_members
BOMB_MEMBER_FLOOR = POLICY.ratio_floor


@dataclass
class SheetGrid:
    """The cell values of one sheet; ``rows[i]`` holds Excel row ``i + 1``."""

    name: str
    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1, c1, r2, c2
    hidden_columns: set[int] = field(default_factory=set)  # 1-based
    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based → why
    hidden: bool = False
    visited: int = 0  # cells the rows make room for (filled or not): what reading the sheet costs
    far_cells: int = 0  # filled cells right of `ReadLimits.max_columns`, not read


def load_sheets(data: bytes, filename: str, limits: ReadLimits) -> list[SheetGrid]:
    """Read every sheet of an .xlsx, .xlsb, .ods, .xls or .csv file, chosen by content."""
    if not data:
        raise LedgerFileError(Message(gettext_noop("文件是空的（0 字节），请重新选择台账文件")))
    if len(data) > limits.max_bytes:
        raise LedgerFileError(
            Message(
                gettext_noop("文件过大（%(size).1f MB），超过 %(limit).0f MB 的上限"),
                size=len(data) / 1048576, limit=limits.max_bytes / 1048576,
            )
        )
    if data.startswith(ZIP_MAGICS):
        archive = _check_zip(data, limits)
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            return _load_xlsx(archive, limits)
        archive.close()
        return _load_calamine(data, limits, "xlsb" if "xl/workbook.bin" in names else "ods")
    if data.startswith(OLE_MAGIC):
        return _load_xls(data, limits)
    kind = _foreign_kind(data)
    if kind:
        raise LedgerFileError(kind)
    return [_load_csv(data, filename, limits)]


def _foreign_kind(data: bytes) -> Message | None:
    """Why a file that is some other kind of document cannot be read, or None."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return Message(gettext_noop("文件内容是 PDF 文档，不是 Excel 表格；请在 Excel 或 WPS 中另存为 .xlsx 后再导入"))
    if head.startswith(b"{\\rtf"):
        return Message(gettext_noop("文件内容是 RTF 文档，不是 Excel 表格；请在 Excel 或 WPS 中另存为 .xlsx 后再导入"))
    if head.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8")):
        return Message(gettext_noop("文件内容是图片，不是 Excel 表格；请在 Excel 或 WPS 中另存为 .xlsx 后再导入"))
    if head.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        return Message(gettext_noop("文件内容是 Excel 2003 XML 表格，不是 Excel 表格；请在 Excel 或 WPS 中另存为 .xlsx 后再导入"))
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head")):
        return Message(gettext_noop("文件内容是网页（HTML），不是 Excel 表格；请在 Excel 或 WPS 中另存为 .xlsx 后再导入"))
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Message(gettext_noop("文件内容是无法识别的二进制数据，不是 Excel 表格；请在 Excel 或 WPS 中另存为 .xlsx 后再导入"))
    return None


# ---------------------------------------------------------------------------------------- xlsx


def _check_zip(data: bytes, limits: ReadLimits) -> zipfile.ZipFile:
    policy = ZipPolicy(
        max_members=MAX_ZIP_MEMBERS,
        max_unzipped_bytes=limits.max_uncompressed_bytes,
        max_ratio=limits.max_compression_ratio,
        ratio_floor=BOMB_MEMBER_FLOOR,
    )
    try:
        archive = open_archive(data, policy)
    except ZipRefused as refused:
        raise LedgerFileError(_refusal(refused, limits)) from None
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise LedgerFileError(
                Message(gettext_noop("这是 Word 文档（.docx），不是 Excel 表格；请把台账放在 Excel 或 WPS 表格中再导入"))
            )
        if "ppt/presentation.xml" in names:
            raise LedgerFileError(Message(gettext_noop("这是 PowerPoint 演示文稿（.pptx），不是 Excel 表格")))
        if "xl/workbook.bin" in names or ("content.xml" in names and _is_ods(archive)):
            return archive
        if "content.xml" in names:
            raise LedgerFileError(Message(gettext_noop("这是 OpenDocument 文本或演示文稿，不是表格；请把台账放在表格中再导入")))
        raise LedgerFileError(Message(gettext_noop("不是 Excel 文件：压缩包中没有工作簿")))
    return archive


def _refusal(refused: ZipRefused, limits: ReadLimits) -> Message:
    if refused.reason == "members":
        return Message(gettext_noop("文件结构异常：压缩包内文件过多，已拒绝导入"))
    if refused.reason == "encrypted":
        return Message(gettext_noop("文件已加密（设置了打开密码），请取消密码后再导入"))
    if refused.reason == "ratio":
        return Message(
            gettext_noop("文件疑似压缩炸弹：%(name)s 的压缩比为 %(ratio).0f 倍，超过 %(limit)s 倍的上限，已拒绝导入"),
            name=refused.member, ratio=refused.ratio, limit=limits.max_compression_ratio,
        )
    if refused.reason == "total":
        return Message(
            gettext_noop("文件疑似压缩炸弹：解压后共 %(size).0f MB，超过 %(limit).0f MB 的上限，已拒绝导入"),
            size=(refused.size or 0) / 1048576, limit=limits.max_uncompressed_bytes / 1048576,
        )
    return Message(gettext_noop("文件已损坏：不是完整的 .xlsx 文件（压缩包无法打开）"))


def _is_ods(archive: zipfile.ZipFile) -> bool:
    try:
        mimetype = archive.read("mimetype")[:80] if "mimetype" in archive.NameToInfo else b""
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return False
    return not mimetype or b"opendocument.spreadsheet" in mimetype


def _load_xlsx(archive: zipfile.ZipFile, limits: ReadLimits) -> list[SheetGrid]:
    with archive:
        try:
            book = _XlsxBook(archive)
        except LedgerFileError:
            raise
        except Exception:  # malformed parts raise anything from KeyError to XMLSyntaxError
            raise LedgerFileError(Message(gettext_noop("文件已损坏或格式不受支持，Excel 工作簿无法打开"))) from None
        if len(book.sheets) > limits.max_sheets:
            raise LedgerFileError(Message(
                gettext_noop("工作表过多（%(count)s 个），超过 %(limit)s 个的上限"), count=len(book.sheets), limit=limits.max_sheets
            ))
        grids: list[SheetGrid] = []
        for name, path, hidden in book.sheets:
            try:
                grids.append(book.read_sheet(name, path, hidden, limits))
            except LedgerFileError:
                raise
            except Exception:
                raise LedgerFileError(Message(gettext_noop("工作表「%(sheet)s」已损坏，无法读取"), sheet=name)) from None
            _check_workbook(grids, limits)
        return grids


# Built-in number formats that show a date: the international ones and those of Chinese,
# Japanese and Korean Excel (27–31, 36, 50–58), which openpyxl's table leaves out.
_BUILTIN_DATE_FORMATS = {*range(14, 18), 22, *range(27, 32), 36, *range(50, 59)}


def _parser_options() -> dict[str, Any]:
    # No entity expansion, no network: a hostile workbook cannot use XML tricks.
    return {"resolve_entities": False, "no_network": True, "huge_tree": False, "remove_comments": True}


class _XlsxBook:
    """The parts of an .xlsx needed to read cell values, streamed with lxml.

    openpyxl's read-only mode cannot report merged cells, hidden columns or formulas without a
    cached value, and its full mode is several times slower; so sheets are parsed here directly
    (like openpyxl's read-only mode, values only, formulas never evaluated).
    """

    def __init__(self, archive: zipfile.ZipFile) -> None:
        from lxml import etree

        self.archive = archive
        root = etree.fromstring(archive.read("xl/workbook.xml"), etree.XMLParser(**_parser_options()))
        self.ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        rels = self._relationships("xl/_rels/workbook.xml.rels")
        self.sheets: list[tuple[str, str, bool]] = []
        for sheet in root.iter(self.tag("sheet")):
            rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = rels.get(rel_id or "")
            if target and target[1].endswith("/worksheet") and target[0] in archive.NameToInfo:
                hidden = sheet.get("state", "visible") != "visible"
                self.sheets.append((sheet.get("name", ""), target[0], hidden))
        properties = root.find(self.tag("workbookPr"))
        date1904 = properties is not None and properties.get("date1904", "0").lower() in ("1", "true")
        from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

        self.epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
        by_type = {kind.rsplit("/", 1)[-1]: path for path, kind in rels.values()}
        self.shared_strings = self._shared_strings(by_type.get("sharedStrings", "xl/sharedStrings.xml"))
        self.date_styles = self._date_styles(by_type.get("styles", "xl/styles.xml"))

    def tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name

    def _relationships(self, path: str) -> dict[str, tuple[str, str]]:
        from lxml import etree

        if path not in self.archive.NameToInfo:
            return {}
        root = etree.fromstring(self.archive.read(path), etree.XMLParser(**_parser_options()))
        found: dict[str, tuple[str, str]] = {}
        for rel in root:
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            full = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            found[rel.get("Id", "")] = (full, rel.get("Type", ""))
        return found

    def _shared_strings(self, path: str) -> list[str]:
        from lxml import etree

        if path not in self.archive.NameToInfo:
            return []
        strings: list[str] = []
        si, t, r = self.tag("si"), self.tag("t"), self.tag("r")
        with self.archive.open(path) as source:
            for _, element in etree.iterparse(source, events=("end",), tag=si, **_parser_options()):
                strings.append(_rich_text(element, t, r))
                element.clear()
                while element.getprevious() is not None:  # the items read so far, emptied but still linked
                    del element.getparent()[0]
        return strings

    def _date_styles(self, path: str) -> set[int]:
        from lxml import etree
        from openpyxl.styles.numbers import is_date_format

        if path not in self.archive.NameToInfo:
            return set()
        root = etree.fromstring(self.archive.read(path), etree.XMLParser(**_parser_options()))
        custom = {
            int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "") for fmt in root.iter(self.tag("numFmt"))
        }
        styles: set[int] = set()
        cell_xfs = root.find(self.tag("cellXfs"))
        for index, xf in enumerate(cell_xfs if cell_xfs is not None else []):
            number_format = int(xf.get("numFmtId", "0"))
            code = custom.get(number_format)
            if (code is not None and is_date_format(code)) or (
                code is None and number_format in _BUILTIN_DATE_FORMATS
            ):
                styles.add(index)
        return styles

    def read_sheet(self, name: str, path: str, hidden: bool, limits: ReadLimits) -> SheetGrid:
        from lxml import etree
        from openpyxl.utils.cell import column_index_from_string, range_boundaries
        from openpyxl.utils.datetime import from_excel

        grid = SheetGrid(name=name, rows=[], hidden=hidden)
        row_tag, merge_tag, col_tag = self.tag("row"), self.tag("mergeCell"), self.tag("col")
        v_tag, f_tag, is_tag, t_tag, r_tag = (self.tag(n) for n in ("v", "f", "is", "t", "r"))
        columns: dict[str, int] = {}
        row_number = cells = 0
        with self.archive.open(path) as source:
            events = etree.iterparse(
                source, events=("end",), tag=(row_tag, merge_tag, col_tag), **_parser_options()
            )
            for _, element in events:
                if element.tag == merge_tag:
                    c1, r1, c2, r2 = range_boundaries(element.get("ref", ""))
                    grid.merges.append((r1, c1, r2, c2))
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                    continue
                if element.tag == col_tag:
                    if element.get("hidden", "0").lower() in ("1", "true"):
                        first = int(element.get("min", "1"))
                        last = min(int(element.get("max", first)), first + 16384)
                        grid.hidden_columns.update(range(first, last + 1))
                    continue
                row_number = int(element.get("r") or row_number + 1)
                values: list[Any] = []
                column = 0
                for cell in element:
                    reference = cell.get("r")
                    if reference:
                        letters = reference.rstrip("0123456789")
                        column = columns.get(letters) or columns.setdefault(
                            letters, column_index_from_string(letters)
                        )
                    else:
                        column += 1
                    children = len(cell)
                    if not children:
                        continue  # a blank cell that only carries a style (borders of a merged area)
                    if column > limits.max_columns:
                        grid.far_cells += 1  # one stray cell in column XFD must not widen every row
                        continue
                    kind = cell.get("t", "n")
                    raw = formula = inline = None
                    if children == 1 and (only := cell[0]).tag == v_tag:
                        raw = only.text  # the usual cell: just its value
                    else:
                        for child in cell:
                            if child.tag == v_tag:
                                raw = child.text
                            elif child.tag == f_tag:
                                formula = child
                            elif child.tag == is_tag:
                                inline = child
                    value: Any = None
                    if kind == "s" and raw is not None and inline is None:
                        value = self.shared_strings[int(raw)]
                    elif kind == "inlineStr" or inline is not None:
                        value = _rich_text(inline, t_tag, r_tag) if inline is not None else raw
                    elif raw is None:
                        if formula is not None:
                            grid.bad_cells[(row_number, column)] = (
                                Message(gettext_noop(
                                    "单元格是公式，但文件没有保存计算结果（请在 Excel 中打开并保存后再导入）"
                                ))
                            )
                    elif kind == "str":
                        value = raw
                    elif kind == "b":
                        value = raw.strip() in ("1", "true")
                    elif kind == "e":
                        grid.bad_cells[(row_number, column)] = Message(gettext_noop("单元格的值是错误 %(value)s"), value=raw)
                    elif kind == "d":
                        value = datetime.fromisoformat(raw.strip().rstrip("Z"))
                    else:
                        number = float(raw)
                        value = (
                            int(number)
                            if number.is_integer() and "." not in raw and "E" not in raw.upper()
                            else number
                        )
                        if int(cell.get("s") or 0) in self.date_styles:
                            try:
                                value = from_excel(number, self.epoch)
                            except (OverflowError, ValueError):
                                grid.bad_cells[(row_number, column)] = (
                                    Message(gettext_noop("单元格标记为日期，但数值 %(value)s 不是有效日期"), value=raw)
                                )
                                value = None
                    if value is not None and value != "":
                        if column > len(values):
                            values.extend([None] * (column - len(values)))
                        values[column - 1] = value
                        cells += 1
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
                if not values:
                    continue
                grid.visited += len(values)
                _check_size(name, row_number, max(cells, grid.visited), limits)
                while len(grid.rows) < row_number - 1:
                    grid.rows.append([])
                grid.rows.append(values)
        return grid


def _rich_text(element: Any, t_tag: str, r_tag: str) -> str:
    """Plain text of a string item: its <t>, or its rich-text runs; phonetic runs (<rPh>) are skipped."""
    parts: list[str] = []
    for child in element:
        if child.tag == t_tag:
            parts.append(child.text or "")
        elif child.tag == r_tag:
            parts.extend(t.text or "" for t in child.iter(t_tag))
    return "".join(parts)


def _check_size(sheet: str, row: int, cells: int, limits: ReadLimits) -> None:
    if row > limits.max_rows:
        raise LedgerFileError(Message(
            gettext_noop("工作表「%(sheet)s」超过 %(limit)s 行的上限，请拆分后再导入"), sheet=sheet, limit=limits.max_rows
        ))
    if cells > limits.max_cells:
        raise LedgerFileError(Message(
            gettext_noop("工作表「%(sheet)s」超过 %(limit)s 个单元格的上限，请拆分后再导入"), sheet=sheet, limit=limits.max_cells
        ))


def _check_workbook(grids: list[SheetGrid], limits: ReadLimits) -> None:
    """The sheets read so far, together, within the workbook's bounds (checked after each sheet)."""
    rows = sum(len(grid.rows) for grid in grids)
    if rows > limits.max_total_rows:
        raise LedgerFileError(Message(
            gettext_noop("工作簿各工作表合计超过 %(limit)s 行的上限（读到工作表「%(sheet)s」时共 %(rows)s 行），请拆分后再导入"),
            limit=limits.max_total_rows, sheet=grids[-1].name, rows=rows,
        ))
    cells = sum(grid.visited or sum(len(row) for row in grid.rows) for grid in grids)
    if cells > limits.max_total_cells:
        raise LedgerFileError(Message(
            gettext_noop("工作簿各工作表合计超过 %(limit)s 个单元格的上限（读到工作表「%(sheet)s」时），请拆分后再导入"),
            limit=limits.max_total_cells, sheet=grids[-1].name,
        ))


def _trim(values: list[Any]) -> list[Any]:
    while values and values[-1] is None:
        values.pop()
    return values


# ---------------------------------------------------------------------------------- ods, xlsb


def _load_calamine(data: bytes, limits: ReadLimits, kind: str) -> list[SheetGrid]:
    """An OpenDocument spreadsheet (LibreOffice, WPS on 信创 desktops) or an Excel binary workbook,
    read by calamine: cached values only, never formulas."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
    except Exception:
        raise LedgerFileError(Message(gettext_noop("文件已损坏，%(kind)s 工作簿无法打开"), kind=f".{kind}")) from None
    if len(metadata) > limits.max_sheets:
        raise LedgerFileError(Message(
            gettext_noop("工作表过多（%(count)s 个），超过 %(limit)s 个的上限"), count=len(metadata), limit=limits.max_sheets
        ))
    grids = []
    for meta in metadata:
        try:
            sheet = book.get_sheet_by_name(meta.name)
            # The declared area is checked before any row is turned into values.
            _check_size(meta.name, sheet.height, 0, limits)
            _check_size(meta.name, 0, sheet.height * sheet.width, limits)
            start_row, start_col = sheet.start or (0, 0)
            rows: list[list[Any]] = [[] for _ in range(start_row)]
            for record in sheet.iter_rows():
                values = [None] * start_col + [_calamine_value(value) for value in record[: limits.max_columns]]
                rows.append(_trim(values))
            merges = [
                (r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])
            ]
        except LedgerFileError:
            raise
        except Exception:
            raise LedgerFileError(Message(gettext_noop("工作表「%(sheet)s」已损坏，无法读取"), sheet=meta.name)) from None
        visible = str(getattr(meta, "visible", "Visible")).rsplit(".", 1)[-1].lower()
        grids.append(SheetGrid(name=meta.name, rows=rows, merges=merges, hidden=visible != "visible"))
        _check_workbook(grids, limits)
    return grids


def _calamine_value(value: Any) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# ----------------------------------------------------------------------------------------- xls


def _load_xls(data: bytes, limits: ReadLimits) -> list[SheetGrid]:
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise LedgerFileError(Message(gettext_noop("文件已加密（设置了打开密码），请取消密码后再导入")))
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as error:
        text = str(error).lower()
        if "encrypt" in text:
            raise LedgerFileError(Message(gettext_noop("文件已加密（设置了打开密码），请取消密码后再导入"))) from None
        if "can't find workbook" in text:
            raise LedgerFileError(
                Message(gettext_noop("不是 Excel 文件（可能是 Word 等其他 Office 文档），请检查后再导入"))
            ) from None
        raise LedgerFileError(Message(gettext_noop("文件已损坏，.xls 工作簿无法打开"))) from None
    except Exception:
        raise LedgerFileError(Message(gettext_noop("文件已损坏，.xls 工作簿无法打开"))) from None
    try:
        if book.nsheets > limits.max_sheets:
            raise LedgerFileError(Message(
                gettext_noop("工作表过多（%(count)s 个），超过 %(limit)s 个的上限"), count=book.nsheets, limit=limits.max_sheets
            ))
        grids: list[SheetGrid] = []
        for index in range(book.nsheets):
            grids.append(_read_xls_sheet(book, index, limits))
            _check_workbook(grids, limits)
        return grids
    finally:
        book.release_resources()


def _read_xls_sheet(book: Any, index: int, limits: ReadLimits) -> SheetGrid:
    import xlrd

    sheet = book.sheet_by_index(index)
    _check_size(sheet.name, sheet.nrows, 0, limits)
    _check_size(sheet.name, 0, sheet.nrows * sheet.ncols, limits)
    grid = SheetGrid(name=sheet.name, rows=[], hidden=sheet.visibility != 0)
    for r in range(sheet.nrows):
        values: list[Any] = []
        for c, cell in enumerate(sheet.row(r)):
            value: Any = None
            if cell.ctype == xlrd.XL_CELL_TEXT:
                value = cell.value or None
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                value = int(cell.value) if float(cell.value).is_integer() else cell.value
            elif cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    grid.bad_cells[(r + 1, c + 1)] = Message(
                        gettext_noop("单元格标记为日期，但数值 %(value)s 不是有效日期"), value=cell.value
                    )
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                error = xlrd.error_text_from_code.get(cell.value, "#ERR")
                grid.bad_cells[(r + 1, c + 1)] = Message(gettext_noop("单元格的值是错误 %(value)s"), value=error)
            values.append(value)
        grid.rows.append(_trim(values))
    for r1, r2, c1, c2 in sheet.merged_cells:
        grid.merges.append((r1 + 1, c1 + 1, r2, c2))
    for column, info in sheet.colinfo_map.items():
        if info.hidden:
            grid.hidden_columns.add(column + 1)
    book.unload_sheet(index)
    return grid


# ----------------------------------------------------------------------------------------- csv


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a byte-order mark, tab-separated.
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerFileError(Message(gettext_noop("无法识别文件编码：CSV 文件应为 UTF-8 或 GB18030（GBK）编码")))


def _load_csv(data: bytes, filename: str, limits: ReadLimits) -> SheetGrid:
    text = _decode(data)
    delimiter = _guess_delimiter(text)
    name = PurePath(filename or "台账").stem or "台账"
    grid = SheetGrid(name=name, rows=[])
    cells = 0
    try:
        for index, record in enumerate(_records(text, delimiter), start=1):
            values = _trim([value if value.strip() else None for value in record])
            cells += sum(value is not None for value in values)
            if values:
                _check_size(name, index, cells, limits)
            grid.rows.append(values)
    except csv.Error:
        raise LedgerFileError(Message(gettext_noop("CSV 文件格式错误（引号不配对或单元格过长），无法读取"))) from None
    return grid


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _guess_delimiter(text: str) -> str:
    sample = text[:65536]
    best, best_width = ",", 0
    for delimiter in (",", "\t", ";", "|"):
        try:
            widths = sorted(
                len(record) for _, record in zip(range(40), _records(sample, delimiter), strict=False)
            )
        except csv.Error:
            continue
        width = widths[len(widths) // 2] if widths else 0
        if width > best_width:
            best, best_width = delimiter, width
    return best
