"""The 通报 of a small county list, whole, in each format: what each section says, in which
order, in Markdown, text, HTML and the one-page 专报; the periods a report can cover; the
settings and numbers of the notice. Written for the survivors of issue 27's mutation run of
taskctl/report.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from taskctl.collect import ReplyStatus
from taskctl.errors import DataFileError, InputError
from taskctl.loader import loads
from taskctl.progress import Entry
from taskctl.report import build_report, period, render, review_blocks, window

d = dt.date

LIST = """\
标题: 台安县2024年《政府工作报告》重点任务分解清单
年度: 2024
sections:
- 编号: 一
  标题: 主要预期指标
  任务:
  - 序号: 1
    年度任务目标: 地区生产总值增长6%
    责任领导: [王强]
    牵头部门: [发改局]
  - 序号: 2
    年度任务目标: 完成老旧小区改造12个，同步改造供水供气管网和屋面防水
    责任领导: [李明]
    牵头部门: [住建局]
    完成时限: 2024-06-30
  - 序号: 3
    年度任务目标: 新建城区供热管网8公里
    责任领导: [李明]
    牵头部门: [住建局, 城管局]
  - 序号: 4
    年度任务目标: 引进亿元以上项目10个
    责任领导: [王强]
    牵头部门: [招商局]
  - 序号: 5
    年度任务目标: 建成5G基站200个
    责任领导: [赵红]
    牵头部门: [工信局]
"""
ENTRIES = [
    Entry(1, d(2024, 6, 3), "序时推进", 40, "按计划推进", "发改局"),
    Entry(1, d(2024, 7, 3), "已完成", 100, "已完成全年目标", "发改局"),
    Entry(
        2,
        d(2024, 7, 2),
        "滞后",
        20,
        "",
        "住建局",
        problem="资金未到位，拆迁协调难度大，群众意见不统一",
    ),
    Entry(3, d(2024, 7, 1), "已完成", 100, "", "住建局"),
    Entry(3, d(2024, 7, 2), "滞后", 10, "", "城管局"),
    Entry(5, d(2024, 6, 10), "序时推进", 60, "", "工信局"),
]
DUE = d(2024, 7, 5)
STATUS = [
    ReplyStatus("发改局", "按时", DUE, d(2024, 7, 3)),
    ReplyStatus("住建局", "迟报", DUE, d(2024, 7, 6)),
    ReplyStatus("工信局", "按时", DUE, d(2024, 7, 5)),
    ReplyStatus("招商局", "未报", DUE),
    ReplyStatus("城管局", "未报", DUE),
]
REFUSED = [
    {
        "file": "城管局.xlsx",
        "unit": "城管局",
        "problems": ["城管局.xlsx 第3行：进度应为0到100的整数"],
    }
]


def _report(**options):
    """The week of 1–7 July 2024, the round 2024-W27 (招商局 and 城管局 owe, 城管局's reply was
    sent back, 住建局 was late), written on the 8th."""
    given = {
        "since": d(2024, 7, 1),
        "until": d(2024, 7, 7),
        "as_of": d(2024, 7, 7),
        "today": d(2024, 7, 8),
        "submissions": ("2024-W27", ["发改局", "住建局", "工信局"], ["招商局", "城管局"]),
        "refused": REFUSED,
        "reply_status": STATUS,
    }
    return build_report(loads(LIST), ENTRIES, **{**given, **options})


MARKDOWN = """\
**督查通报**

第27期　台安县人民政府督查室　2024年7月8日

---

# 关于台安县2024年《政府工作报告》重点任务推进情况的通报

各责任单位：

现将有关情况通报如下：

## 一、总体情况

截至2024年7月7日，全部任务共5项，已完成0项，完成率0.0%；序时推进2项，滞后2项，未启动1项。按亮灯情况，红灯4项（其中超期1项），黄灯1项，绿灯0项。

本期（2024年7月1日至7月7日）收到填报4条，涉及3项任务。本期新完成0项，新增滞后1项。

## 二、进展较好

本期无新完成的任务。

## 三、存在问题

### （一）滞后任务

红灯任务4项，其中超期1项，主要是（全部4项见附件1）：

1．住建局：完成老旧小区改造12个，同步改…，已超期，进度20%（序时100.0%）；资金未到位，拆迁协调难…。

2．招商局：引进亿元以上项目10个，从未填报（按进度 0% 计）低于序时进度 51.6%。

3．城管局：新建城区供热管网8公里，进度10%（序时51.6%）。

待协调1项：序号3（住建局已完成（待审核），城管局滞后10%）。各牵头单位报送的进展不一致，请主牵头单位会同其他牵头单位核实，统一口径后报送。

### （二）报送情况

报送期限为2024年7月5日，应报送5个单位，已报送3个。未报送2个单位：招商局、城管局。迟报1个单位：住建局。因填写有误被退回、尚未重新报送的：城管局。

### （三）办结审核

各单位报已完成的，经督查室审核后销号。待审核2项，退回0项，详见附件3。

## 四、下步要求

（一）各单位要对照年度目标倒排工期，确保按序时推进。

（二）红灯任务牵头单位要分析原因，下期报送整改进展。

（三）对长期滞后、未按时报送的，督查室将跟踪督办。

附件：1．滞后任务清单

　　　2．报送情况

　　　3．办结审核情况

台安县人民政府督查室

2024年7月8日

---

附件1

## 滞后任务清单

| 序号 | 任务 | 牵头单位 | 进度 | 滞后原因 | 存在问题 |
|---|---|---|---|---|---|
| 1 | 地区生产总值增长6% | 发改局 | 40% | 进度 40% 低于序时进度 51.6% | 已完成全年目标 |
| 2 | 完成老旧小区改造12个，同步改造供水供气管网和屋面防水 | 住建局 | 20% | 已超过完成时限 2024-06-30；填报为滞后；进度 20% 低于序时进度 100.0% | 资金未到位，拆迁协调难度大，群众意见不统一 |
| 3 | 新建城区供热管网8公里 | 城管局 | 10% | 填报为滞后；进度 10% 低于序时进度 51.6% | — |
| 4 | 引进亿元以上项目10个 | 招商局 | — | 从未填报（按进度 0% 计）低于序时进度 51.6% | — |

---

附件2

## 报送情况

| 序号 | 单位 | 报送情况 | 说明 |
|---|---|---|---|
| 1 | 招商局 | 未报送 |  |
| 2 | 城管局 | 退回 | 城管局.xlsx：第3行：进度应为0到100的整数 |
| 3 | 住建局 | 迟报 | 2024年7月6日收到 |
| 4 | 发改局 | 已报送 |  |
| 5 | 工信局 | 已报送 |  |

---

附件3

## 办结审核情况

待审核（2项）：

- 序号1 地区生产总值增长6%（发改局，2024年7月3日申请办结）
- 序号3 新建城区供热管网8公里（住建局，2024年7月1日申请办结）

退回（0项）：

- 无
"""

TEXT = """\
督查通报
第27期
台安县人民政府督查室　2024年7月8日
========================================

关于台安县2024年《政府工作报告》重点任务推进情况的通报
========================================

各责任单位：

现将有关情况通报如下：

【一、总体情况】

截至2024年7月7日，全部任务共5项，已完成0项，完成率0.0%；序时推进2项，滞后2项，未启动1项。按亮灯情况，红灯4项（其中超期1项），黄灯1项，绿灯0项。

本期（2024年7月1日至7月7日）收到填报4条，涉及3项任务。本期新完成0项，新增滞后1项。

【二、进展较好】

本期无新完成的任务。

【三、存在问题】

（一）滞后任务

红灯任务4项，其中超期1项，主要是（全部4项见附件1）：

1．住建局：完成老旧小区改造12个，同步改…，已超期，进度20%（序时100.0%）；资金未到位，拆迁协调难…。

2．招商局：引进亿元以上项目10个，从未填报（按进度 0% 计）低于序时进度 51.6%。

3．城管局：新建城区供热管网8公里，进度10%（序时51.6%）。

待协调1项：序号3（住建局已完成（待审核），城管局滞后10%）。各牵头单位报送的进展不一致，请主牵头单位会同其他牵头单位核实，统一口径后报送。

（二）报送情况

报送期限为2024年7月5日，应报送5个单位，已报送3个。未报送2个单位：招商局、城管局。迟报1个单位：住建局。因填写有误被退回、尚未重新报送的：城管局。

（三）办结审核

各单位报已完成的，经督查室审核后销号。待审核2项，退回0项，详见附件3。

【四、下步要求】

（一）各单位要对照年度目标倒排工期，确保按序时推进。

（二）红灯任务牵头单位要分析原因，下期报送整改进展。

（三）对长期滞后、未按时报送的，督查室将跟踪督办。

附件：1．滞后任务清单
　　　2．报送情况
　　　3．办结审核情况

台安县人民政府督查室

2024年7月8日

----------------------------------------
附件1
滞后任务清单

  序号：1  任务：地区生产总值增长6%  牵头单位：发改局  进度：40%  滞后原因：进度 40% 低于序时进度 51.6%  存在问题：已完成全年目标
  序号：2  任务：完成老旧小区改造12个，同步改造供水供气管网和屋面防水  牵头单位：住建局  进度：20%  滞后原因：已超过完成时限 2024-06-30；填报为滞后；进度 20% 低于序时进度 100.0%  存在问题：资金未到位，拆迁协调难度大，群众意见不统一
  序号：3  任务：新建城区供热管网8公里  牵头单位：城管局  进度：10%  滞后原因：填报为滞后；进度 10% 低于序时进度 51.6%  存在问题：—
  序号：4  任务：引进亿元以上项目10个  牵头单位：招商局  进度：—  滞后原因：从未填报（按进度 0% 计）低于序时进度 51.6%  存在问题：—

----------------------------------------
附件2
报送情况

  序号：1  单位：招商局  报送情况：未报送
  序号：2  单位：城管局  报送情况：退回  说明：城管局.xlsx：第3行：进度应为0到100的整数
  序号：3  单位：住建局  报送情况：迟报  说明：2024年7月6日收到
  序号：4  单位：发改局  报送情况：已报送
  序号：5  单位：工信局  报送情况：已报送

----------------------------------------
附件3
办结审核情况

待审核（2项）：

  · 序号1 地区生产总值增长6%（发改局，2024年7月3日申请办结）
  · 序号3 新建城区供热管网8公里（住建局，2024年7月1日申请办结）

退回（0项）：

  · 无
"""

HTML_BODY = """\
<body>
<header class="masthead"><p class="name">督查通报</p><p>第27期</p><p class="line"><span>台安县人民政府督查室</span><span>2024年7月8日</span></p></header>
<h1>关于台安县2024年《政府工作报告》重点任务推进情况的通报</h1>
<p class="to">各责任单位：</p>
<p>现将有关情况通报如下：</p>
<h2>一、总体情况</h2>
<p>截至2024年7月7日，全部任务共5项，已完成0项，完成率0.0%；序时推进2项，滞后2项，未启动1项。按亮灯情况，红灯4项（其中超期1项），黄灯1项，绿灯0项。</p>
<p>本期（2024年7月1日至7月7日）收到填报4条，涉及3项任务。本期新完成0项，新增滞后1项。</p>
<h2>二、进展较好</h2>
<p>本期无新完成的任务。</p>
<h2>三、存在问题</h2>
<h3>（一）滞后任务</h3>
<p>红灯任务4项，其中超期1项，主要是（全部4项见附件1）：</p>
<p>1．住建局：完成老旧小区改造12个，同步改…，已超期，进度20%（序时100.0%）；资金未到位，拆迁协调难…。</p>
<p>2．招商局：引进亿元以上项目10个，从未填报（按进度 0% 计）低于序时进度 51.6%。</p>
<p>3．城管局：新建城区供热管网8公里，进度10%（序时51.6%）。</p>
<p>待协调1项：序号3（住建局已完成（待审核），城管局滞后10%）。各牵头单位报送的进展不一致，请主牵头单位会同其他牵头单位核实，统一口径后报送。</p>
<h3>（二）报送情况</h3>
<p>报送期限为2024年7月5日，应报送5个单位，已报送3个。未报送2个单位：招商局、城管局。迟报1个单位：住建局。因填写有误被退回、尚未重新报送的：城管局。</p>
<h3>（三）办结审核</h3>
<p>各单位报已完成的，经督查室审核后销号。待审核2项，退回0项，详见附件3。</p>
<h2>四、下步要求</h2>
<p>（一）各单位要对照年度目标倒排工期，确保按序时推进。</p>
<p>（二）红灯任务牵头单位要分析原因，下期报送整改进展。</p>
<p>（三）对长期滞后、未按时报送的，督查室将跟踪督办。</p>
<p class="attachments">附件：1．滞后任务清单<br>　　　2．报送情况<br>　　　3．办结审核情况</p>
<p class="sign">台安县人民政府督查室</p>
<p class="sign">2024年7月8日</p>
<section class="annex"><p class="n">附件1</p><h2>滞后任务清单</h2></section>
<div class="scroll"><table><thead><tr><th>序号</th><th>任务</th><th>牵头单位</th><th>进度</th><th>滞后原因</th><th>存在问题</th></tr></thead><tbody><tr><td class="num">1</td><td>地区生产总值增长6%</td><td class="n">发改局</td><td class="num">40%</td><td>进度 40% 低于序时进度 51.6%</td><td>已完成全年目标</td></tr><tr><td class="num">2</td><td>完成老旧小区改造12个，同步改造供水供气管网和屋面防水</td><td class="n">住建局</td><td class="num">20%</td><td>已超过完成时限 2024-06-30；填报为滞后；进度 20% 低于序时进度 100.0%</td><td>资金未到位，拆迁协调难度大，群众意见不统一</td></tr><tr><td class="num">3</td><td>新建城区供热管网8公里</td><td class="n">城管局</td><td class="num">10%</td><td>填报为滞后；进度 10% 低于序时进度 51.6%</td><td>—</td></tr><tr><td class="num">4</td><td>引进亿元以上项目10个</td><td class="n">招商局</td><td class="num">—</td><td>从未填报（按进度 0% 计）低于序时进度 51.6%</td><td>—</td></tr></tbody></table></div>
<section class="annex"><p class="n">附件2</p><h2>报送情况</h2></section>
<div class="scroll"><table><thead><tr><th>序号</th><th>单位</th><th>报送情况</th><th>说明</th></tr></thead><tbody><tr><td class="num">1</td><td class="n">招商局</td><td class="n">未报送</td><td></td></tr><tr><td class="num">2</td><td class="n">城管局</td><td class="n">退回</td><td>城管局.xlsx：第3行：进度应为0到100的整数</td></tr><tr><td class="num">3</td><td class="n">住建局</td><td class="n">迟报</td><td>2024年7月6日收到</td></tr><tr><td class="num">4</td><td class="n">发改局</td><td class="n">已报送</td><td></td></tr><tr><td class="num">5</td><td class="n">工信局</td><td class="n">已报送</td><td></td></tr></tbody></table></div>
<section class="annex"><p class="n">附件3</p><h2>办结审核情况</h2></section>
<p>待审核（2项）：</p>
<ul><li>序号1 地区生产总值增长6%（发改局，2024年7月3日申请办结）</li><li>序号3 新建城区供热管网8公里（住建局，2024年7月1日申请办结）</li></ul>
<p>退回（0项）：</p>
<ul><li>无</li></ul>
</body>
</html>
"""

BRIEF = """\
**督查专报**

第27期　台安县人民政府督查室　2024年7月8日

---

# 关于台安县2024年《政府工作报告》重点任务推进情况的专报

## 一、总体情况

截至2024年7月7日，全部任务5项：已完成0项（完成率0.0%），序时推进2项，滞后2项，未启动1项；红灯4项（其中超期1项），黄灯1项，绿灯0项。

应报送5个单位，已报送3个；本期新完成0项，新增滞后1项。

## 二、红灯任务

红灯任务4项，其中超期1项，如下：

1．住建局：完成老旧小区改造12个，同…，进度20%。

2．招商局：引进亿元以上项目10个。

3．城管局：新建城区供热管网8公里，进度10%。

4．发改局：地区生产总值增长6%，进度40%。
"""


def test_the_whole_notice_in_markdown():
    assert render(_report(), "markdown") == MARKDOWN


def test_the_whole_notice_as_text():
    assert render(_report(), "text") == TEXT


def test_the_whole_notice_as_html():
    page = render(_report(), "html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n')
    assert "<title>关于台安县2024年《政府工作报告》重点任务推进情况的通报</title>" in page
    assert page[page.index("<body>") :] == HTML_BODY


def test_the_one_page_brief():
    assert render(_report(), "markdown", brief=True) == BRIEF


# periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"month": "2023-01"}, (d(2023, 1, 1), d(2023, 1, 31), d(2023, 1, 31), "month")),
        ({"month": "2023年11月"}, (d(2023, 11, 1), d(2023, 11, 30), d(2023, 11, 30), "month")),
        ({"month": "2023/2"}, (d(2023, 2, 1), d(2023, 2, 28), d(2023, 2, 28), "month")),
        ({"month": "2023-12"}, (d(2023, 12, 1), d(2023, 12, 31), d(2023, 12, 31), "month")),
        ({"quarter": "2023q4"}, (d(2023, 10, 1), d(2023, 12, 31), d(2023, 12, 31), "quarter")),
        ({"quarter": "2023Q1"}, (d(2023, 1, 1), d(2023, 3, 31), d(2023, 3, 31), "quarter")),
        ({"quarter": "2023 - Q3"}, (d(2023, 7, 1), d(2023, 9, 30), d(2023, 9, 30), "quarter")),
        ({"year": "2023年"}, (d(2023, 1, 1), d(2023, 12, 31), d(2023, 12, 31), "year")),
        ({"week": "2023-W26"}, (d(2023, 6, 26), d(2023, 7, 2), d(2023, 7, 2), "week")),
        # a period not over yet is reported as it stands on the day
        ({"month": "2024-07"}, (d(2024, 7, 1), d(2024, 7, 31), d(2024, 7, 8), "month")),
        ({"since": d(2024, 6, 1)}, (d(2024, 6, 1), d(2024, 7, 8), d(2024, 7, 8), "range")),
        ({"until": d(2024, 6, 30)}, (d(2024, 6, 24), d(2024, 6, 30), d(2024, 6, 30), "range")),
        ({}, (d(2024, 7, 2), d(2024, 7, 8), d(2024, 7, 8), "week")),
    ],
)
def test_the_period_a_report_covers(given, expected):
    assert period(None, today=d(2024, 7, 8), **given) == expected


def test_the_as_of_date_given_ends_the_default_week_and_stays_the_as_of_date():
    assert period(d(2024, 5, 15), today=d(2024, 7, 8)) == (
        d(2024, 5, 9),
        d(2024, 5, 15),
        d(2024, 5, 15),
        "week",
    )
    assert period(d(2024, 5, 15), month="2024-06", today=d(2024, 7, 8))[2] == d(2024, 5, 15)
    assert period(d(2024, 6, 20), since=d(2024, 6, 1), today=d(2024, 7, 8)) == (
        d(2024, 6, 1),
        d(2024, 6, 20),
        d(2024, 6, 20),
        "range",
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"month": "2023-00"}, "月份「2023-00」应写成 2023-06"),
        ({"month": "2023-13"}, "月份「2023-13」应写成 2023-06"),
        ({"quarter": "2023Q0"}, "季度「2023Q0」应写成 2023Q2（Q1–Q4）"),
        ({"year": "二〇二三"}, "年份「二〇二三」应写成 2023"),
        ({"week": "2023-W26", "month": "2023-06"}, "--week 与 --month 只能选一种"),
        ({"quarter": "2023Q2", "year": "2023"}, "--quarter 与 --year 只能选一种"),
        ({"year": "2023", "until": d(2023, 6, 1)}, "--year 与 --since/--until 只能选一种"),
        (
            {"since": d(2023, 6, 2), "until": d(2023, 6, 1)},
            "统计区间的起点 2023-06-02 晚于终点 2023-06-01",
        ),
    ],
)
def test_a_period_wrongly_given_is_one_error_saying_how(given, message):
    with pytest.raises(InputError) as caught:
        period(None, today=d(2024, 7, 8), **given)
    assert str(caught.value) == message


def test_the_window_of_a_week_or_a_span():
    assert window(None, "2023-W01") == (d(2023, 1, 2), d(2023, 1, 8), d(2023, 1, 8))
    assert window(d(2023, 3, 1), since=d(2023, 2, 1)) == (
        d(2023, 2, 1),
        d(2023, 3, 1),
        d(2023, 3, 1),
    )
    assert window(None, until=d(2023, 3, 1)) == (d(2023, 2, 23), d(2023, 3, 1), d(2023, 3, 1))
    assert window(None, today=d(2023, 3, 7)) == (d(2023, 3, 1), d(2023, 3, 7), d(2023, 3, 7))
    assert window(None, since=d(2023, 3, 7), today=d(2023, 3, 7)) == (d(2023, 3, 7),) * 3
    with pytest.raises(InputError, match="^--week 与 --since/--until 只能选一种$"):
        window(None, "2023-W01", until=d(2023, 3, 1))


# the year, everything on time ---------------------------------------------------------------

YEAR_LIST = """\
标题: ""
年度: 2024
办结审核: false
通报:
  刊头: 工作专报
  发文机关: 县委县政府督查室
  主送: [各镇街道, 县直各部门]
sections:
- 编号: 一
  标题: 主要预期指标
  任务:
  - 序号: 1
    年度任务目标: 地区生产总值增长6%
    责任领导: [王  强]
    牵头部门: [发改局]
    完成时限: 2024-06-30
  - 序号: 2
    年度任务目标: 完成老旧小区改造12个
    责任领导: [李明]
    牵头部门: [住建局]
    完成时限: 2024-06-30
  - 序号: 3
    年度任务目标: 新建城区供热管网8公里
    责任领导: [李明]
    牵头部门: [住建局]
  - 序号: 4
    年度任务目标: 引进亿元以上项目10个
    责任领导: [王  强]
    牵头部门: [招商局]
  - 序号: 5
    年度任务目标: 建成5G基站200个
    责任领导: [赵红]
    牵头部门: []
"""
YEAR_ENTRIES = [
    Entry(1, d(2024, 6, 20), "已完成", 100, "", "发改局"),
    Entry(2, d(2024, 7, 2), "已完成", 100, "", "住建局"),  # two days past its 完成时限
    Entry(3, d(2024, 7, 3), "已完成", 100, "", "住建局"),
    Entry(4, d(2024, 7, 5), "序时推进", 60, "", "招商局"),
    Entry(5, d(2024, 7, 5), "序时推进", 60, "", "工信局"),
]


def _year_report():
    """The year 2024 as of 7 July, 办结审核 off, the list's own 通报 settings, no title."""
    return build_report(
        loads(YEAR_LIST),
        YEAR_ENTRIES,
        since=d(2024, 1, 1),
        until=d(2024, 12, 31),
        as_of=d(2024, 7, 7),
        today=d(2024, 7, 8),
        kind="year",
        submissions=("2024-W27", ["发改局", "住建局", "招商局"], []),
    )


YEAR_MARKDOWN = """\
**工作专报**

第1期　县委县政府督查室　2024年7月8日

---

# 关于重点任务完成情况的通报

各镇街道、县直各部门：

现将有关情况通报如下：

## 一、总体情况

截至2024年7月7日，全部任务共5项，已完成3项，完成率60.0%；序时推进2项，滞后0项，未启动0项。按亮灯情况，红灯0项，黄灯0项，绿灯5项。

本期（2024年1月1日至12月31日）收到填报5条，涉及5项任务。本期新完成3项，新增滞后0项。

## 二、进展较好

本期完成任务3项：地区生产总值增长6%（发改局）；完成老旧小区改造12个（住建局）等3项。

住建局、发改局、招商局牵头的任务无红灯、按时填报，推进较好。

## 三、存在问题

### （一）滞后任务

本期无红灯任务。

### （二）报送情况

应报送3个单位，均已按时报送。

## 四、下步要求

（一）各单位要对照年度目标倒排工期，确保按序时推进。

（二）红灯任务牵头单位要分析原因，下期报送整改进展。

（三）对长期滞后、未按时报送的，督查室将跟踪督办。

附件：1．滞后任务清单

　　　2．报送情况

　　　3．年度考评排名

县委县政府督查室

2024年7月8日

---

附件1

## 滞后任务清单

无红灯任务。

---

附件2

## 报送情况

| 序号 | 单位 | 报送情况 | 说明 |
|---|---|---|---|
| 1 | 发改局 | 已报送 |  |
| 2 | 住建局 | 已报送 |  |
| 3 | 招商局 | 已报送 |  |

---

附件3

## 年度考评排名

按牵头部门（4个，按完成率、按时完成率排名）：

| 排名 | 牵头部门 | 任务数 | 已完成 | 完成率 | 按时完成 | 按时完成率 | 超期未完成 |
|---|---|---|---|---|---|---|---|
| 1 | 发改局 | 1 | 1 | 100.0% | 1 | 100.0% | 0 |
| 2 | 住建局 | 2 | 2 | 100.0% | 1 | 50.0% | 0 |
| 3 | 招商局 | 1 | 0 | 0.0% | 0 | 0.0% | 0 |
| 3 | （未填写） | 1 | 0 | 0.0% | 0 | 0.0% | 0 |

按责任领导（3个，按完成率、按时完成率排名）：

| 排名 | 责任领导 | 任务数 | 已完成 | 完成率 | 按时完成 | 按时完成率 | 超期未完成 |
|---|---|---|---|---|---|---|---|
| 1 | 李明 | 2 | 2 | 100.0% | 1 | 50.0% | 0 |
| 2 | 王强 | 2 | 1 | 50.0% | 1 | 50.0% | 0 |
| 3 | 赵红 | 1 | 0 | 0.0% | 0 | 0.0% | 0 |
"""

YEAR_TEXT = """\
工作专报
第1期
县委县政府督查室　2024年7月8日
========================================

关于重点任务完成情况的通报
========================================

各镇街道、县直各部门：

现将有关情况通报如下：

【一、总体情况】

截至2024年7月7日，全部任务共5项，已完成3项，完成率60.0%；序时推进2项，滞后0项，未启动0项。按亮灯情况，红灯0项，黄灯0项，绿灯5项。

本期（2024年1月1日至12月31日）收到填报5条，涉及5项任务。本期新完成3项，新增滞后0项。

【二、进展较好】

本期完成任务3项：地区生产总值增长6%（发改局）；完成老旧小区改造12个（住建局）等3项。

住建局、发改局、招商局牵头的任务无红灯、按时填报，推进较好。

【三、存在问题】

（一）滞后任务

本期无红灯任务。

（二）报送情况

应报送3个单位，均已按时报送。

【四、下步要求】

（一）各单位要对照年度目标倒排工期，确保按序时推进。

（二）红灯任务牵头单位要分析原因，下期报送整改进展。

（三）对长期滞后、未按时报送的，督查室将跟踪督办。

附件：1．滞后任务清单
　　　2．报送情况
　　　3．年度考评排名

县委县政府督查室

2024年7月8日

----------------------------------------
附件1
滞后任务清单

无红灯任务。

----------------------------------------
附件2
报送情况

  序号：1  单位：发改局  报送情况：已报送
  序号：2  单位：住建局  报送情况：已报送
  序号：3  单位：招商局  报送情况：已报送

----------------------------------------
附件3
年度考评排名

按牵头部门（4个，按完成率、按时完成率排名）：

  排名：1  牵头部门：发改局  任务数：1  已完成：1  完成率：100.0%  按时完成：1  按时完成率：100.0%  超期未完成：0
  排名：2  牵头部门：住建局  任务数：2  已完成：2  完成率：100.0%  按时完成：1  按时完成率：50.0%  超期未完成：0
  排名：3  牵头部门：招商局  任务数：1  已完成：0  完成率：0.0%  按时完成：0  按时完成率：0.0%  超期未完成：0
  排名：3  牵头部门：（未填写）  任务数：1  已完成：0  完成率：0.0%  按时完成：0  按时完成率：0.0%  超期未完成：0

按责任领导（3个，按完成率、按时完成率排名）：

  排名：1  责任领导：李明  任务数：2  已完成：2  完成率：100.0%  按时完成：1  按时完成率：50.0%  超期未完成：0
  排名：2  责任领导：王强  任务数：2  已完成：1  完成率：50.0%  按时完成：1  按时完成率：50.0%  超期未完成：0
  排名：3  责任领导：赵红  任务数：1  已完成：0  完成率：0.0%  按时完成：0  按时完成率：0.0%  超期未完成：0
"""


def test_the_year_report_with_its_ranking_in_markdown():
    assert render(_year_report(), "markdown") == YEAR_MARKDOWN


def test_the_year_report_as_text():
    assert render(_year_report(), "text") == YEAR_TEXT


# the data behind (the JSON) ------------------------------------------------------------------

WEEK_DATA = {
    "title": "台安县2024年《政府工作报告》重点任务分解清单 进度周报",
    "heading": "关于台安县2024年《政府工作报告》重点任务推进情况的通报",
    "masthead": "督查通报",
    "issue_number": 27,
    "office": "台安县人民政府督查室",
    "recipients": ["各责任单位"],
    "date": "2024-07-08",
    "kind": "week",
    "scope": "全部任务",
    "since": "2024-07-01",
    "until": "2024-07-07",
    "as_of": "2024-07-07",
    "stale_days": 14,
    "headline": {
        "tasks": 5,
        "statuses": {"not_started": 1, "on_track": 2, "behind": 2, "done": 0},
        "lights": {"red": 4, "yellow": 1, "green": 0},
        "completion_rate": 0.0,
        "overdue": 1,
        "entries_in_window": 4,
        "tasks_reported_in_window": 3,
        "stale": 2,
    },
    "newly_completed": [],
    "newly_behind": [
        {
            "id": 1,
            "text": "地区生产总值增长6%",
            "leaders": ["王强"],
            "lead_departments": ["发改局"],
            "units": ["发改局"],
            "reason": "进度 40% 低于序时进度 51.6%",
        }
    ],
    "red_by_unit": [
        {"department": "发改局", "count": 1, "overdue": 0},
        {"department": "住建局", "count": 1, "overdue": 1},
        {"department": "城管局", "count": 1, "overdue": 0},
        {"department": "招商局", "count": 1, "overdue": 0},
    ],
    "disputed": [
        {
            "id": 3,
            "text": "新建城区供热管网8公里",
            "leaders": ["李明"],
            "lead_departments": ["住建局", "城管局"],
            "units": [
                {"unit": "住建局", "status": "已完成（待审核）", "progress": None},
                {"unit": "城管局", "status": "滞后", "progress": 10},
            ],
        }
    ],
    "good_units": [],
    "stale": [
        {
            "department": "招商局",
            "count": 1,
            "never_reported": 1,
            "tasks": [
                {
                    "id": 4,
                    "text": "引进亿元以上项目10个",
                    "leaders": ["王强"],
                    "lead_departments": ["招商局"],
                    "status": "未启动",
                    "updated": None,
                    "days_since_report": None,
                }
            ],
        },
        {
            "department": "工信局",
            "count": 1,
            "never_reported": 0,
            "tasks": [
                {
                    "id": 5,
                    "text": "建成5G基站200个",
                    "leaders": ["赵红"],
                    "lead_departments": ["工信局"],
                    "status": "序时推进",
                    "updated": "2024-06-10",
                    "days_since_report": 27,
                }
            ],
        },
    ],
    "by_leader": [
        {
            "group": "王强",
            "tasks": 2,
            "not_started": 1,
            "on_track": 1,
            "behind": 0,
            "done": 0,
            "red": 2,
            "yellow": 0,
            "green": 0,
            "completion_rate": 0.0,
            "overdue": 0,
        },
        {
            "group": "李明",
            "tasks": 2,
            "not_started": 0,
            "on_track": 0,
            "behind": 2,
            "done": 0,
            "red": 2,
            "yellow": 0,
            "green": 0,
            "completion_rate": 0.0,
            "overdue": 1,
        },
        {
            "group": "赵红",
            "tasks": 1,
            "not_started": 0,
            "on_track": 1,
            "behind": 0,
            "done": 0,
            "red": 0,
            "yellow": 1,
            "green": 0,
            "completion_rate": 0.0,
            "overdue": 0,
        },
    ],
    "submissions": {
        "period": "2024-W27",
        "reported": ["发改局", "住建局", "工信局"],
        "owed": ["招商局", "城管局"],
        "refused": [
            {
                "file": "城管局.xlsx",
                "unit": "城管局",
                "problems": ["城管局.xlsx 第3行：进度应为0到100的整数"],
            }
        ],
        "due": "2024-07-05",
        "on_time": [
            {"unit": "发改局", "status": "按时", "due": "2024-07-05", "received": "2024-07-03"},
            {"unit": "工信局", "status": "按时", "due": "2024-07-05", "received": "2024-07-05"},
        ],
        "late": [
            {"unit": "住建局", "status": "迟报", "due": "2024-07-05", "received": "2024-07-06"}
        ],
        "missing": [
            {"unit": "招商局", "status": "未报", "due": "2024-07-05", "received": None},
            {"unit": "城管局", "status": "未报", "due": "2024-07-05", "received": None},
        ],
    },
    "review": {
        "pending": [
            {
                "id": 1,
                "text": "地区生产总值增长6%",
                "leaders": ["王强"],
                "lead_departments": ["发改局"],
                "unit": "发改局",
                "review": "待审核",
                "requested": "2024-07-03",
                "reviewed": None,
                "reviewer": "",
                "reason": "",
            },
            {
                "id": 3,
                "text": "新建城区供热管网8公里",
                "leaders": ["李明"],
                "lead_departments": ["住建局", "城管局"],
                "unit": "住建局",
                "review": "待审核",
                "requested": "2024-07-01",
                "reviewed": None,
                "reviewer": "",
                "reason": "",
            },
        ],
        "returned": [],
    },
}

YEAR_DATA = {
    "title": "任务清单 2024年度总结",
    "heading": "关于重点任务完成情况的通报",
    "masthead": "工作专报",
    "issue_number": 1,
    "office": "县委县政府督查室",
    "recipients": ["各镇街道", "县直各部门"],
    "date": "2024-07-08",
    "kind": "year",
    "scope": "全部任务",
    "since": "2024-01-01",
    "until": "2024-12-31",
    "as_of": "2024-07-07",
    "stale_days": 14,
    "headline": {
        "tasks": 5,
        "statuses": {"not_started": 0, "on_track": 2, "behind": 0, "done": 3},
        "lights": {"red": 0, "yellow": 0, "green": 5},
        "completion_rate": 60.0,
        "overdue": 0,
        "entries_in_window": 5,
        "tasks_reported_in_window": 5,
        "stale": 0,
    },
    "newly_completed": [
        {
            "id": 1,
            "text": "地区生产总值增长6%",
            "leaders": ["王强"],
            "lead_departments": ["发改局"],
            "date": "2024-06-20",
        },
        {
            "id": 2,
            "text": "完成老旧小区改造12个",
            "leaders": ["李明"],
            "lead_departments": ["住建局"],
            "date": "2024-07-02",
        },
        {
            "id": 3,
            "text": "新建城区供热管网8公里",
            "leaders": ["李明"],
            "lead_departments": ["住建局"],
            "date": "2024-07-03",
        },
    ],
    "newly_behind": [],
    "red_by_unit": [],
    "disputed": [],
    "good_units": [
        {"unit": "住建局", "tasks": 2, "done": 2},
        {"unit": "发改局", "tasks": 1, "done": 1},
        {"unit": "招商局", "tasks": 1, "done": 0},
    ],
    "stale": [],
    "by_leader": [
        {
            "group": "赵红",
            "tasks": 1,
            "not_started": 0,
            "on_track": 1,
            "behind": 0,
            "done": 0,
            "red": 0,
            "yellow": 0,
            "green": 1,
            "completion_rate": 0.0,
            "overdue": 0,
        },
        {
            "group": "王强",
            "tasks": 2,
            "not_started": 0,
            "on_track": 1,
            "behind": 0,
            "done": 1,
            "red": 0,
            "yellow": 0,
            "green": 2,
            "completion_rate": 50.0,
            "overdue": 0,
        },
        {
            "group": "李明",
            "tasks": 2,
            "not_started": 0,
            "on_track": 0,
            "behind": 0,
            "done": 2,
            "red": 0,
            "yellow": 0,
            "green": 2,
            "completion_rate": 100.0,
            "overdue": 0,
        },
    ],
    "submissions": {
        "period": "2024-W27",
        "reported": ["发改局", "住建局", "招商局"],
        "owed": [],
        "refused": [],
    },
    "ranking": {
        "dept": [
            {
                "group": "发改局",
                "tasks": 1,
                "done": 1,
                "completion_rate": 100.0,
                "on_time": 1,
                "on_time_rate": 100.0,
                "overdue": 0,
                "rank": 1,
            },
            {
                "group": "住建局",
                "tasks": 2,
                "done": 2,
                "completion_rate": 100.0,
                "on_time": 1,
                "on_time_rate": 50.0,
                "overdue": 0,
                "rank": 2,
            },
            {
                "group": "招商局",
                "tasks": 1,
                "done": 0,
                "completion_rate": 0.0,
                "on_time": 0,
                "on_time_rate": 0.0,
                "overdue": 0,
                "rank": 3,
            },
            {
                "group": "（未填写）",
                "tasks": 1,
                "done": 0,
                "completion_rate": 0.0,
                "on_time": 0,
                "on_time_rate": 0.0,
                "overdue": 0,
                "rank": 3,
            },
        ],
        "leader": [
            {
                "group": "李明",
                "tasks": 2,
                "done": 2,
                "completion_rate": 100.0,
                "on_time": 1,
                "on_time_rate": 50.0,
                "overdue": 0,
                "rank": 1,
            },
            {
                "group": "王强",
                "tasks": 2,
                "done": 1,
                "completion_rate": 50.0,
                "on_time": 1,
                "on_time_rate": 50.0,
                "overdue": 0,
                "rank": 2,
            },
            {
                "group": "赵红",
                "tasks": 1,
                "done": 0,
                "completion_rate": 0.0,
                "on_time": 0,
                "on_time_rate": 0.0,
                "overdue": 0,
                "rank": 3,
            },
        ],
    },
}


def _data(report):
    """The report as its JSON says it, less what the sections above show whole (附件1's red
    tasks, the entries and the figures per section)."""
    data = json.loads(render(report, "json"))
    for key in ("red", "new_entries", "by_section"):
        data.pop(key)
    return data


def test_the_week_report_as_data():
    assert _data(_report()) == WEEK_DATA
    assert render(_report(), "json").startswith(
        '{\n  "title": "台安县2024年《政府工作报告》重点任务分解清单 进度周报",\n  "heading": '
    )


def test_the_year_report_as_data():
    assert _data(_year_report()) == YEAR_DATA


def test_the_entries_of_the_period_come_by_date_then_task():
    entries = json.loads(render(_report(), "json"))["new_entries"]
    assert [(e["id"], e["date"]) for e in entries] == [
        (3, "2024-07-01"),
        (2, "2024-07-02"),
        (3, "2024-07-02"),
        (1, "2024-07-03"),
    ]


# 办结审核 ----------------------------------------------------------------------------------------


def _reviewed(task_id, text, **more):
    return {"id": task_id, "text": text, "unit": "住建局", "requested": "2024-07-01", **more}


def test_the_review_annex_cuts_a_text_past_28_characters():
    exact = "推进城区老旧小区改造，完成改造12个小区，惠及居民三千余户，改善人居环境"
    assert len(exact) == 36
    report = {
        "review": {
            "pending": [_reviewed(2, exact[:28]), _reviewed(3, exact[:29])],
            "returned": [
                _reviewed(4, "新建城区供热管网8公里", reviewed="2024-07-05", reason="佐证材料不全")
            ],
            "extensions": [
                {
                    **_reviewed(5, "建成5G基站200个"),
                    "deadline": "2024-12-31",
                    "late": True,
                    "reason": "设备到货延迟",
                },
                {
                    **_reviewed(6, "引进亿元以上项目10个"),
                    "deadline": "2024-10-31",
                    "late": False,
                    "reason": "客商考察推迟",
                },
            ],
            "by_unit": [{"unit": "住建局", "closed": 3, "pending": 2, "returned": 1}],
        }
    }
    assert review_blocks(report) == [
        ("p", "待审核（2项）："),
        (
            "ul",
            [
                f"序号2 {exact[:28]}（住建局，2024年7月1日申请办结）",
                f"序号3 {exact[:27]}…（住建局，2024年7月1日申请办结）",
            ],
        ),
        ("p", "退回（1项）："),
        (
            "ul",
            [
                "序号4 新建城区供热管网8公里（住建局，2024年7月1日申请办结，2024年7月5日退回：佐证材料不全）"
            ],
        ),
        ("p", "延期申请待审核（2项）："),
        (
            "ul",
            [
                "序号5 建成5G基站200个（住建局，2024年7月1日申请延期至2024年12月31日，逾期申请）：设备到货延迟",
                "序号6 引进亿元以上项目10个（住建局，2024年7月1日申请延期至2024年10月31日）：客商考察推迟",
            ],
        ),
        ("table", (["单位", "已销号", "待审核", "退回"], [["住建局", "3", "2", "1"]])),
    ]
    assert review_blocks({"review": None}) == []


# eight units: the names of a sentence past six -------------------------------------------------

UNITS = ["发改局", "财政局", "教育局", "民政局", "司法局", "交通局", "水利局", "农业农村局"]


def _eight_units():
    """Eight tasks, a unit each, all on time (two done); the round owed by seven, one reply
    sent back without a unit, 交通局 late."""
    tasks = "".join(
        f"\n  - 序号: {n}\n    年度任务目标: 重点工作第{n}项\n    责任领导: [张三]\n"
        f"    牵头部门: [{unit}]"
        for n, unit in enumerate(UNITS, 1)
    )
    text = (
        "标题: 2024年重点工作任务清单\n年度: 2024\n办结审核: false\nsections:\n- 编号: 一\n"
        f"  标题: 重点工作\n  任务:{tasks}\n"
    )
    entries = [
        Entry(n, d(2024, 7, 5), "已完成" if n <= 2 else "序时推进", 100 if n <= 2 else 80, "", u)
        for n, u in enumerate(UNITS, 1)
    ]
    report = build_report(
        loads(text),
        entries,
        since=d(2024, 7, 1),
        until=d(2024, 7, 7),
        as_of=d(2024, 7, 7),
        today=d(2024, 7, 8),
        submissions=("2024-W27", ["交通局"], UNITS[:5] + UNITS[6:]),
        refused=[{"file": "无名.xlsx", "unit": "", "problems": ["无名.xlsx 未写单位"]}],
    )
    report["submissions"]["late"] = ["交通局"]  # a name, as an older round records it
    return render(report, "markdown")


def test_a_sentence_names_six_units_and_counts_the_rest():
    markdown = _eight_units()
    body = markdown[markdown.index("## 二、进展较好") : markdown.index("## 四、下步要求")]
    assert body == (
        "## 二、进展较好\n\n"
        "本期完成任务2项：重点工作第1项（发改局）；重点工作第2项（财政局）。\n\n"
        "发改局、财政局、教育局、民政局、司法局、交通局等8个单位牵头的任务无红灯、按时填报，"
        "推进较好。\n\n"
        "## 三、存在问题\n\n"
        "### （一）滞后任务\n\n"
        "本期无红灯任务。\n\n"
        "### （二）报送情况\n\n"
        "应报送8个单位，已报送1个。未报送7个单位：发改局、财政局、教育局、民政局、司法局、水利局等。"
        "迟报1个单位：交通局。因填写有误被退回、尚未重新报送的：单位不明。\n\n"
    )
    assert markdown.endswith(
        "| 序号 | 单位 | 报送情况 | 说明 |\n"
        "|---|---|---|---|\n"
        "| 1 | 发改局 | 未报送 |  |\n"
        "| 2 | 财政局 | 未报送 |  |\n"
        "| 3 | 教育局 | 未报送 |  |\n"
        "| 4 | 民政局 | 未报送 |  |\n"
        "| 5 | 司法局 | 未报送 |  |\n"
        "| 6 | 水利局 | 未报送 |  |\n"
        "| 7 | 农业农村局 | 未报送 |  |\n"
        "| 8 | 单位不明 | 退回 | 无名.xlsx：未写单位 |\n"
        "| 9 | 交通局 | 迟报 |  |\n"
    )


# a span over the new year, units at odds -----------------------------------------------------


def _at_odds(count=4):
    """Four tasks 住建局 says are done and 城管局 not (待协调), one 滞后 without a figure; the
    span 25 December to 7 January, for 李明's tasks in 部分 一."""
    tasks = "".join(
        f"\n  - 序号: {n}\n    年度任务目标: 改造老旧小区第{n}批\n    责任领导: [李明]\n"
        "    牵头部门: [住建局, 城管局]"
        for n in range(1, count + 1)
    )
    text = (
        "标题: 2024年重点工作任务清单\n年度: 2024\n办结审核: false\nsections:\n- 编号: 一\n"
        f"  标题: 城市建设\n  任务:{tasks}\n  - 序号: 5\n    年度任务目标: 新建城区供热管网8公里\n"
        "    责任领导: [李明]\n    牵头部门: [发改局]\n"
    )
    entries = [Entry(5, d(2024, 1, 4), "滞后", None, "", "发改局", problem="管材未到货")]
    for n in range(1, count + 1):
        entries += [
            Entry(n, d(2024, 1, 2), "已完成", 100, "", "住建局"),
            Entry(n, d(2024, 1, 3), *(("未启动", 0) if n % 2 else ("滞后", 5)), "", "城管局"),
        ]
    return build_report(
        loads(text),
        entries,
        since=d(2023, 12, 25),
        until=d(2024, 1, 7),
        as_of=d(2024, 1, 7),
        today=d(2024, 1, 8),
        kind="range",
        scope="责任领导 李明，部分 一",
    )


def test_a_span_over_the_new_year_with_units_at_odds():
    report = _at_odds()
    assert (report["title"], report["issue_number"]) == ("2024年重点工作任务清单 进度通报", 1)
    markdown = render(report, "markdown")
    assert markdown[markdown.index("## 一、总体情况") :] == AT_ODDS


AT_ODDS = """\
## 一、总体情况

截至2024年1月7日，范围内（责任领导 李明，部分 一）的任务共5项，已完成0项，完成率0.0%；序时推进0项，滞后3项，未启动2项。按亮灯情况，红灯3项，黄灯2项，绿灯0项。

本期（2023年12月25日至2024年1月7日）收到填报9条，涉及5项任务。本期新完成0项，新增滞后3项。

## 二、进展较好

住建局牵头的任务无红灯、按时填报，推进较好。

## 三、存在问题

### （一）滞后任务

红灯任务3项，如下（详见附件1）：

1．发改局：新建城区供热管网8公里，填报滞后；管材未到货。

2．城管局：改造老旧小区第2批，进度5%（序时1.9%）。

3．城管局：改造老旧小区第4批，进度5%（序时1.9%）。

待协调4项：序号1（住建局已完成100%，城管局未启动0%）；序号2（住建局已完成100%，城管局滞后5%）；序号3（住建局已完成100%，城管局未启动0%）等4项。各牵头单位报送的进展不一致，请主牵头单位会同其他牵头单位核实，统一口径后报送。

### （二）报送情况

各项任务均在规定期限内填报。

## 四、下步要求

（一）各单位要对照年度目标倒排工期，确保按序时推进。

（二）红灯任务牵头单位要分析原因，下期报送整改进展。

（三）对长期滞后、未按时报送的，督查室将跟踪督办。

附件：1．滞后任务清单

　　　2．久未填报情况

督查室

2024年1月8日

---

附件1

## 滞后任务清单

| 序号 | 任务 | 牵头单位 | 进度 | 滞后原因 | 存在问题 |
|---|---|---|---|---|---|
| 2 | 改造老旧小区第2批 | 城管局 | 5% | 填报为滞后 | — |
| 4 | 改造老旧小区第4批 | 城管局 | 5% | 填报为滞后 | — |
| 5 | 新建城区供热管网8公里 | 发改局 | — | 填报为滞后 | 管材未到货 |

---

附件2

## 久未填报情况

无14天以上未填报的任务。
"""


# refusals ---------------------------------------------------------------------------------------


def test_the_first_issue_may_be_given_and_issue_zero_may_not():
    assert _report(issue=1)["issue_number"] == 1
    with pytest.raises(InputError) as caught:
        _report(issue=0)
    assert str(caught.value) == "期号应为正整数，得到 0"


def test_an_unknown_cadence_or_format_is_refused_naming_the_ones_there_are():
    with pytest.raises(InputError) as caught:
        _report(kind="day")
    assert str(caught.value) == "报告周期应为 week、month、quarter、year、range 之一，得到「day」"
    with pytest.raises(InputError) as caught:
        render(_report(), "docx")
    assert str(caught.value) == "报告格式应为 markdown、text、json、html 之一，得到「docx」"


# the list's 通报 settings and the issue number ------------------------------------------------


def test_the_notice_settings_are_taken_without_the_spaces_around_them():
    from taskctl.report import notice_settings

    text = LIST.replace(
        "年度: 2024\n",
        "年度: 2024\n通报:\n  刊头: ' 督查专刊 '\n  发文机关: ' 县政府督查室 '\n"
        "  主送: [' 各镇街道 ', 县直各部门 ]\n",
    )
    assert notice_settings(loads(text)) == ("督查专刊", "县政府督查室", ["各镇街道", "县直各部门"])
    one = LIST.replace("年度: 2024\n", "年度: 2024\n通报:\n  主送: ' 各责任单位 '\n")
    assert notice_settings(loads(one))[2] == ["各责任单位"]
    blank = LIST.replace("年度: 2024\n", "年度: 2024\n通报:\n  主送: [各镇街道, ' ']\n")
    with pytest.raises(DataFileError) as caught:
        notice_settings(loads(blank))
    assert str(caught.value) == (
        "<文本>：设置「通报.主送」应为一个或几个单位名称，得到「['各镇街道', ' ']」"
    )


def test_a_list_without_a_year_numbers_its_issues_from_the_period():
    from taskctl.report import issue_number

    assert issue_number("week", d(2024, 7, 1), d(2024, 7, 7), None) == 27
    assert issue_number("month", d(2024, 7, 1), d(2024, 7, 31), None) == 7
    assert issue_number("year", d(2024, 1, 1), d(2024, 12, 31), None) == 1
    assert issue_number("year", d(2025, 1, 1), d(2025, 12, 31), 2024) == 2
    # before the list's year: the quarter's own number
    assert issue_number("quarter", d(2023, 10, 1), d(2023, 12, 31), 2024) == 4
    assert issue_number("quarter", d(2024, 7, 1), d(2024, 9, 30), 2024) == 3
    # after it: the count goes on
    assert issue_number("month", d(2025, 2, 1), d(2025, 2, 28), 2024) == 14
    assert issue_number("quarter", d(2025, 4, 1), d(2025, 6, 30), 2024) == 6


def test_the_date_of_a_past_week_is_the_day_after_it_and_the_title_loses_its_spaces():
    report = build_report(
        loads(
            LIST.replace("标题: 台安县", "标题: '  台安县").replace("分解清单\n", "分解清单  '\n")
        ),
        ENTRIES,
        since=d(2024, 7, 1),
        until=d(2024, 7, 7),
        as_of=d(2024, 7, 7),
        today=d(2024, 12, 1),
    )
    assert report["date"] == "2024-07-08"
    assert report["heading"] == "关于台安县2024年《政府工作报告》重点任务推进情况的通报"


def test_three_tasks_at_odds_are_all_named():
    markdown = render(_at_odds(3), "markdown")
    (line,) = [line for line in markdown.splitlines() if line.startswith("待协调")]
    assert line == (
        "待协调3项：序号1（住建局已完成100%，城管局未启动0%）；序号2（住建局已完成100%，城管局滞后5%）；"
        "序号3（住建局已完成100%，城管局未启动0%）。各牵头单位报送的进展不一致，"
        "请主牵头单位会同其他牵头单位核实，统一口径后报送。"
    )


# no unit named -------------------------------------------------------------------------------


def _unnamed():
    """Six tasks, the last two without a 牵头部门: five never reported (红灯), the sixth done."""
    units = ["发改局", "财政局", "教育局", "民政局", "", ""]
    tasks = "".join(
        f"\n  - 序号: {n}\n    年度任务目标: 重点工作第{n}项\n    责任领导: [张三]\n"
        f"    牵头部门: [{unit}]"
        for n, unit in enumerate(units, 1)
    )
    text = (
        "标题: 2024年重点工作任务清单\n年度: 2024\n办结审核: false\nsections:\n- 编号: 一\n"
        f"  标题: 重点工作\n  任务:{tasks}\n"
    )
    return build_report(
        loads(text),
        [Entry(6, d(2024, 7, 2), "已完成", 100, "", "督查室")],
        since=d(2024, 7, 1),
        until=d(2024, 7, 7),
        as_of=d(2024, 7, 7),
        today=d(2024, 7, 8),
    )


def test_a_task_without_a_lead_unit_is_written_as_not_filled_in():
    markdown = render(_unnamed(), "markdown")
    assert markdown[markdown.index("## 二、进展较好") :] == UNNAMED


def test_the_brief_names_the_four_worst_of_five():
    brief = render(_unnamed(), "markdown", brief=True)
    assert brief[brief.index("## 二、红灯任务") :] == (
        "## 二、红灯任务\n\n红灯任务5项，最突出的4项：\n\n1．发改局：重点工作第1项。\n\n"
        "2．财政局：重点工作第2项。\n\n3．教育局：重点工作第3项。\n\n4．民政局：重点工作第4项。\n"
    )


UNNAMED = """\
## 二、进展较好

本期完成任务1项：重点工作第6项（未填写）。

## 三、存在问题

### （一）滞后任务

红灯任务5项，主要是（全部5项见附件1）：

1．发改局：重点工作第1项，从未填报（按进度 0% 计）低于序时进度 51.6%。

2．财政局：重点工作第2项，从未填报（按进度 0% 计）低于序时进度 51.6%。

3．教育局：重点工作第3项，从未填报（按进度 0% 计）低于序时进度 51.6%。

### （二）报送情况

5项任务14天以上未填报，涉及发改局、财政局、教育局、民政局、（未填写）。

## 四、下步要求

（一）各单位要对照年度目标倒排工期，确保按序时推进。

（二）红灯任务牵头单位要分析原因，下期报送整改进展。

（三）对长期滞后、未按时报送的，督查室将跟踪督办。

附件：1．滞后任务清单

　　　2．久未填报情况

督查室

2024年7月8日

---

附件1

## 滞后任务清单

| 序号 | 任务 | 牵头单位 | 进度 | 滞后原因 | 存在问题 |
|---|---|---|---|---|---|
| 1 | 重点工作第1项 | 发改局 | — | 从未填报（按进度 0% 计）低于序时进度 51.6% | — |
| 2 | 重点工作第2项 | 财政局 | — | 从未填报（按进度 0% 计）低于序时进度 51.6% | — |
| 3 | 重点工作第3项 | 教育局 | — | 从未填报（按进度 0% 计）低于序时进度 51.6% | — |
| 4 | 重点工作第4项 | 民政局 | — | 从未填报（按进度 0% 计）低于序时进度 51.6% | — |
| 5 | 重点工作第5项 | （未填写） | — | 从未填报（按进度 0% 计）低于序时进度 51.6% | — |

---

附件2

## 久未填报情况

5项任务14天以上未填报，按牵头单位计数如下：

| 序号 | 牵头单位 | 久未填报项数 | 其中从未填报 |
|---|---|---|---|
| 1 | 发改局 | 1 | 1 |
| 2 | 财政局 | 1 | 1 |
| 3 | 教育局 | 1 | 1 |
| 4 | 民政局 | 1 | 1 |
| 5 | （未填写） | 1 | 1 |
"""


# order, timeliness, extensions ------------------------------------------------------------------


def test_a_task_never_reported_counts_as_0_percent_among_the_worst():
    """Worst first: a task never reported stands as 0% (as its reason says), below one
    reported at 1%; level ones by 序号."""
    text = LIST.replace("    完成时限: 2024-06-30\n", "")
    entries = [Entry(1, d(2024, 7, 2), "滞后", 1, "", "发改局")]
    report = build_report(
        loads(text), entries, since=d(2024, 7, 1), until=d(2024, 7, 7), as_of=d(2024, 7, 7)
    )
    lines = [line for line in render(report, "text").splitlines() if line[1:2] == "．"]
    assert [line.split("：")[1][:6] for line in lines[:3]] == [
        "完成老旧小区",
        "新建城区供热",
        "引进亿元以上",
    ]


def test_a_task_done_on_its_deadline_is_done_on_time():
    text = YEAR_LIST.replace("    完成时限: 2024-06-30\n", "    完成时限: 2024-07-02\n")
    report = build_report(
        loads(text),
        YEAR_ENTRIES,
        since=d(2024, 1, 1),
        until=d(2024, 12, 31),
        as_of=d(2024, 7, 7),
        kind="year",
    )
    住建局 = next(r for r in report["ranking"]["dept"] if r["group"] == "住建局")
    assert (住建局["on_time"], 住建局["on_time_rate"], 住建局["rank"]) == (2, 100.0, 1)


def test_the_body_counts_the_extensions_waiting_for_review():
    report = _report()
    report["review"]["extensions"] = [
        {
            **_reviewed(5, "建成5G基站200个"),
            "deadline": "2024-12-31",
            "late": False,
            "reason": "设备到货延迟",
        }
    ]
    markdown = render(report, "markdown")
    assert (
        "### （三）办结审核\n\n各单位报已完成的，经督查室审核后销号。"
        "待审核2项，退回0项，延期申请待审核1项，详见附件3。\n\n" in markdown
    )


def test_a_task_led_only_by_a_blanket_name_is_named_by_it_once():
    text = LIST.replace("    牵头部门: [招商局]\n", "    牵头部门: [各 有关部门, 各有关部门]\n")
    report = build_report(
        loads(text), ENTRIES, since=d(2024, 7, 1), until=d(2024, 7, 7), as_of=d(2024, 7, 7)
    )
    assert [(t["id"], t["units"]) for t in report["red"]] == [
        (1, ["发改局"]),
        (2, ["住建局"]),
        (3, ["城管局"]),
        (4, ["各有关部门"]),
    ]
    assert [(u["department"], u["count"]) for u in report["red_by_unit"]][-1] == ("各有关部门", 1)


def _many_red(count, detail=False):
    """A city's list of ``count`` tasks, none reported: all 红灯, led by 住建局 and 城管局 in turn."""
    tasks = "".join(
        f"\n  - 序号: {n}\n    年度任务目标: 重点工作第{n}项\n    牵头部门: [{'住建局' if n % 2 else '城管局'}]"
        for n in range(1, count + 1)
    )
    text = (
        "标题: 市重点工作任务清单\n年度: 2024\nsections:\n- 编号: 一\n  标题: 重点工作\n  任务:"
        + tasks
    )
    return build_report(
        loads(text + "\n"), [], since=d(2024, 7, 1), until=d(2024, 7, 7), as_of=d(2024, 7, 7),
        detail=detail,
    )  # fmt: skip


def test_up_to_300_red_tasks_are_listed_and_more_are_counted_per_unit():
    """As docs/progress.md says: past 300 红灯 tasks (a city's list) 附件1 counts them per unit."""
    listed = _many_red(300)
    assert len(listed["red"]) == 300
    assert "| 300 | 重点工作第300项 | 城管局 |" in render(listed, "markdown")
    counted = _many_red(301)
    assert counted["red"] == []
    markdown = render(counted, "markdown")
    assert "红灯任务301项，各牵头单位的项数见附件1。" in markdown
    per_unit = (
        "共301项，超过300项，按牵头单位计数，不逐项列出。\n\n"
        "| 牵头单位 | 红灯项数 | 其中超期 |\n|---|---|---|\n| 住建局 | 151 | 0 |\n| 城管局 | 150 | 0 |\n"
    )
    assert per_unit in markdown
    # the data may list them all (as the JSON does): 附件1 counts them all the same
    detailed = _many_red(301, detail=True)
    assert len(detailed["red"]) == 301
    markdown = render(detailed, "markdown")
    assert "红灯任务301项，主要是（全部301项见附件1）：" in markdown
    assert per_unit in markdown


def test_rates_in_the_ranking_are_rounded_to_a_tenth():
    text = YEAR_LIST.replace("    牵头部门: [招商局]\n", "    牵头部门: [住建局]\n")
    report = build_report(
        loads(text),
        YEAR_ENTRIES,
        since=d(2024, 1, 1),
        until=d(2024, 12, 31),
        as_of=d(2024, 7, 7),
        kind="year",
    )
    住建局 = next(r for r in report["ranking"]["dept"] if r["group"] == "住建局")
    # three tasks: two done, one of them on time
    assert (住建局["completion_rate"], 住建局["on_time_rate"]) == (66.7, 33.3)


def test_a_round_everyone_answered_but_one_late_names_the_late_one():
    report = _year_report()
    report["submissions"]["late"] = [{"unit": "招商局", "received": None}]
    markdown = render(report, "markdown")
    assert "### （二）报送情况\n\n应报送3个单位，已报送3个。迟报1个单位：招商局。\n\n" in markdown
    assert (
        "| 1 | 招商局 | 迟报 |  |\n| 2 | 发改局 | 已报送 |  |\n| 3 | 住建局 | 已报送 |  |\n"
    ) in markdown


def test_a_setting_of_spaces_only_is_refused():
    from taskctl.report import notice_settings

    text = LIST.replace("年度: 2024\n", "年度: 2024\n通报:\n  发文机关: '  '\n")
    with pytest.raises(DataFileError) as caught:
        notice_settings(loads(text))
    assert str(caught.value) == "<文本>：设置「通报.发文机关」应为文字，得到「  」"


def test_a_lead_unit_written_with_a_space_is_named_without_it():
    report = build_report(
        loads(LIST.replace("牵头部门: [住建局]", "牵头部门: [住 建局]")),
        ENTRIES,
        since=d(2024, 7, 1),
        until=d(2024, 7, 7),
        as_of=d(2024, 7, 7),
        today=d(2024, 7, 8),
    )
    red = json.loads(render(report, "json"))["red"]
    assert [(t["id"], t["lead_departments"]) for t in red if t["id"] == 2] == [(2, ["住建局"])]


def test_a_round_of_one_unit_has_its_due_date():
    # a list led by one unit: the round's reply status holds that unit alone
    status = [ReplyStatus("发改局", "按时", DUE, d(2024, 7, 3))]
    submissions = json.loads(render(_report(reply_status=status), "json"))["submissions"]
    assert (submissions["due"], [r["unit"] for r in submissions["on_time"]]) == (
        "2024-07-05",
        ["发改局"],
    )
