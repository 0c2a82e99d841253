"""Messages the rules return: Chinese text that pages translate (rules.messages, language.localize)."""

from __future__ import annotations

import datetime as dt
import json
import pickle

from django.utils import translation

from rectify.language import localize
from rectify.rules.calendar import plan_due
from rectify.rules.messages import Message, gettext_noop


def test_a_message_is_its_chinese_text_wherever_a_str_is_used():
    message = Message(gettext_noop("反馈后%(n)d个工作日"), n=15)
    assert message == "反馈后15个工作日" and json.dumps(message, ensure_ascii=False) == '"反馈后15个工作日"'
    assert message.template == "反馈后%(n)d个工作日" and message.values == {"n": 15}


def test_a_message_survives_pickling_with_its_template():
    message = pickle.loads(pickle.dumps(Message("第 %(row)d 行", row=3)))
    assert message == "第 3 行" and message.template == "第 %(row)d 行" and message.values == {"row": 3}


def test_render_translates_the_template_and_messages_among_the_values():
    words = {"%(label)s：%(n)d": "%(label)s: %(n)d", "时限": "Deadline"}
    message = Message("%(label)s：%(n)d", label=Message("时限"), n=2)
    assert message.render(lambda t: words.get(t, t)) == "Deadline: 2"


def test_localize_renders_a_rule_message_in_the_active_language():
    due = plan_due(dt.date(2025, 1, 20))
    with translation.override("en"):
        assert localize(due.basis) == "15 working days after feedback"
    with translation.override("zh-hans"):
        assert localize(due.basis) == "反馈后15个工作日"
    assert localize("plain text") == "plain text"
