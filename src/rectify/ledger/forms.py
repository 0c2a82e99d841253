"""Forms of the registers (建章立制, 问题线索, 整改成效, 责任交接): they check shape; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rectify.ledger.models import Handover, Lead, Outcome, RuleChange, Task
from rectify.organizations.models import Organization, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.display_number} {obj.title[:40]}"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class RuleChangeForm(forms.Form):
    title = forms.CharField(label=_("制度名称"), max_length=255)
    action = forms.ChoiceField(label=_("类别"), choices=RuleChange.Action.choices)
    document_no = forms.CharField(label=_("文号"), max_length=64, required=False)
    issued_on = forms.DateField(label=_("印发日期"), required=False, widget=DATE)
    task = TaskChoiceField(label=_("对应整改任务"), queryset=Task.objects.none(), required=False)
    text = forms.CharField(label=_("制度正文"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, tasks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks  # type: ignore[attr-defined]


class LeadForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Lead.Kind.choices)
    reference = forms.CharField(label=_("编号"), max_length=64, required=False)
    summary = forms.CharField(label=_("内容摘要"), widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label=_("移交日期"), widget=DATE)
    handler_org = forms.ModelChoiceField(label=_("承办单位"), queryset=Organization.objects.none(), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[c for c in Lead.Status.choices if c[0] != Lead.Status.CONCLUDED])
    exempt = forms.BooleanField(label=_("不予公开"), required=False, initial=True)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler_org"].queryset = departments  # type: ignore[attr-defined]


class ConcludeLeadForm(forms.Form):
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    concluded_on = forms.DateField(label=_("办结日期"), required=False, widget=DATE)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Outcome.Kind.choices)
    what = forms.CharField(label=_("事项"), max_length=200)
    value = forms.DecimalField(label=_("数值"), min_value=0, max_digits=14, decimal_places=2)
    value_unit = forms.CharField(label=_("计量单位"), max_length=16)
    recorded_on = forms.DateField(label=_("记录日期"), required=False, widget=DATE)
    task = TaskChoiceField(label=_("对应整改任务"), queryset=Task.objects.none(), required=False)
    exempt = forms.BooleanField(label=_("不予公开"), required=False)

    def __init__(self, *args: Any, tasks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks  # type: ignore[attr-defined]


class HandoverForm(forms.Form):
    role = forms.ChoiceField(label=_("交接类别"), choices=Handover.Role.choices)
    from_user = UserChoiceField(label=_("移交人"), queryset=User.objects.none())
    to_user = UserChoiceField(label=_("接收人"), queryset=User.objects.none())
    note = forms.CharField(label=_("交接说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    from_password = forms.CharField(label=_("移交人签字（输入本人密码）"), widget=forms.PasswordInput, strip=False)
    to_password = forms.CharField(label=_("接收人签字（输入本人密码）"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_user"].queryset = people  # type: ignore[attr-defined]
        self.fields["to_user"].queryset = people  # type: ignore[attr-defined]
