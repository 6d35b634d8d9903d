"""Chinese personal names: common surnames and given-name characters, drawn by weight."""

from __future__ import annotations

from .rand import Stream, cumulate

# The most common surnames, roughly by frequency (王 and 李 each ~7 % of the population).
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾"
_SURNAME_WEIGHTS = cumulate([1.0 / (1 + i * 0.12) for i in range(len(_SURNAMES))])
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞辉婷雪琳晨宇浩然欣怡子涵梓轩思远佳慧嘉文博俊凯瑞雅倩颖蕾斌宁波鑫"
_COMPOUND = ("欧阳", "司马", "上官", "诸葛")


def chinese_name(rs: Stream) -> str:
    surname = _COMPOUND[rs.below(len(_COMPOUND))] if rs.chance(0.01) else _SURNAMES[rs.weighted(_SURNAME_WEIGHTS)]
    given = rs.pick(_GIVEN) + (rs.pick(_GIVEN) if rs.chance(0.7) else "")
    return surname + given
