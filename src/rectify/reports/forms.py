"""Forms check shape only; the services hold the rules (lengths, honeypot, timing, rate)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rectify.reports.models import Feedback, Report


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("报告类别"), choices=Report.Kind.choices)


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("章节标题"), required=False, max_length=200)
    body = forms.CharField(label=_("章节正文"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TitleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    signer = forms.CharField(label=_("署名"), max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(label=_("发布说明"), required=False, max_length=500)


class HandleForm(forms.Form):
    note = forms.CharField(label=_("处理情况"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackForm(forms.Form):
    """The portal's form. `website` is the honeypot: hidden by CSS, a person leaves it empty."""

    name = forms.CharField(label=_("姓名（可不填）"), required=False, max_length=Feedback.NAME_MAX * 2)
    contact = forms.CharField(label=_("联系方式（可不填）"), required=False, max_length=Feedback.CONTACT_MAX * 2)
    message = forms.CharField(
        label=_("意见内容"), required=False, max_length=Feedback.MESSAGE_MAX * 4,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": Feedback.MESSAGE_MAX}),
    )
    website = forms.CharField(label=_("请留空"), required=False, max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
