"""Plan submission and review (方案审核): versions, grades 好/中/差, send-back (退回/回炉)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import Forbidden, InvalidTransition, ValidationFailed
from rectify.inspections.models import Inspection
from rectify.organizations.models import Membership, Role, User
from rectify.organizations.scoping import can_unit, is_principal, require_unit, roles_over_unit
from rectify.rules.permissions import Action
from rectify.supervision.models import Notification, PlanReview, PlanVersion, ReviewParty
from rectify.supervision.selectors.plan import plan_integrity
from rectify.supervision.services.notifications import Warning, notify
from rectify.totp.services import active_device, verify_code

SHOWN_UNANSWERED = 5


@transaction.atomic
def submit_plan(actor: User, inspection: Inspection, *, note: str = "") -> PlanVersion:
    """Submit the plan (报送整改方案) as a new version; refused while a feedback problem is unanswered."""
    require_unit(actor, Action.SUBMIT_PLAN, inspection.target, message=_("只有整改办可以报送整改方案"))
    latest = PlanVersion.objects.select_for_update().filter(inspection=inspection).order_by("-number").first()
    if latest is not None and latest.status != PlanVersion.Status.RETURNED:
        raise InvalidTransition(
            _("第 %(n)d 版整改方案%(status)s，不能重复报送") % {"n": latest.number, "status": latest.get_status_display()}
        )
    integrity = plan_integrity(inspection)
    if not integrity.ok:
        names = "；".join(f"{u.finding.label}{u.finding.title[:20]}（{u.reason}）" for u in integrity.unanswered[:SHOWN_UNANSWERED])
        more = _("等 %(n)d 个问题") % {"n": len(integrity.unanswered)} if len(integrity.unanswered) > SHOWN_UNANSWERED else ""
        raise ValidationFailed(_("整改方案不完整，不能报送：%(names)s%(more)s") % {"names": names, "more": more},
                               field="plan")
    version = PlanVersion.objects.create(
        inspection=inspection, number=(latest.number + 1) if latest else 1, note=note.strip(),
        task_count=inspection.tasks.count(), submitted_by=actor,
    )
    audit.record(actor, "plan.submit", version, unit_id=inspection.target_id)
    return version


def may_sign_plan(actor: User, inspection: Inspection) -> bool:
    """Who signs the plan (签字背书): a role the table allows to sign, held as the unit's 第一责任人."""
    return can_unit(actor, Action.SIGN_PLAN, inspection.target) and is_principal(actor, inspection.target)


@transaction.atomic
def sign_plan(actor: User, version: PlanVersion, *, code: str = "") -> PlanVersion:
    """The 第一责任人 signs the plan in person (签字背书): their own login and, where they enabled it, a current
    second-factor code; recorded in the audit chain."""
    inspection = version.inspection
    require_unit(actor, Action.SIGN_PLAN, inspection.target)
    if not may_sign_plan(actor, inspection):
        raise Forbidden(_("只有第一责任人本人可以签字"))
    second_factor = active_device(actor) is not None
    if second_factor:
        verify_code(actor, code=code)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.signed_at is not None:
        raise InvalidTransition(_("第 %(n)d 版整改方案已签字") % {"n": version.number})
    if version.status == PlanVersion.Status.RETURNED:
        raise InvalidTransition(_("第 %(n)d 版整改方案已退回，请审核新版本") % {"n": version.number})
    before = audit.snapshot(version)
    version.signed_by, version.signed_by_user, version.signed_at = actor.display_name, actor, clock.now()
    version.save(update_fields=["signed_by", "signed_by_user", "signed_at"])
    audit.record(actor, "plan.sign", version, unit_id=inspection.target_id, before=before,
                 after={"signed_by": actor.display_name, "user_id": actor.pk, "second_factor": second_factor})
    return version


def _check_review(party: str, grade: str, comments: str, send_back: bool) -> str:
    if party not in PlanReview.Party.values:
        raise ValidationFailed(_("「审核方」无法识别：%(value)s") % {"value": party}, field="party")
    if grade not in PlanReview.Grade.values:
        raise ValidationFailed(_("「评价」无法识别：%(value)s") % {"value": grade}, field="grade")
    comments = (comments or "").strip()
    if send_back and not comments:
        raise ValidationFailed(_("退回重报须写明审核意见"), field="comments")
    return comments


def _tell_office(review: PlanReview, inspection: Inspection, title: str) -> None:
    office = list(Membership.objects.filter(organization=inspection.target, role=Role.RECTIFICATION_OFFICE)
                  .values_list("user_id", flat=True))
    notify([Warning(kind=Notification.Kind.REVIEW, key=f"review:{review.pk}", title=title, body=review.comments,
                    recipients=office, unit_id=inspection.target_id, inspection_id=inspection.pk)])


DEFAULT_PARTIES = (PlanReview.Party.DISCIPLINE, PlanReview.Party.ORGANIZATION, PlanReview.Party.OFFICE)


def required_parties() -> tuple[str, ...]:
    """The parties whose review the plan needs (纪委, 组织部, 巡视办/巡察办 by default; RECTIFY_PLAN_REVIEW_PARTIES)."""
    return tuple(getattr(settings, "RECTIFY_PLAN_REVIEW_PARTIES", DEFAULT_PARTIES))


def party_of(actor: User, inspection: Inspection) -> str | None:
    """The party an account reviews for: its organization's registration, else its role over the unit."""
    registered = ReviewParty.objects.filter(organization__memberships__user=actor).values_list("party", flat=True)
    for party in registered:
        return party
    held = roles_over_unit(actor, inspection.target)
    if Role.SUPERVISOR in held:
        return PlanReview.Party.DISCIPLINE
    if Role.INSPECTION_OFFICE in held:
        return PlanReview.Party.OFFICE
    return None


def pending_parties(version: PlanVersion) -> list[str]:
    """The required parties that have not yet reviewed this version."""
    done = set(version.reviews.values_list("party", flat=True))
    return [p for p in required_parties() if p not in done]


@transaction.atomic
def review_plan(
    actor: User, version: PlanVersion, *, grade: str, comments: str = "", send_back: bool = False,
    party: str | None = None,
) -> PlanReview:
    """A party (纪委, 组织部, 巡视办, 巡视组) grades a plan version 好/中/差 and may send it back (退回/回炉); the
    party is the one the reviewer's account belongs to, and the plan is accepted once every required party
    has reviewed it."""
    inspection = version.inspection
    require_unit(actor, Action.REVIEW_PLAN, inspection.target, message=_("只有巡视巡察办或纪检监督可以审核整改方案"))
    mine = party_of(actor, inspection)
    if mine is None:
        raise Forbidden(_("您的账号不属于任何审核方"))
    if party and party != mine:
        raise Forbidden(_("您的账号属于「%(mine)s」，不能以「%(other)s」名义审核") % {
            "mine": PlanReview.Party(mine).label, "other": PlanReview.Party(party).label
            if party in PlanReview.Party.values else party})
    comments = _check_review(mine, grade, comments, send_back)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == PlanVersion.Status.RETURNED:
        raise InvalidTransition(_("第 %(n)d 版整改方案已退回，请审核新版本") % {"n": version.number})
    if version.reviews.filter(party=mine).exists():
        raise InvalidTransition(_("「%(party)s」已审核第 %(n)d 版整改方案") % {
            "party": PlanReview.Party(mine).label, "n": version.number})
    review = PlanReview.objects.create(
        inspection=inspection, subject=PlanReview.Subject.PLAN, plan_version=version, party=mine, grade=grade,
        comments=comments, sent_back=send_back, reviewer=actor,
    )
    before = audit.snapshot(version)
    if send_back:
        version.status = PlanVersion.Status.RETURNED
    elif not pending_parties(version):
        version.status = PlanVersion.Status.ACCEPTED
    version.save(update_fields=["status"])
    audit.record(actor, "plan.review", review, unit_id=inspection.target_id)
    if version.status != before["status"]:
        audit.record(actor, "plan.return" if send_back else "plan.accept", version, unit_id=inspection.target_id,
                     before=before, note=comments)
    with translation.override(settings.LANGUAGE_CODE):  # the stored notification stays Chinese
        verdict = "退回重报" if send_back else f"评价为「{review.get_grade_display()}」"
        title = f"【方案审核】{review.get_party_display()}对第{version.number}版整改方案{verdict}"
    _tell_office(review, inspection, title)
    return review


@transaction.atomic
def review_report(
    actor: User, inspection: Inspection, *, subject: str = PlanReview.Subject.REPORT, party: str, grade: str,
    comments: str = "", send_back: bool = False,
) -> PlanReview:
    """A party reviews the 整改情况报告 or the 主要负责人组织落实情况报告: 好/中/差, may send it back (回炉)."""
    require_unit(actor, Action.REVIEW_PLAN, inspection.target, message=_("只有巡视巡察办或纪检监督可以审核整改报告"))
    if subject not in (PlanReview.Subject.REPORT, PlanReview.Subject.LEADER_REPORT):
        raise ValidationFailed(_("「审核对象」无法识别：%(value)s") % {"value": subject}, field="subject")
    comments = _check_review(party, grade, comments, send_back)
    review = PlanReview.objects.create(
        inspection=inspection, subject=subject, party=party, grade=grade, comments=comments, sent_back=send_back,
        reviewer=actor,
    )
    audit.record(actor, "report.review", review, unit_id=inspection.target_id, note=comments)
    with translation.override(settings.LANGUAGE_CODE):  # the stored notification stays Chinese
        verdict = "退回重写（回炉）" if send_back else f"评价为「{review.get_grade_display()}」"
        title = f"【报告审核】{review.get_party_display()}对{review.get_subject_display()}{verdict}"
    _tell_office(review, inspection, title)
    return review
