"""Writes to reports and feedback. Each checks scope and role, audits, and runs in one transaction.

Permissions are described in `selectors` (view: every unit role; edit: 整改办; publish: 整改办 or
领导, and only 领导 for the leader's own report).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import InvalidTransition, NotVisible, StaleWrite, ValidationFailed
from rectify.inspections.models import Inspection
from rectify.organizations.models import User
from rectify.organizations.scoping import Action, require_unit
from rectify.reports.compose import ReportDraft, notice_draft
from rectify.reports.internal import internal_draft, leader_draft
from rectify.reports.models import Feedback, Report, ReportSection, ReportVersion, content_hash
from rectify.reports.pdf import PdfUnavailable
from rectify.reports.rendering import render_text, section_text
from rectify.reports.selectors import draft_content, require_report

HEADING_MAX = 200
BODY_MAX = 200_000

DRAFTERS: dict[str, Callable[..., ReportDraft]] = {
    Report.Kind.NOTICE: lambda inspection, day: notice_draft(inspection, day=day)[1],
    Report.Kind.INTERNAL: lambda inspection, day: internal_draft(inspection, day=day),
    Report.Kind.LEADER: lambda inspection, day: leader_draft(inspection, day=day),
}


def pdf_message(error: PdfUnavailable) -> str:
    """What the user is told when a PDF cannot be made (no LibreOffice, or it failed)."""
    if error.missing:
        return _("服务器未安装 LibreOffice，无法生成 PDF。请下载 Word 版（.docx）后用 WPS 或 Word 另存为 PDF，"
                 "或请管理员安装 LibreOffice（libreoffice-writer-nogui）。")
    return _("LibreOffice 转换 PDF 失败，请稍后重试，或下载 Word 版（.docx）。")


def build_draft(inspection: Inspection, kind: str, *, day: dt.date | None = None) -> ReportDraft:
    """The sections of a report of `kind`, written from the ledger as it is now (nothing saved)."""
    if kind not in DRAFTERS:
        raise ValidationFailed(_("「报告类别」无法识别：%(value)s") % {"value": kind}, field="kind")
    # The report is an official document in Chinese whatever language the page is shown in: labels the
    # drafters take from the models (task status, lead kind, …) must not follow the user's language.
    with translation.override(settings.LANGUAGE_CODE):
        return DRAFTERS[kind](inspection, day or clock.today())


def draft_as_content(draft: ReportDraft, kind: str, *, day: dt.date | None = None) -> dict[str, Any]:
    """A draft that was never saved, in the content form the renderers take (for the CLI)."""
    return {
        "kind": kind, "title": draft.title, "addressee": draft.addressee, "signer": draft.signer,
        "date": (day or clock.today()).isoformat(),
        "sections": [{"key": s.key, "heading": s.heading, "body": s.body, "table": s.table} for s in draft.sections],
    }


def _summary(report: Report) -> dict[str, Any]:
    return {
        "title": report.title,
        "version": report.version,
        "sections": [{"key": s.key, "heading": s.heading, "body": s.body} for s in report.sections.order_by("position")],
    }


def _sync_sections(report: Report, draft: ReportDraft) -> None:
    """Refresh sections by key: ids stay stable for open edit forms; each refreshed section's version moves on."""
    existing = {s.key: s for s in report.sections.all()}
    keys = [s.key for s in draft.sections]
    report.sections.exclude(key__in=keys).delete()
    # Move positions out of the way first: (report, position) is unique.
    report.sections.update(position=F("position") + 10_000)
    for position, section in enumerate(draft.sections):
        values = {"heading": section.heading[:HEADING_MAX], "body": section.body, "table": section.table,
                  "position": position, "edited": False}
        if section.key in existing:
            ReportSection.objects.filter(pk=existing[section.key].pk).update(version=F("version") + 1, **values)
        else:
            ReportSection.objects.create(report=report, key=section.key, **values)


@transaction.atomic
def generate_report(actor: User, inspection: Inspection, kind: str) -> Report:
    """Write a report (生成报告) from the ledger; regenerating refreshes the draft's sections and title."""
    require_unit(actor, Action.EDIT_PLAN, inspection.target)
    draft = build_draft(inspection, kind)
    now = clock.now()
    report = Report.objects.select_for_update().filter(inspection=inspection, kind=kind).first()
    before = None
    if report is None:
        report = Report.objects.create(
            inspection=inspection, kind=kind, title=draft.title[:200], addressee=draft.addressee,
            signer=draft.signer[:100], generated_at=now, generated_by=actor, updated_at=now,
        )
        action = "report.generate"
    else:
        before = _summary(report)
        report.title, report.addressee, report.signer = draft.title[:200], draft.addressee, draft.signer[:100]
        report.generated_at = report.updated_at = now
        report.generated_by = actor
        report.version += 1
        report.save()
        action = "report.regenerate"
    _sync_sections(report, draft)
    audit.record(actor, action, report, unit_id=inspection.target_id, before=before, after=_summary(report))
    return report


def _bump(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=clock.now())
    report.version += 1


@transaction.atomic
def rename_report(actor: User, report: Report, *, title: str, signer: str, expected_version: int) -> Report:
    """Change the report's title and signature (标题、署名); a stale form is refused."""
    require_report(actor, report, "edit")
    title, signer = (title or "").strip(), (signer or "").strip()
    if not title:
        raise ValidationFailed(_("「标题」不能为空"), field="title")
    if len(title) > 200:
        raise ValidationFailed(_("「标题」不能超过 200 字"), field="title")
    if not signer or len(signer) > 100:
        raise ValidationFailed(_("「署名」不能为空且不能超过 100 字"), field="signer")
    before = {"title": report.title, "signer": report.signer}
    updated = Report.objects.filter(pk=report.pk, version=expected_version).update(
        title=title, signer=signer, version=F("version") + 1, updated_at=clock.now()
    )
    if not updated:
        raise StaleWrite(_("报告已被他人修改（您看到的是第 %(seen)d 版），请刷新后重试") % {"seen": expected_version})
    report.title, report.signer, report.version = title, signer, expected_version + 1
    audit.record(actor, "report.rename", report, unit_id=report.inspection.target_id, before=before,
                 after={"title": title, "signer": signer})
    return report


@transaction.atomic
def update_section(actor: User, section: ReportSection, *, heading: str, body: str, expected_version: int) -> ReportSection:
    """Edit one section's heading and text (修改章节); an edit made on a stale copy raises StaleWrite."""
    report = section.report
    require_report(actor, report, "edit")
    heading = (heading or "").strip()
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(heading) > HEADING_MAX:
        raise ValidationFailed(_("「章节标题」不能超过 %(max)d 字") % {"max": HEADING_MAX}, field="heading")
    if len(body) > BODY_MAX:
        raise ValidationFailed(_("「章节正文」不能超过 %(max)d 字") % {"max": BODY_MAX}, field="body")
    before = {"heading": section.heading, "body": section.body}
    updated = ReportSection.objects.filter(pk=section.pk, version=expected_version).update(
        heading=heading, body=body, edited=True, version=F("version") + 1
    )
    if not updated:
        raise StaleWrite(
            _("章节「%(heading)s」已被他人修改（您看到的是第 %(seen)d 版），请刷新后重试")
            % {"heading": (section.heading or section.key)[:30], "seen": expected_version},
            field="version",
        )
    section.heading, section.body, section.edited, section.version = heading, body, True, expected_version + 1
    _bump(report)
    audit.record(actor, "report.section.update", section, unit_id=report.inspection.target_id, before=before,
                 after={"heading": heading, "body": body})
    return section


def _same_text(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same words: everything but the date."""
    return {k: v for k, v in a.items() if k != "date"} == {k: v for k, v in b.items() if k != "date"}


@transaction.atomic
def publish_report(actor: User, report: Report, *, expected_version: int | None = None, note: str = "") -> ReportVersion:
    """Publish (发布) the draft as a new immutable version with its SHA-256; audited in the same transaction.

    `expected_version` is the draft version the publisher confirmed; a draft edited since is refused.
    """
    require_report(actor, report, "publish")
    report = Report.objects.select_for_update().select_related("inspection").get(pk=report.pk)
    if expected_version is not None and report.version != expected_version:
        raise StaleWrite(
            _("报告在您确认后又被修改（您确认的是第 %(seen)d 版），请重新核对后再发布") % {"seen": expected_version},
            field="version",
        )
    # The first responsible person's sign-off of the plan (签字背书) comes before any report is published.
    plan = report.inspection.plan_versions.order_by("-number").first()
    if plan is not None and plan.signed_at is None:
        raise InvalidTransition(_("第 %(n)d 版整改方案尚未经第一责任人签字，报告不能发布") % {"n": plan.number})
    content = draft_content(report)
    if not any(s["body"].strip() or s.get("table") for s in content["sections"]):
        raise ValidationFailed(_("报告没有正文，不能发布"))
    last = report.versions.order_by("-number").first()
    if last is not None and _same_text(last.content, content):
        raise InvalidTransition(
            _("报告内容自第 %(number)d 版发布以来没有修改，无需重新发布") % {"number": last.number}
        )
    version = ReportVersion(
        report=report, number=(last.number + 1) if last else 1, title=report.title, content=content,
        text=render_text(content), sha256=content_hash(content), published_on=clock.today(),
        published_at=clock.now(), published_by=actor, published_by_name=getattr(actor, "display_name", str(actor)),
    )
    version.save(force_insert=True)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.PUBLISHED)
    audit.record(
        actor, "report.publish", version, unit_id=report.inspection.target_id, note=note,
        after={"report_id": report.pk, "kind": report.kind, "number": version.number, "sha256": version.sha256,
               "title": version.title},
    )
    return version


# --- comparing versions ---------------------------------------------------------------------------


@dataclass
class DiffRow:
    """One line of a side-by-side comparison: tag is equal | replace | delete | insert."""

    tag: str
    left_no: int | None
    left: str
    right_no: int | None
    right: str


@dataclass
class SectionDiff:
    heading: str
    status: str  # same | changed | added | removed
    rows: list[DiffRow] = field(default_factory=list)


def _rows(a: list[str], b: list[str]) -> list[DiffRow]:
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        span = max(i2 - i1, j2 - j1)
        for k in range(span):
            i, j = i1 + k, j1 + k
            rows.append(DiffRow(
                tag=tag,
                left_no=i + 1 if i < i2 else None, left=a[i] if i < i2 else "",
                right_no=j + 1 if j < j2 else None, right=b[j] if j < j2 else "",
            ))
    return rows


def diff_versions(old: ReportVersion, new: ReportVersion) -> list[SectionDiff]:
    """Compare two versions section by section (matched by key), line by line (difflib)."""
    if old.report_id != new.report_id:
        raise ValidationFailed(_("只能比较同一报告的两个版本"))
    result = [SectionDiff(_("标题"), "same" if old.title == new.title else "changed", _rows([old.title], [new.title]))]
    left = {s["key"]: s for s in old.content.get("sections", [])}
    right = {s["key"]: s for s in new.content.get("sections", [])}
    order = [s["key"] for s in new.content.get("sections", [])]
    order += [k for k in left if k not in right]
    for key in order:
        a = section_text(left[key]) if key in left else []
        b = section_text(right[key]) if key in right else []
        heading = (right.get(key) or left[key]).get("heading") or key
        if key not in left:
            status = "added"
        elif key not in right:
            status = "removed"
        else:
            status = "same" if a == b else "changed"
        result.append(SectionDiff(heading, status, _rows(a, b)))
    return result


# --- feedback from the public ---------------------------------------------------------------------

FEEDBACK_SALT = "rectify.reports.feedback"
FEEDBACK_MIN_SECONDS = 3
FEEDBACK_MAX_AGE = 24 * 3600
_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|<\s*script|javascript\s*:", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def feedback_limit() -> int:
    """Accepted messages per IP address per hour (RECTIFY_FEEDBACK_PER_HOUR, default 5)."""
    return int(getattr(settings, "RECTIFY_FEEDBACK_PER_HOUR", 5))


def feedback_token(report: Report, *, issued: dt.datetime | None = None) -> str:
    """The signed time the form was shown: too quick a submission is a robot's."""
    moment = issued or clock.now()
    return signing.dumps({"r": report.pk, "t": int(moment.timestamp())}, salt=FEEDBACK_SALT)


def _check_token(report: Report, token: str) -> None:
    try:
        data = signing.loads(token or "", salt=FEEDBACK_SALT)
    except signing.BadSignature as exc:
        raise ValidationFailed(_("表单已失效，请刷新页面后重新填写"), field="token") from exc
    if not isinstance(data, dict) or data.get("r") != report.pk or not isinstance(data.get("t"), int):
        raise ValidationFailed(_("表单已失效，请刷新页面后重新填写"), field="token")
    age = clock.now().timestamp() - data["t"]
    if age < FEEDBACK_MIN_SECONDS:
        raise ValidationFailed(_("提交过快，请确认填写内容后再提交"), field="token")
    if age > FEEDBACK_MAX_AGE:
        raise ValidationFailed(_("页面已打开太久，请刷新页面后重新填写"), field="token")


def _clean(value: str, field: str, label: str, limit: int, *, required: bool = False) -> str:
    text = _CONTROL_RE.sub("", (value or "").replace("\r\n", "\n")).strip()
    if required and not text:
        raise ValidationFailed(_("请填写「%(label)s」") % {"label": label}, field=field)
    if len(text) > limit:
        raise ValidationFailed(
            _("「%(label)s」不能超过 %(max)d 字（现有 %(count)d 字）") % {"label": label, "max": limit, "count": len(text)},
            field=field,
        )
    if _TAG_RE.search(text):
        raise ValidationFailed(_("「%(label)s」不能包含网页代码（如 <script> 标签），请只填写文字") % {"label": label}, field=field)
    return text


def _rate_key(client_ip: str) -> str:
    return f"rectify:feedback:{client_ip or 'unknown'}"


@transaction.atomic
def submit_feedback(
    report: Report, *, message: str, name: str = "", contact: str = "", trap: str = "", token: str = "",
    client_ip: str = "",
) -> Feedback:
    """Take an opinion from the public (群众意见) on a published notice into its unit's inbox.

    Refused, with nothing written: a filled honeypot field (`trap`), a form sent sooner than
    FEEDBACK_MIN_SECONDS after it was shown or with a forged token, text over the length limits
    or containing HTML/script, and more than `feedback_limit()` messages per IP address per hour.
    """
    if report.kind != Report.Kind.NOTICE or report.status != Report.Status.PUBLISHED:
        raise NotVisible(_("未找到该通报"))
    if (trap or "").strip():
        raise ValidationFailed(_("提交未被接受：请不要填写标有“请留空”的栏目"), field="trap")
    _check_token(report, token)
    name = _clean(name, "name", _("姓名"), Feedback.NAME_MAX)
    contact = _clean(contact, "contact", _("联系方式"), Feedback.CONTACT_MAX)
    message = _clean(message, "message", _("意见内容"), Feedback.MESSAGE_MAX, required=True)
    key = _rate_key(client_ip)
    cache.add(key, 0, 3600)
    if (cache.get(key) or 0) >= feedback_limit():
        raise ValidationFailed(_("提交过于频繁，请一小时后再试"), field="rate")
    code = new_lookup_code()
    feedback = Feedback.objects.create(
        report=report, unit=report.inspection.target, name=name, contact=contact, message=message,
        lookup_code_hash=make_password(code),
    )
    feedback.lookup_code = code  # type: ignore[attr-defined]  # shown once on the receipt, never stored
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
    # The audit chain is permanent: it records the row, not the sender's name, contact or words.
    audit.record(None, "feedback.submit", feedback, unit_id=feedback.unit_id,
                 after={"report_id": report.pk, "reference": feedback.reference, "length": len(message)})
    return feedback


LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
REFERENCE = re.compile(r"^FK-(\d{4})-(\d{1,12})$")


def new_lookup_code() -> str:
    """The receipt's lookup code (查询码): 8 characters, about 40 bits, kept only hashed."""
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _i in range(8))


def lookup_limit() -> int:
    """Lookups per IP address per hour (RECTIFY_FEEDBACK_LOOKUPS_PER_HOUR, default 10)."""
    return int(getattr(settings, "RECTIFY_FEEDBACK_LOOKUPS_PER_HOUR", 10))


def lookup_feedback(*, reference: str, code: str, client_ip: str = "") -> Feedback | None:
    """The status of an opinion (意见办理情况) for whoever holds both its receipt number and code; None for a
    wrong number and a wrong code alike. Each attempt counts against the address's hourly limit."""
    key = f"rectify:feedback-lookup:{client_ip or 'unknown'}"
    cache.add(key, 0, 3600)
    if (cache.get(key) or 0) >= lookup_limit():
        raise ValidationFailed(_("查询过于频繁，请一小时后再试"), field="rate")
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
    match = REFERENCE.match((reference or "").strip().upper())
    feedback = Feedback.objects.filter(pk=int(match.group(2))).first() if match else None
    if feedback is not None and feedback.reference != (reference or "").strip().upper():
        feedback = None
    stored = feedback.lookup_code_hash if feedback is not None and feedback.lookup_code_hash else None
    # Hash even when there is no such number, so both wrong answers take the same time.
    valid = check_password((code or "").strip().upper(), stored or _dummy_hash())
    return feedback if stored and valid else None


def _dummy_hash() -> str:
    return make_password("not-a-lookup-code")


@transaction.atomic
def handle_feedback(actor: User, feedback: Feedback, *, note: str = "") -> Feedback:
    """Mark an opinion from the public as handled (已处理), with what was done."""
    require_unit(actor, Action.MANAGE_RECORDS, feedback.unit)
    if feedback.status == Feedback.Status.HANDLED:
        raise InvalidTransition(_("该意见已处理"))
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationFailed(_("「处理情况」不能超过 2000 字"), field="note")
    before = audit.snapshot(feedback, ["status", "note"])
    feedback.status = Feedback.Status.HANDLED
    feedback.handled_at = clock.now()
    feedback.handled_by = actor
    feedback.note = note
    feedback.save(update_fields=["status", "handled_at", "handled_by", "note"])
    audit.record(actor, "feedback.handle", feedback, unit_id=feedback.unit_id, before=before,
                 after=audit.snapshot(feedback, ["status", "note", "handled_at"]))
    return feedback
