"""The feedback channel a notice names: phone, email, postal address, postcode (联系方式).

Website footers (版权所有, ICP备, 违法和不良信息举报电话 …) are not the rectification contact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rectify.notice.model import Contact
from rectify.notice.numerals import fold_width

CONTACT_KEYS = re.compile(
    r"(?=[联举值电传手邮信通来地eE])(?:联系电话|联系方式|举报电话|值班电话|电话|传真|手机|电子邮箱|电子信箱|邮箱|e-?mail|邮政信箱|通信地址|通讯地址|"
    r"来信地址|邮寄地址|联系地址|地址|邮编|邮政编码|信箱)",
    re.IGNORECASE,
)
FOOTER_JUNK = re.compile(
    r"(?=[版Ii网主承技违不公联Cc©浏访建分返关扫二])(?:版权所有|ICP|网站标识码|主办单位[:：]|承办单位[:：]|技术支持[:：]|违法和不良信息|不良信息举报|公网安备|"
    r"网站地图|联系我们|Copyright|©|浏览次数|访问量|建议使用\S*浏览器|分辨率|返回顶部|关闭窗口|扫一扫|二维码)",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(
    r"(?<![\d-])(?:\(0\d{2,3}\)\s*\d{7,8}|0\d{2,3}\s*[-—–]\s*\d{7,8}(?:\s*[-转]\s*\d{1,5})?|0\d{10,11}|"
    r"1[3-9]\d{9}|12388|\d{7,8})(?![\d@])"
)
_EMAIL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_POSTCODE_RE = re.compile(r"(?:邮编|邮政编码)\s*[:：为是]?\s*(\d{6})(?!\d)")
_ADDRESS_RE = re.compile(
    r"(?:邮政信箱|通信地址|通讯地址|来信地址|邮寄地址|联系地址|地址)\s*[:：为是]?\s*"
    r"(?P<a>[^，,；;。\n]+?)(?=\s*(?:[，,；;。]|$|\s+\S*(?:电子|邮箱|信箱|电话|邮编|邮政编码)|[（(]?邮编|[（(]?邮政编码))"
)
_PHONE_CONTEXT = re.compile(r"电话|手机|传真|联系方式|热线|tel", re.IGNORECASE)


def is_footer_junk(line: str) -> bool:
    """A web page's footer line (copyright, ICP number, abuse hotline), never a notice's contact."""
    return bool(FOOTER_JUNK.search(line))


def is_contact_line(line: str) -> bool:
    """Whether the line names a feedback channel (and is not a website footer)."""
    return bool(CONTACT_KEYS.search(line)) and not is_footer_junk(line)


def parse_contact(lines: Iterable[str]) -> Contact:
    """Phone numbers, emails, the postal address and postcode named by the contact lines."""
    contact = Contact()
    for raw in lines:
        if is_footer_junk(raw):
            continue
        line = fold_width(raw).replace("＠", "@")
        for email in _EMAIL_RE.findall(line):
            if email not in contact.email:
                contact.email.append(email)
        postcode = _POSTCODE_RE.search(line)
        if postcode and contact.postcode is None:
            contact.postcode = postcode.group(1)
        address = _ADDRESS_RE.search(line)
        if address and contact.address is None:
            value = address["a"].strip(" :：")
            if value and not _EMAIL_RE.fullmatch(value):
                contact.address = value
        if not _PHONE_CONTEXT.search(line):
            continue
        scrubbed = _EMAIL_RE.sub(" ", _POSTCODE_RE.sub(" ", line))
        if contact.address:
            scrubbed = scrubbed.replace(contact.address, " ")
        for phone in _PHONE_RE.findall(scrubbed):
            phone = re.sub(r"\s+", "", phone).replace("—", "-").replace("–", "-")
            if phone not in contact.phone:
                contact.phone.append(phone)
    return contact
