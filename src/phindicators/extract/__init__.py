"""Finding indicator figures in report text, with their counts, and auditing them.

:func:`extract` reads a plain-text report (a local health bureau's work
summary, say, still wrapped in the web page it was copied from) and returns a
:class:`Mention` for every figure of a catalog indicator it prints:

- the indicator is named by its Chinese name or an alias (from the catalog),
  or by a short label whose meaning the sentence fixes ("发证率" after
  "食品…" or after "公共场所…"), from the table in ``data/labels.toml``;
- the figure follows the name directly or after a verb such as "为"/"达到"
  ("婚检率99.76%"), or in a "分别" list ("孕产妇死亡率和婴儿死亡率分别限制在
  92.68/十万和10.66"), or as a share ("参合人数135058人,占到…的82%"); a change
  ("提高2.5个百分点") is not a value;
- the counts are the numbers with a count word or a currency in the same
  sentence that lead up to the figure ("全市共有食品从业单位883户,取得…849户,
  发证率96.1%"); when several pairs of them could be numerator and
  denominator, the one that reproduces the figure is chosen, and the mention
  says whether its denominator is the one the definition names;
- the period and area the sentence attaches ("1-10月", "农村") come along,
  with character offsets into the original text.

Every mention is audited (:func:`phindicators.audit.audit`) as it is found.
The text is read without any knowledge of web pages: boilerplate produces no
mention because it names no indicator next to a figure.

Examples
--------
>>> text = "全市产妇2164人,系统管理2067人,系统管理率达到95.52%。"
>>> [(m.indicator.id, m.figure.text, m.verdict.status.value) for m in extract(text)]
[('maternal_systematic_management_rate', '95.52%', 'consistent')]
"""

from __future__ import annotations

from .labels import LabelRule, example_report, label_rules
from .mentions import extract
from .misses import misses
from .model import Candidate, Count, Mention, Miss, Qualifier

__all__ = [
    "Candidate",
    "Count",
    "LabelRule",
    "Mention",
    "Miss",
    "Qualifier",
    "example_report",
    "extract",
    "label_rules",
    "misses",
]
