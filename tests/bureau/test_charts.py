"""The chart module's scale: a line chart's top is a round number at or above its highest
point, so a reader takes it in at a glance."""

import pytest

from bureau.charts import Series, line_chart, nice_ceiling


@pytest.mark.parametrize(("value", "top"), [
    (318, 400), (300, 300), (11, 12), (1, 1), (98.2, 100), (100, 100), (0.35, 0.4), (0.012, 0.012),
    (0.0121, 0.015), (2_775.58, 3_000), (0, 1), (-3, 1),
])
def test_the_top_is_the_next_round_number(value, top):
    assert nice_ceiling(value) == top


def test_a_line_chart_labels_its_round_top():
    svg = str(line_chart([Series("已提交督导次数", [0, 320, 335, 218])], labels=["a", "b", "c", "d"], title="t"))
    assert ">400</text>" in svg and "335.5" not in svg and "368.5" not in svg


def test_the_legend_shows_the_latest_figure_to_its_places():
    svg = str(line_chart([Series("教学设备设施标准化学校占比", [93.75, 91.13924], places=1)], labels=["a", "b"],
                         title="t"))
    assert "：91.1<" in svg and "91.139" not in svg
    svg = str(line_chart([Series("已提交督导次数", [320.0, 218.0], places=0)], labels=["a", "b"], title="t"))
    assert "：218<" in svg
