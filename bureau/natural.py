"""Natural order for names that count: 第二责任区 before 第十责任区, 第十一 after 第十.

Names sort by code point, which puts 第七 (七 U+4E03) before 第三 (三 U+4E09) before 第二
(二 U+4E8C). `natural_key(name)` reads each run of Chinese numerals or Arabic digits as the
number it writes, so that every list of zones (and anything else numbered this way) sorts
as people count. One function, used wherever such names are listed; the database cannot
order by it, so callers sort the (short) lists they load.
"""

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
NUMBER = re.compile(r"[0-9０-９]+|[" + "".join(DIGITS) + "".join(UNITS) + "]+")


def chinese_number(text):
    """The value of a run of Chinese numerals: 十一 → 11, 二十 → 20, 一百零五 → 105, 二〇二五 → 2025."""
    if not any(char in UNITS for char in text):
        # Digit by digit, as years are written: 二〇二五.
        value = 0
        for char in text:
            value = value * 10 + DIGITS[char]
        return value
    total = section = digit = 0
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
            continue
        unit = UNITS[char]
        if unit == 10_000:
            total += (section + digit) * unit
            section = 0
        else:
            # 十 alone is ten: 十一 = 11.
            section += (digit or 1) * unit
        digit = 0
    return total + section + digit


def _number(run):
    if run[0] in DIGITS or run[0] in UNITS:
        return chinese_number(run)
    return int(run.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def natural_key(text):
    """A sort key: the text in pieces of (words, number), numbers compared by value.

    "第十一责任区" → (("第", 11), ("责任区", -1)). Words compare as text, case-folded.
    """
    text = str(text or "")
    pieces = []
    position = 0
    for match in NUMBER.finditer(text):
        pieces.append((text[position:match.start()].casefold(), _number(match.group())))
        position = match.end()
    pieces.append((text[position:].casefold(), -1))
    return tuple(pieces)
