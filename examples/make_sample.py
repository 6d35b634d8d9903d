"""Regenerate the bundled sample: sample-log.csv, roster.csv and expected-findings.json.

    .venv/bin/python examples/make_sample.py

Deterministic: no clock, no randomness. Every case below is written out by
hand, with the findings a correct checker must report for it declared next to
it (``expect(...)``). The script only orders the rows, numbers them and turns
the tags of the events into event references; it does not compute findings.

The audit the expected findings are for (see README.md):

    --as-of "2026-06-30T23:59:00+08:00" --from 2026-06-01

Dates: 2026-05-01..05 Labour Day holidays, 2026-05-09 (Saturday) a make-up
working day, 2026-06-19 Dragon Boat Festival; 2026-04-06 Qingming.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOG = "sample-log.csv"

HEADERS = ["客户编号", "动作", "时间", "经办人", "岗位", "付款方式", "交房日期", "签约时间", "客户等级", "客户"]

# ---------------------------------------------------------------------------
# the event list

EVENTS: list[dict] = []
EXPECTED: list[tuple] = []  # (code, process, case_id, step, scope, period, [tags])


def ev(
    case,
    act,
    when,
    who,
    *,
    tag=None,
    role="",
    pay="",
    hdate="",
    signed="",
    tier="",
    cust="",
    raw_time=None,
    fmt=None,
    late_entry=False,
):
    """One log row. ``when`` is local time 'YYYY-MM-DD HH:MM'."""
    EVENTS.append(
        {
            "case": case or "",
            "act": act,
            "ts": datetime.strptime(when, "%Y-%m-%d %H:%M"),
            "who": who,
            "role": role,
            "pay": pay,
            "hdate": hdate,
            "signed": signed,
            "tier": tier,
            "cust": cust,
            "tag": tag,
            "raw_time": raw_time,  # written instead of the time (an unreadable timestamp)
            "fmt": fmt,  # force a time format: "dash", "slash", "iso" (+08:00), "utc" (Z)
            "late_entry": late_entry,  # entered afterwards: written at the end of the file, out of time order
        }
    )


def expect(code, process, case_id, step, scope=None, period=None, tags=()):
    EXPECTED.append((code, process, case_id, step, scope, period, list(tags)))


# ---------------------------------------------------------------------------
# customer-reception  (来访登记; case id LF-mmdd)

P = "customer-reception"
GREET, INTRO, REG = "迎接来访客户并分配置业顾问", "介绍项目并了解客户需求", "填写客户来访登记表"
COLLECT, FILE_, ANALYZE = "收取汇总客户来访登记表", "建立来访客户档案", "汇总分析来访登记并提交策划部"

# LF-0302 clean, complete, every step including the optional ones.
ev("LF-0302", GREET, "2026-03-02 10:05", "E010")
ev("LF-0302", INTRO, "2026-03-02 10:10", "E001")
ev("LF-0302", REG, "2026-03-02 11:20", "E001")
ev("LF-0302", COLLECT, "2026-03-06 17:00", "E013")
ev("LF-0302", FILE_, "2026-03-06 17:30", "E013")
ev("LF-0302", ANALYZE, "2026-03-09 10:00", "E014")

# LF-0318 register-visit recorded twice (max_count 1) -> C109.
ev("LF-0318", GREET, "2026-03-18 10:00", "E010")
ev("LF-0318", INTRO, "2026-03-18 10:05", "E002")
ev("LF-0318", REG, "2026-03-18 10:50", "E002", tag="lf0318-reg1")
ev("LF-0318", REG, "2026-03-18 16:30", "E002", tag="lf0318-reg2")
ev("LF-0318", COLLECT, "2026-03-20 17:00", "E013")
ev("LF-0318", ANALYZE, "2026-03-23 10:00", "E014")
expect("C109", P, "LF-0318", "register-visit", tags=["lf0318-reg1", "lf0318-reg2"])

# LF-0320 clean: the trainee E003 introduces and registers (trainees may); no greeting (optional).
ev("LF-0320", INTRO, "2026-03-20 14:00", "E003")
ev("LF-0320", REG, "2026-03-20 15:10", "E003")
ev("LF-0320", COLLECT, "2026-03-23 16:00", "E013")
ev("LF-0320", ANALYZE, "2026-03-24 10:00", "E014")

# LF-0403 clean: E004 (consultant until 2026-05-31); file built by the site secretary.
ev("LF-0403", INTRO, "2026-04-03 15:00", "E004")
ev("LF-0403", REG, "2026-04-03 15:40", "E004")
ev("LF-0403", COLLECT, "2026-04-09 17:00", "E013")
ev("LF-0403", FILE_, "2026-04-09 17:20", "E011")
ev("LF-0403", ANALYZE, "2026-04-10 10:00", "E014")

# LF-0506 clean.
ev("LF-0506", GREET, "2026-05-06 10:30", "E010")
ev("LF-0506", INTRO, "2026-05-06 10:35", "E002")
ev("LF-0506", REG, "2026-05-06 11:30", "E002")
ev("LF-0506", COLLECT, "2026-05-11 17:00", "E013")
ev("LF-0506", ANALYZE, "2026-05-12 10:00", "E014")

# LF-0528 greeted by 赵敏, whose roster role starts 2026-06-01: no role on 05-28 -> C106 (warning).
ev("LF-0528", GREET, "2026-05-28 10:00", "赵敏", tag="lf0528-greet")
ev("LF-0528", INTRO, "2026-05-28 10:05", "E001")
ev("LF-0528", REG, "2026-05-28 11:00", "E001")
ev("LF-0528", COLLECT, "2026-06-01 17:00", "E013")
ev("LF-0528", ANALYZE, "2026-06-02 10:00", "E014")
expect("C106", P, "LF-0528", "greet-and-assign", tags=["lf0528-greet"])

# LF-0601 clean: 赵敏's first day (roster from 06-01) greets an early visitor at 07:50 local, which is
# still 05-31 in UTC: the roster is read at the event's *local* date, so her role is known.
ev("LF-0601", GREET, "2026-06-01 07:50", "赵敏")
ev("LF-0601", INTRO, "2026-06-01 08:00", "E001")
ev("LF-0601", REG, "2026-06-01 09:00", "E001")
ev("LF-0601", COLLECT, "2026-06-05 17:00", "E013")
ev("LF-0601", ANALYZE, "2026-06-08 10:00", "E014")

# LF-0610 the register is logged under a misspelt label (C111, see below), so register-visit
# never occurred; open case, limit = case start + 1 day = 06-11 15:00 < as-of -> C102.
ev("LF-0610", GREET, "2026-06-10 15:00", "E010")
ev("LF-0610", INTRO, "2026-06-10 15:05", "E002")
ev("LF-0610", "填写来访登记表", "2026-06-10 16:30", "E002", tag="typo")
expect("C102", P, "LF-0610", "register-visit")
expect("C111", None, None, None, tags=["typo"])

# LF-0627 open and pending: collect-registers is due by 07-04 12:00, after the as-of time.
ev("LF-0627", GREET, "2026-06-27 11:00", "E010")
ev("LF-0627", INTRO, "2026-06-27 11:05", "E001")
ev("LF-0627", REG, "2026-06-27 12:00", "E001")

# ---------------------------------------------------------------------------
# subscription-signing  (认购; case id RG-nnn)

P = "subscription-signing"
CHECK, SIGN, DEPOSIT, REVIEW = "核对销控确认房源", "签订认购书", "收取认购定金并开具收据", "审核登记认购书"
PREP, SIGNC, REVIEWC = "准备打印购房合同", "签订商品房买卖合同", "审核已签购房合同"
PAY, LEDGER = "跟进购房款到账", "登记认购签约台账"

# RG-001 clean (the buyer of contract HT-001, mortgage). Review-subscription on Fri 04-03 is due by
# the next working day, Tue 04-07 (04-04..06 Qingming), done the same day; follow-payment twice.
ev("RG-001", CHECK, "2026-04-03 10:00", "E012")
ev("RG-001", SIGN, "2026-04-03 10:20", "E001")
ev("RG-001", DEPOSIT, "2026-04-03 10:40", "陈静", role="财务专员")
ev("RG-001", REVIEW, "2026-04-03 14:00", "E011")
ev("RG-001", PREP, "2026-04-07 10:00", "E010")
ev("RG-001", SIGNC, "2026-04-08 15:00", "E001")
ev("RG-001", LEDGER, "2026-04-08 16:00", "E011")
ev("RG-001", REVIEWC, "2026-04-09 10:00", "E017")
ev("RG-001", PAY, "2026-04-15 11:00", "E010")
ev("RG-001", PAY, "2026-04-28 11:00", "E010")

# RG-002 clean. The subscription (row first, ISO time with +08:00) and the sales-control check
# (row second, local time) carry the same instant: equal timestamps are in order.
ev("RG-002", SIGN, "2026-04-10 10:00", "E002", fmt="iso", tag="rg002-sign")
ev("RG-002", CHECK, "2026-04-10 10:00", "E002", fmt="slash", tag="rg002-check")
ev("RG-002", DEPOSIT, "2026-04-10 10:30", "E016")
ev("RG-002", REVIEW, "2026-04-10 16:00", "E011")
ev("RG-002", PREP, "2026-04-13 10:00", "E011")
ev("RG-002", SIGNC, "2026-04-14 14:00", "E002")
ev("RG-002", LEDGER, "2026-04-14 17:00", "E012")
ev("RG-002", PAY, "2026-04-14 17:30", "E002")
ev("RG-002", REVIEWC, "2026-04-15 09:30", "E015")

# RG-003 deposit taken 20 minutes before the subscription was signed -> C103 (collect-deposit after sign-subscription).
ev("RG-003", CHECK, "2026-04-20 09:30", "E004")
ev("RG-003", DEPOSIT, "2026-04-20 09:40", "陈静", tag="rg003-deposit")
ev("RG-003", SIGN, "2026-04-20 10:00", "E004", tag="rg003-sign")
ev("RG-003", REVIEW, "2026-04-20 15:00", "E011")
ev("RG-003", PREP, "2026-04-22 10:00", "E010")
ev("RG-003", SIGNC, "2026-04-24 11:00", "E004")
ev("RG-003", LEDGER, "2026-04-24 15:00", "E012")
ev("RG-003", REVIEWC, "2026-04-27 10:00", "E017")
ev("RG-003", PAY, "2026-04-27 11:00", "E010")
expect("C103", P, "RG-003", "collect-deposit", tags=["rg003-deposit", "rg003-sign"])

# RG-004 subscription on Fri 05-08; review within 1 workday: Sat 05-09 is a make-up working day,
# so the limit is 05-09 24:00; reviewed Mon 05-11 09:30 -> C104 (late 1 d 9 h 30 min).
ev("RG-004", CHECK, "2026-05-08 10:00", "E001")
ev("RG-004", SIGN, "2026-05-08 10:30", "E001")
ev("RG-004", DEPOSIT, "2026-05-08 11:00", "E016")
ev("RG-004", REVIEW, "2026-05-11 09:30", "E011", tag="rg004-review")
ev("RG-004", PREP, "2026-05-11 14:00", "E010")
ev("RG-004", SIGNC, "2026-05-13 15:00", "E001")
ev("RG-004", LEDGER, "2026-05-13 16:00", "E011")
ev("RG-004", REVIEWC, "2026-05-14 10:00", "E017")
ev("RG-004", PAY, "2026-05-14 11:00", "E001")
expect("C104", P, "RG-004", "review-subscription", tags=["rg004-review"])

# RG-005 the sales ledger is entered by the consultant (only site secretary / sales clerk may) -> C105.
ev("RG-005", CHECK, "2026-05-20 14:00", "E012")
ev("RG-005", SIGN, "2026-05-20 14:20", "E002")
ev("RG-005", DEPOSIT, "2026-05-20 14:40", "陈静")
ev("RG-005", REVIEW, "2026-05-21 10:00", "E016")
ev("RG-005", PREP, "2026-05-22 10:00", "E011")
ev("RG-005", SIGNC, "2026-05-25 15:00", "E002")
ev("RG-005", LEDGER, "2026-05-25 16:00", "E002", tag="rg005-ledger")
ev("RG-005", REVIEWC, "2026-05-26 10:00", "E017")
ev("RG-005", PAY, "2026-05-26 11:00", "E010")
expect("C105", P, "RG-005", "register-sale", tags=["rg005-ledger"])

# RG-006 clean. E003 is a consultant from 06-15 (roster) and may now sign. Contract signed Thu 06-18;
# review within 2 workdays skips the Dragon Boat holiday 06-19 and the weekend: limit 06-23 24:00.
ev("RG-006", CHECK, "2026-06-15 10:00", "E012")
ev("RG-006", SIGN, "2026-06-15 10:30", "E003")
ev("RG-006", DEPOSIT, "2026-06-15 11:00", "E016")
ev("RG-006", REVIEW, "2026-06-15 16:00", "E011")
ev("RG-006", PREP, "2026-06-17 10:00", "E010")
ev("RG-006", SIGNC, "2026-06-18 15:00", "E003")
ev("RG-006", LEDGER, "2026-06-18 16:00", "E012")
ev("RG-006", REVIEWC, "2026-06-23 10:00", "E017")
ev("RG-006", PAY, "2026-06-23 11:00", "E003")

# RG-007 open and pending: review-subscription is due by 06-30 24:00 (after the as-of time 23:59),
# the contract by 07-06.
ev("RG-007", CHECK, "2026-06-29 15:00", "E001")
ev("RG-007", SIGN, "2026-06-29 15:20", "E001")
ev("RG-007", DEPOSIT, "2026-06-29 15:40", "陈静")

# ---------------------------------------------------------------------------
# contract-filing  (合同备案; case id HT-nnn; contract_signed_at from 签约时间)

P = "contract-filing"
HAND, SUBMIT, MGR, GM = "移交购房合同原件", "报审已签购房合同", "营销管理部经理审批购房合同", "总经理审批购房合同"
FILING, NOTIFYC, ARCHIVE = "办理购房合同备案", "通知客户领取合同文本并签收登记", "归档购房合同并建立客户档案"

# HT-001 clean (mortgage contract: no collection notice, the contract goes to the bank).
ev("HT-001", HAND, "2026-04-09 10:30", "E001", signed="2026-04-08 15:00", pay="按揭")
ev("HT-001", SUBMIT, "2026-04-10 10:00", "E020", signed="2026-04-08 15:00")
ev("HT-001", MGR, "2026-04-13 11:00", "E021")
ev("HT-001", GM, "2026-04-14 15:00", "张伟", role="总经理")
ev("HT-001", FILING, "2026-04-20 10:00", "E020")
ev("HT-001", ARCHIVE, "2026-04-22 16:00", "E011")

# HT-002 clean; archive within 5 workdays of filing on 04-28 skips Labour Day (limit 05-08 24:00).
ev("HT-002", HAND, "2026-04-15 10:00", "E002", signed="2026-04-14 14:00", pay="一次性付款")
ev("HT-002", SUBMIT, "2026-04-16 10:00", "E020")
ev("HT-002", MGR, "2026-04-17 15:00", "E021")
ev("HT-002", GM, "2026-04-21 10:00", "张伟", role="总经理")
ev("HT-002", FILING, "2026-04-28 10:00", "E020")
ev("HT-002", NOTIFYC, "2026-04-30 10:00", "E011")
ev("HT-002", ARCHIVE, "2026-05-07 16:00", "E012")

# HT-003 open: submitted 06-09, the marketing manager's approval (3 workdays: by 06-12 24:00) never came -> C102.
ev("HT-003", HAND, "2026-06-08 10:00", "E001", signed="2026-06-05 11:00", pay="按揭")
ev("HT-003", SUBMIT, "2026-06-09 14:00", "E020")
expect("C102", P, "HT-003", "manager-approval")

# ---------------------------------------------------------------------------
# mortgage  (按揭; same contract numbers as contract-filing, a separate case per process)

P = "mortgage"
COLLECTM, BANK, SUPPL, LOAN = (
    "收集并初审按揭资料",
    "报送按揭资料至银行审核",
    "通知客户补充按揭资料",
    "组织客户签署抵押贷款合同及贷款申请表",
)
MREG, SEND, NOTIFYL, ARRIVAL = (
    "督促报送房管局办理抵押登记",
    "抵押登记合同送银行存档",
    "通知客户领取借款合同及票据",
    "汇总通报按揭到账信息",
)
ARREARS, TRACKM, PAID = "按欠款明细表处理客户欠款", "跟进反馈按揭办理进度", "确认银行放款"

# HT-001 按揭: clean and complete; progress tracked three times (no max_count).
ev("HT-001", COLLECTM, "2026-04-08 16:30", "E020", pay="按揭", signed="2026-04-08 15:00")
ev("HT-001", TRACKM, "2026-04-10 15:00", "E010", pay="按揭")
ev("HT-001", BANK, "2026-04-13 10:00", "E020")
ev("HT-001", SUPPL, "2026-04-17 10:00", "E001")
ev("HT-001", LOAN, "2026-04-22 14:00", "E020")
ev("HT-001", TRACKM, "2026-04-24 10:00", "E020")
ev("HT-001", MREG, "2026-05-06 10:00", "E020")
ev("HT-001", SEND, "2026-05-12 10:00", "E020")
ev("HT-001", PAID, "2026-05-18 11:00", "E020")
ev("HT-001", ARRIVAL, "2026-05-20 15:00", "陈静", role="财务专员")
ev("HT-001", NOTIFYL, "2026-05-21 10:00", "E010")
ev("HT-001", TRACKM, "2026-05-21 11:00", "E010")

# HT-002 一次性付款: only the arrears follow-up; every mortgage step is conditional on 按揭, so
# nothing is required (were it 按揭, collect-mortgage-docs would be long overdue). Open, no finding.
ev("HT-002", ARREARS, "2026-05-15 10:00", "E020", pay="一次性付款", signed="2026-04-14 14:00")

# ---------------------------------------------------------------------------
# handover  (入伙; case id = batch)

P = "handover"
PRE, LIST, LISTREV, NOTIFYH = "组织入伙预验收", "确定入伙名单", "审核入伙名单", "发出入伙通知书"
CONDUCT, SUMMARY, AREA, SETTLE = (
    "办理业主入伙交接",
    "汇总反馈入伙客户问题",
    "提供面积实测与预测差异报告",
    "办理面积差楼款多退少补",
)
REPAIRS = "汇报入伙每日维修情况"

# RH-2026A handover 2026-05-16, complete: a single pre-inspection round by one person ->
# C110 (min_count 2) and C108 (min_performers 2). Everything else on time.
H = "2026-05-16"
ev("RH-2026A", PRE, "2026-04-10 10:00", "E020", hdate=H, tag="rha-pre")
ev("RH-2026A", LIST, "2026-04-20 10:00", "E020", hdate=H)
ev("RH-2026A", LISTREV, "2026-04-21 10:00", "E021", hdate=H)
ev("RH-2026A", NOTIFYH, "2026-04-28 10:00", "E020", hdate=H)
ev("RH-2026A", CONDUCT, "2026-05-16 09:00", "E022", hdate=H)
ev("RH-2026A", CONDUCT, "2026-05-16 09:30", "E011", hdate=H)
ev("RH-2026A", REPAIRS, "2026-05-16 18:00", "E025", hdate=H)
ev("RH-2026A", SUMMARY, "2026-05-25 15:00", "E020", hdate=H)
ev("RH-2026A", AREA, "2026-05-28 10:00", "E024", hdate=H)
ev("RH-2026A", SETTLE, "2026-06-10 10:00", "E020", hdate=H)
expect("C108", P, "RH-2026A", "pre-inspection", tags=["rha-pre"])
expect("C110", P, "RH-2026A", "pre-inspection", tags=["rha-pre"])

# RH-2026B handover 2026-06-13 (date written 2026/6/13): two rounds by two people, in time; the notice
# must go out at least 2 weeks before (by 05-30 00:00), sent 06-01 -> C104. Open: the area report
# (no deadline) and the settlement (anchored on it) are pending.
H = "2026/6/13"
ev("RH-2026B", PRE, "2026-05-08 10:00", "E020", hdate=H)
ev("RH-2026B", PRE, "2026-05-12 15:00", "陈静", hdate=H)
ev("RH-2026B", LIST, "2026-05-15 10:00", "E020", hdate=H)
ev("RH-2026B", LISTREV, "2026-05-18 10:00", "E021", hdate=H)
ev("RH-2026B", NOTIFYH, "2026-06-01 10:00", "E020", hdate=H, tag="rhb-notify")
ev("RH-2026B", CONDUCT, "2026-06-13 09:00", "E022", hdate=H)
ev("RH-2026B", CONDUCT, "2026-06-13 09:15", "E002", hdate=H)
ev("RH-2026B", REPAIRS, "2026-06-13 18:00", "E025", hdate=H)
ev("RH-2026B", REPAIRS, "2026-06-14 18:00", "E025", hdate=H)
ev("RH-2026B", SUMMARY, "2026-06-22 16:00", "E020", hdate=H)
expect("C104", P, "RH-2026B", "notify-customers", tags=["rhb-notify"])

# RH-2026C handover 2026-07-18, open: one pre-inspection round (06-10) and the 1-month-before limit
# (06-18 00:00) has passed -> C110 for an open case past its deadline, and C108 (one person). The
# notice (due by 07-04) and the lists (no deadline) are pending.
H = "2026-07-18"
ev("RH-2026C", PRE, "2026-06-10 14:00", "E020", hdate=H, tag="rhc-pre")
expect("C108", P, "RH-2026C", "pre-inspection", tags=["rhc-pre"])
expect("C110", P, "RH-2026C", "pre-inspection", tags=["rhc-pre"])

# ---------------------------------------------------------------------------
# complaint-handling  (投诉; case id TS-nnn)

P = "complaint-handling"
RECORD, ASSIGN, FEEDBACK, MEASURE = "登记客户投诉", "指派投诉处理人", "反馈投诉解决方法", "落实投诉处理措施"
APPROVE, TRACK, CONFIRM, EVALUATE = "审批投诉处理方案", "跟踪投诉处理进度", "客户确认投诉已解决", "评估投诉处理质量"

# TS-001 clean, with the optional approval by the general manager; the solution is fed back exactly
# 2 hours after recording (11:10 = the limit; only later is late).
ev("TS-001", RECORD, "2026-05-06 09:10", "E010")
ev("TS-001", ASSIGN, "2026-05-06 09:20", "E016")
ev("TS-001", FEEDBACK, "2026-05-06 11:10", "E022")
ev("TS-001", MEASURE, "2026-05-07 10:00", "E022")
ev("TS-001", APPROVE, "2026-05-07 14:00", "张伟", role="总经理")
ev("TS-001", TRACK, "2026-05-08 10:00", "E022")
ev("TS-001", CONFIRM, "2026-05-11 16:00", "E022")
ev("TS-001", EVALUATE, "2026-05-13 10:00", "E017")

# TS-002 closed (customer confirmed) without any tracking record -> C101 track.
ev("TS-002", RECORD, "2026-05-19 14:00", "E022")
ev("TS-002", ASSIGN, "2026-05-19 14:10", "E016")
ev("TS-002", FEEDBACK, "2026-05-19 15:30", "E022")
ev("TS-002", CONFIRM, "2026-05-22 11:00", "E023")
ev("TS-002", EVALUATE, "2026-05-25 10:00", "E016")
expect("C101", P, "TS-002", "track")

# TS-003 recorded 16:00, solution fed back 19:05: the 2-hour limit was 18:00 -> C104 (late 1 h 5 min).
ev("TS-003", RECORD, "2026-06-03 16:00", "E023")
ev("TS-003", ASSIGN, "2026-06-03 16:30", "E017")
ev("TS-003", FEEDBACK, "2026-06-03 19:05", "E023", tag="ts003-feedback")
ev("TS-003", TRACK, "2026-06-05 10:00", "E023")
ev("TS-003", CONFIRM, "2026-06-08 15:00", "E023")
ev("TS-003", EVALUATE, "2026-06-09 10:00", "E022")
expect("C104", P, "TS-003", "handle", tags=["ts003-feedback"])

# TS-004 E016 carried out the measures (handle) and later evaluated the case; a second, independent
# evaluation by E017 does not cure it: every pair is compared -> C107. Tracking happened on 06-17 and
# again after the confirmation; the 06-17 record was entered afterwards (last row of the file). Order
# compares the first occurrences in time (06-17 < confirmation 06-22), not in file order: no C103.
ev("TS-004", RECORD, "2026-06-16 09:00", "E010")
ev("TS-004", ASSIGN, "2026-06-16 09:10", "E017")
ev("TS-004", FEEDBACK, "2026-06-16 10:00", "E022")
ev("TS-004", MEASURE, "2026-06-16 14:00", "E016", tag="ts004-measure")
ev("TS-004", TRACK, "2026-06-17 10:00", "E022", late_entry=True)
ev("TS-004", CONFIRM, "2026-06-22 10:00", "E022")
ev("TS-004", TRACK, "2026-06-22 15:00", "E022")
ev("TS-004", EVALUATE, "2026-06-23 10:00", "E016", tag="ts004-eval1")
ev("TS-004", EVALUATE, "2026-06-24 10:00", "E017")
expect("C107", P, "TS-004", "evaluate", tags=["ts004-measure", "ts004-eval1"])

# TS-005 open and pending: fed back within 2 hours; tracking and confirmation have no deadline.
ev("TS-005", RECORD, "2026-06-29 10:00", "E022")
ev("TS-005", ASSIGN, "2026-06-29 10:10", "E016")
ev("TS-005", FEEDBACK, "2026-06-29 11:30", "E022")

# ---------------------------------------------------------------------------
# new-hire-onboarding  (case id = the new employee)

P = "new-hire-onboarding"
NREG, POLICY, PRODUCT, SHADOW = "办理新员工入职登记", "新员工规章制度培训", "新员工项目产品培训", "带教见习置业顾问"
EXAM, PROBATION = "新员工上岗考核评分", "试用期考核与转正评审"

# E003 clean: trainee from 03-16, two examiners, probation review 06-12; a consultant from 06-15 (roster).
ev("E003", NREG, "2026-03-16 09:00", "E012")
ev("E003", POLICY, "2026-03-17 14:00", "E017")
ev("E003", PRODUCT, "2026-03-19 10:00", "E015")
ev("E003", SHADOW, "2026-03-23 09:00", "E013")
ev("E003", SHADOW, "2026-03-24 09:00", "E001")
ev("E003", EXAM, "2026-04-10 15:00", "E015")
ev("E003", EXAM, "2026-04-10 15:30", "E016")
ev("E003", PROBATION, "2026-06-12 10:00", "E018")

# E008 the exam is scored twice by the same sales manager -> C108; the probation review is done by
# E016 acting as sales manager (岗位 column: authorised), but E016 was also the shadowing mentor -> C107.
ev("E008", NREG, "2026-04-20 09:00", "E011")
ev("E008", POLICY, "2026-04-21 10:00", "E016")
ev("E008", PRODUCT, "2026-04-23 10:00", "E013")
ev("E008", SHADOW, "2026-04-27 09:00", "E016", tag="e008-shadow")
ev("E008", EXAM, "2026-05-15 14:00", "E017", tag="e008-exam1")
ev("E008", EXAM, "2026-05-15 16:00", "E017", tag="e008-exam2")
ev("E008", PROBATION, "2026-06-26 10:00", "E016", role="销售经理", tag="e008-probation")
expect("C107", P, "E008", "probation-review", tags=["e008-shadow", "e008-probation"])
expect("C108", P, "E008", "exam", tags=["e008-exam1", "e008-exam2"])

# ---------------------------------------------------------------------------
# return-visits  (interval obligations per customer id; no case id)

P = "return-visits"
KEYV, LONGV = "回访重点客户", "回访长期客户"

# K001 key customer: 2025-10-20 then 2026-06-10, more than 6 months apart (limit 2026-04-20 10:00) -> C203.
ev("", KEYV, "2025-10-20 10:00", "E022", tier="重点客户", cust="K001", tag="k001-v1")
ev("", KEYV, "2026-06-10 10:00", "E023", tier="重点客户", cust="K001", tag="k001-v2")
expect("C203", P, None, "key-customer-visit", "K001", "2025-10-20/2026-06-10", ["k001-v1", "k001-v2"])

# K002 key customer: last visit 2025-12-20 15:00, none since: 6 months ran out 2026-06-20 15:00 < as-of -> C203.
# (The 2025-09-15 -> 2025-12-20 gap is within 6 months and ends before --from anyway.)
ev("", KEYV, "2025-09-15 10:00", "E022", tier="重点客户", cust="K002")
ev("", KEYV, "2025-12-20 15:00", "E022", tier="重点客户", cust="K002", tag="k002-v2")
expect("C203", P, None, "key-customer-visit", "K002", "2025-12-20/2026-06-30", ["k002-v2"])

# K003 key customer, clean: 2025-12-05 14:00 and 2026-06-05 14:00, exactly 6 months (allowed).
ev("", KEYV, "2025-12-05 14:00", "E022", tier="重点客户", cust="K003")
ev("", KEYV, "2026-06-05 14:00", "E022", tier="重点客户", cust="K003")

# L001 long-term customer, clean: 2025-08-05 and 2026-05-18 (12 months allowed).
ev("", LONGV, "2025-08-05 10:00", "E023", tier="长期客户", cust="L001")
ev("", LONGV, "2026-05-18 10:00", "E001", tier="长期客户", cust="L001")

# P001 an ordinary customer (普通客户) logged with the long-term label: outside both scopes, no finding
# although nearly 11 months have passed.
ev("", LONGV, "2025-08-12 10:00", "E023", tier="普通客户", cust="P001")

# ---------------------------------------------------------------------------
# sales-reporting  (calendar obligations; evaluated from --from 2026-06-01 to the as-of time)

P = "sales-reporting"
D_CONS, D_REPORT, D_CONTROL, D_FIN = (
    "提交个人销售日报",
    "编制销售日报表",
    "核对当日销售单位与销控表",
    "与财务核对当日销售回款",
)
D_MORNING, D_EVENING = "召开晨会", "召开晚会总结当日工作"
W_CONS, W_VISITS, W_REPORT, W_MEETING = (
    "每周一上交客户登记表",
    "每周一汇总整理来人记录",
    "编制销售周报表",
    "召开周销售例会",
)
W_ROSTER, W_ANALYSIS = "提交排班表和考勤统计表", "提交每周业务分析报告"
M_FIN, M_REPORT, M_COMMISSION = "与财务核对月度销售总额", "上报上月销售月报", "上报销售人员月度提成"
M_CONS, M_SUMMARY, M_MEETING, M_MARKET = (
    "提交个人月度工作总结",
    "编写月底销售总结",
    "召开月底总结会",
    "完成月度市场调研报告",
)
Q_PLAN = "制定季度销售计划"

HOLIDAYS_JUNE = {date(2026, 6, 19)}
WORKDAYS = [
    d for d in (date(2026, 6, 1) + timedelta(days=i) for i in range(30)) if d.weekday() < 5 and d not in HOLIDAYS_JUNE
]
assert len(WORKDAYS) == 21
MONDAYS = [d for d in WORKDAYS if d.weekday() == 0]  # 06-01 08 15 22 29
# the sales office is open every day (calendar.office in handbook.yaml): its daily obligations fall on weekends
# and on the Dragon Boat holiday too; the consultants' own daily reports follow the public working days
OPEN_DAYS = [date(2026, 6, 1) + timedelta(days=i) for i in range(30)]
SUNDAYS = [d for d in OPEN_DAYS if d.weekday() == 6]  # 06-07 14 21 28


def at(d: date, hhmm: str) -> str:
    return f"{d.isoformat()} {hhmm}"


for d in OPEN_DAYS:
    iso = d.isoformat()
    # morning meeting, due 09:30: late on 06-03 (10:00) -> C202
    if iso == "2026-06-03":
        ev("", D_MORNING, at(d, "10:00"), "E016", tag="morning-late")
    elif iso == "2026-06-17":
        ev("", D_MORNING + " ", at(d, "09:00"), "E016")  # trailing space, as Excel cells often have: same label
    else:
        ev("", D_MORNING, at(d, "09:00"), "E016")
    # consultants' daily reports, due 18:00
    for who, minute in (("E001", "17:30"), ("E002", "17:40"), ("E003", "17:50")):
        if d not in WORKDAYS:
            continue  # personal reports follow the public working days (rest days rotate)
        if who == "E003" and d < date(2026, 6, 15):
            continue  # a trainee until 06-14: no report due
        if who == "E003" and iso == "2026-06-15":
            continue  # forgot on the first day as consultant -> C201
        if who == "E002" and iso == "2026-06-24":
            continue  # -> C201
        if who == "E002" and iso == "2026-06-05":
            ev("", D_CONS, at(d, "18:00"), who, fmt="utc")  # 2026-06-05T10:00:00Z = 18:00 local: exactly due, on time
            continue
        if who == "E001" and iso == "2026-06-09":
            ev("", D_CONS, at(d, "18:45"), who, tag="e001-late")  # -> C202
            continue
        if who == "E001" and iso == "2026-06-12":
            # the time was typed by hand and cannot be read: the row is rejected, the report counts as missed
            ev("", D_CONS, at(d, minute), who, raw_time="6月12日 下午5:30", tag="rej-time")
            continue
        ev("", D_CONS, at(d, minute), who)
    ev("", D_FIN, at(d, "16:30"), "陈静")
    ev("", D_CONTROL, at(d, "17:00"), "E012")
    if iso in ("2026-06-26", "2026-06-14"):
        pass  # no evening meeting -> C201; 06-14 is a Sunday, an opening day of the sales office
    elif iso == "2026-06-30":
        pass  # not held by 23:59, but due only at 24:00: not yet evaluated, no finding
    else:
        ev("", D_EVENING, at(d, "18:30"), "E016")
    if iso == "2026-06-16":
        # exported by another system in UTC: 2026-06-15T23:30:00Z is 06-16 07:30 local, the report of 06-16
        ev("", D_REPORT, at(d, "07:30"), "E012", fmt="utc")
    elif iso != "2026-06-12":  # no daily sales report on 06-12 -> C201
        ev("", D_REPORT, at(d, "20:00"), "E012")

expect("C202", P, None, "morning-meeting", "organisation", "2026-06-03", ["morning-late"])
expect("C201", P, None, "consultant-daily-report", "E003", "2026-06-15")
expect("C201", P, None, "consultant-daily-report", "E002", "2026-06-24")
expect("C202", P, None, "consultant-daily-report", "E001", "2026-06-09", ["e001-late"])
expect("C201", P, None, "consultant-daily-report", "E001", "2026-06-12")
expect("C201", P, None, "evening-meeting", "organisation", "2026-06-26")
expect("C201", P, None, "evening-meeting", "organisation", "2026-06-14")
expect("C201", P, None, "daily-sales-report", "organisation", "2026-06-12")

for d in MONDAYS:
    iso = d.isoformat()
    for who in ("E001", "E002", "E003"):
        if who == "E003" and d < date(2026, 6, 15):
            continue
        if who == "E002" and iso == "2026-06-15":
            ev("", W_CONS, at(d + timedelta(days=1), "10:00"), who, tag="e002-weekly-late")  # Tuesday -> C202
            continue
        ev("", W_CONS, at(d, "10:00"), who)
    if iso != "2026-06-22":  # no visit records the week of 06-22 -> C201
        ev("", W_VISITS, at(d, "10:30"), "E011")
    if iso == "2026-06-08":
        ev("", W_REPORT, at(d + timedelta(days=1), "11:00"), "E012", tag="weekly-report-late")  # -> C202
    else:
        ev("", W_REPORT, at(d, "11:00"), "E012")
    ev("", W_MEETING, at(d, "16:00"), "E017")
    ev("", W_ROSTER, at(d, "09:10"), "E011")

for d in SUNDAYS:
    ev("", W_ANALYSIS, at(d, "19:00"), "E016")

expect("C202", P, None, "consultant-weekly-register", "E002", "2026-W25", ["e002-weekly-late"])
expect("C202", P, None, "weekly-sales-report", "organisation", "2026-W24", ["weekly-report-late"])
expect("C201", P, None, "weekly-visit-records", "organisation", "2026-W26")

# monthly, June: reconciliation by the 4th, report by the 5th 18:00, commission by the 5th (late: 06-08)
ev("", M_FIN, "2026-06-03 15:00", "E012")
ev("", M_REPORT, "2026-06-05 17:00", "E012")
ev("", M_COMMISSION, "2026-06-08 10:00", "E016", tag="commission-late")
expect("C202", P, None, "commission-report", "organisation", "2026-06", ["commission-late"])
# due on 06-30 24:00 or at the end of the quarter: not yet due at the as-of time, never evaluated
ev("", M_MARKET, "2026-06-29 15:00", "E019")
ev("", M_SUMMARY, "2026-06-30 16:00", "E017")
ev("", M_CONS, "2026-06-30 17:00", "E001")
ev("", M_CONS, "2026-06-30 17:10", "E002")
ev("", M_MEETING, "2026-06-30 17:30", "E017")
ev("", Q_PLAN, "2026-06-26 10:00", "E018")

# ---------------------------------------------------------------------------
# other rows: an activity the handbook does not know, and rows the reader/engine must reject

ev("", "发放宣传单页", "2026-06-06 10:00", "赵敏", tag="flyer1")
ev("", "发放宣传单页", "2026-06-13 10:00", "赵敏", tag="flyer2")
expect("C111", None, None, None, tags=["flyer1", "flyer2"])

ev("LF-0605", "", "2026-06-05 10:00", "E010", tag="rej-activity")  # no activity -> rejected
ev("", GREET, "2026-06-20 10:00", "E010", tag="rej-case")  # a step without case id -> rejected
ev("", KEYV, "2026-06-18 10:00", "E022", tier="重点客户", tag="rej-entity")  # no customer id -> rejected

REJECTED = [
    ("rej-activity", "activity", "no activity"),
    ("rej-time", "timestamp", "unreadable timestamp '6月12日 下午5:30'"),
    ("rej-case", "case_id", "a step of customer-reception without a case id"),
    ("rej-entity", "customer_id", "an obligation of return-visits scoped by customer_id without one"),
]

# ---------------------------------------------------------------------------
# the roster

ROSTER = [
    ("E001", "置业顾问", "", ""),
    ("E002", "置业顾问", "", ""),
    ("E003", "见习置业顾问", "2026-03-16", "2026-06-14"),
    ("E003", "置业顾问", "2026-06-15", ""),
    ("E004", "置业顾问", "", "2026-05-31"),
    ("E008", "见习置业顾问", "2026-04-20", ""),
    ("E010", "销售助理", "", ""),
    ("E011", "案场秘书", "", ""),
    ("E012", "销售内勤", "", ""),
    ("E013", "组长", "", ""),
    ("E014", "副专案经理", "", ""),
    ("E015", "专案经理", "", ""),
    ("E016", "案场主管", "", ""),
    ("E017", "销售经理", "", ""),
    ("E018", "销售总监", "", ""),
    ("E019", "deputy-sales-manager", "", ""),
    ("E020", "营销管理专员", "", ""),
    ("E021", "营销管理部经理", "", ""),
    ("E022", "售后服务专员", "", ""),
    ("E023", "客户经理", "", ""),
    ("E024", "filing-officer", "", ""),
    ("E025", "工程运营部专员", "", ""),
    ("陈静", "财务专员", "", ""),
    ("张伟", "总经理", "", ""),
    ("赵敏", "销售助理", "2026-06-01", ""),
]

# ---------------------------------------------------------------------------
# output


def time_text(e: dict, row: int) -> str:
    if e["raw_time"]:
        return e["raw_time"]
    t = e["ts"]
    fmt = e["fmt"] or ("iso" if row % 11 == 7 else "slash" if row % 3 == 0 else "dash")
    if fmt == "iso":
        return t.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    if fmt == "utc":
        return (t - timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "slash":
        return f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}"
    return t.strftime("%Y-%m-%d %H:%M")


def main() -> None:
    # by time, late entries last; stable: equal instants keep the listed order
    ordered = sorted(EVENTS, key=lambda e: (e["late_entry"], e["ts"]))
    ref = {}
    with (HERE / LOG).open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(HEADERS)
        for row, e in enumerate(ordered, 1):
            if e["tag"]:
                assert e["tag"] not in ref, e["tag"]
                ref[e["tag"]] = f"{LOG}:{row}"
            out.writerow(
                [
                    e["case"],
                    e["act"],
                    time_text(e, row),
                    e["who"],
                    e["role"],
                    e["pay"],
                    e["hdate"],
                    e["signed"],
                    e["tier"],
                    e["cust"],
                ]
            )
    with (HERE / "roster.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(["person", "role", "from", "to"])
        out.writerows(ROSTER)
    findings = [
        {
            "code": code,
            "process": process,
            "case_id": case_id,
            "step": step,
            "scope": scope,
            "period": period,
            "event_refs": sorted((ref[t] for t in tags), key=lambda r: int(r.rsplit(":", 1)[1])),
        }
        for code, process, case_id, step, scope, period, tags in EXPECTED
    ]

    def key(f: dict) -> tuple:
        # (process, case_id, scope, period, step, code), None first; then the rows of the evidence
        rows = [int(r.rsplit(":", 1)[1]) for r in f["event_refs"]]
        return (*(f[k] or "" for k in ("process", "case_id", "scope", "period", "step", "code")), rows)

    findings.sort(key=key)
    (HERE / "expected-findings.json").write_text(
        json.dumps(findings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    rejected = [{"ref": ref[t], "field": f, "reason": r} for t, f, r in REJECTED]
    print(f"{len(ordered)} rows, {len(rejected)} to be rejected, {len(findings)} expected findings")
    for r in rejected:
        print("  rejected", r["ref"], r["field"])


if __name__ == "__main__":
    main()
