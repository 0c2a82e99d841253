"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SYSTEM_CHAIN = 0


class AuditEvent(models.Model):
    """One write: who, what, before/after, when; `hash` covers these and the previous hash of its chain.

    Each unit's events form a chain of their own (`chain` is the unit's id, 0 for events of no unit), so
    writes of different units never wait for each other. Events written while the log was one chain
    have no `chain` and `seq`: they stay as they were sealed, continued by the system chain's first event.
    """

    created_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150)
    action = models.CharField(pgettext_lazy("audit event", "操作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    unit_id = models.BigIntegerField(_("所属单位"), null=True, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    chain = models.BigIntegerField(_("审计链"), null=True, blank=True)
    seq = models.BigIntegerField(_("链内序号"), null=True, blank=True)
    prev_hash = models.CharField(_("前序哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["id"]
        constraints = [
            # Also the index `rectify audit verify` walks each chain by, and the previous event's lookup.
            models.UniqueConstraint(fields=["chain", "seq"], name="%(app_label)s_%(class)s_chain_seq_unique"),
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_chain_of_its_unit",
                condition=Q(chain__isnull=True, seq__isnull=True)
                | Q(chain=SYSTEM_CHAIN, unit_id__isnull=True, seq__gte=1)
                | Q(chain=F("unit_id"), seq__gte=1),
            ),
        ]
        indexes = [
            # Task page: the audit history of one object.
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # Scoped audit listings per unit.
            models.Index(fields=["unit_id", "id"], name="audit_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit events are append-only")


class AuditHead(models.Model):
    """One chain's head (a row per chain): serializes that chain's appends and reveals a deleted last event.

    `count` is the chain's length, the `seq` of its last event; the row with no `chain` is the head of
    the single chain kept before there was a chain per unit.
    """

    chain = models.BigIntegerField(_("审计链"), null=True, blank=True, unique=True)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"{self.chain}: #{self.last_id} {self.last_hash[:12]}"
