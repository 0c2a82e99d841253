"""Read and write 整改进展情况通报 (rectification progress notices). Never imports Django.

    from rectify.notice import parse, read_file, render_text
    notice = parse(read_file("通报.docx"))
"""

from rectify.notice.errors import NoticeError
from rectify.notice.model import Contact, Figure, Node, Notice, Number
from rectify.notice.parser import parse
from rectify.notice.reader import read_file
from rectify.notice.render import render_text

__all__ = [
    "Contact",
    "Figure",
    "Node",
    "Notice",
    "NoticeError",
    "Number",
    "parse",
    "read_file",
    "render_text",
]
