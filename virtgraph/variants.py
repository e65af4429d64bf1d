"""Term variants: the other spellings a label or a query may be written in, so lookup finds a concept in any
script and small English variation.

* **Chinese script**: every Chinese label and query is also matched in Simplified characters with mainland
  vocabulary, converted with OpenCC: ``t2s`` (Traditional characters → Simplified) and ``tw2sp`` (Taiwan
  characters *and* phrasing → mainland, so 虛擬機器 → 虚拟机, 作業系統 → 操作系统, 記憶體 → 内存).
* **English number**: each Latin word is folded to its singular (``hypervisors`` → ``hypervisor``,
  ``Shadow page tables`` → ``shadow page table``) on both sides.

OpenCC is imported only when a conversion is first needed (never by ``virtgraph --help``); each converter is
loaded once per process. Conversion is dictionary-based and deterministic::

    >>> simplified("系統虛擬化"), mainland("虛擬機器監視器"), mainland("作業系統")
    ('系统虚拟化', '虚拟机监视器', '操作系统')
    >>> singular("Shadow page tables"), singular("VMs"), singular("Solaris Zones"), singular("virtio")
    ('Shadow page table', 'VM', 'Solaris Zone', 'virtio')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache

#: OpenCC configurations: into Simplified (generic Traditional, Taiwan phrasing) and out of it (for tests).
TO_SIMPLIFIED = "t2s"
TO_MAINLAND = "tw2sp"
TO_TRADITIONAL = "s2t"
TO_TAIWAN = "s2twp"

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
#: word endings that are no English plural -s (address, virtio bus, Solaris, macOS)
_NOT_PLURAL = ("ss", "us", "is", "os")


@cache
def converter(config: str) -> Callable[[str], str]:
    """The OpenCC conversion ``config`` (``t2s``, ``tw2sp``, ``s2t``, ``s2twp``...), loaded once."""
    import opencc  # lazily: only lookups pay for it

    return opencc.OpenCC(config).convert


def has_chinese(text: str) -> bool:
    """Whether ``text`` holds a CJK ideograph (only such text is worth converting)."""
    return _CJK.search(text) is not None


def simplified(text: str) -> str:
    """``text`` in Simplified characters (OpenCC ``t2s``); text without ideographs is returned as it is."""
    return converter(TO_SIMPLIFIED)(text) if has_chinese(text) else text


def mainland(text: str) -> str:
    """``text`` in Simplified characters and mainland vocabulary (OpenCC ``tw2sp``: Taiwan phrasing → mainland)."""
    return converter(TO_MAINLAND)(text) if has_chinese(text) else text


def traditional(text: str) -> str:
    """``text`` in Traditional characters (OpenCC ``s2t``)."""
    return converter(TO_TRADITIONAL)(text) if has_chinese(text) else text


def taiwan(text: str) -> str:
    """``text`` in Taiwan characters and phrasing (OpenCC ``s2twp``)."""
    return converter(TO_TAIWAN)(text) if has_chinese(text) else text


def _singular_word(match: re.Match[str]) -> str:
    word = match.group(0)
    lower = word.lower()
    if len(word) < 3 or not lower.endswith("s") or lower.endswith(_NOT_PLURAL) or word.isupper():
        return word
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-3].isupper() else "y")
    return word[:-1]


def singular(text: str) -> str:
    """``text`` with every Latin word of three letters or more folded to its singular (a plain ``-s``, ``-ies``).

    All-capital words keep their ``S`` (``KVMS`` is no plural, ``VMs`` is); words ending ``ss us is os`` are
    left alone. The fold is used on labels and queries alike, so it only needs to be consistent, not perfect.
    """
    return _LATIN_WORD.sub(_singular_word, text)


def spellings(text: str) -> Iterator[str]:
    """The forms ``text`` is matched under besides itself, most faithful first (duplicates included):
    Simplified characters, mainland vocabulary, and each of those with English words made singular."""
    text = unicodedata.normalize("NFKC", text)  # full-width letters are letters
    forms = [simplified(text), mainland(text)] if has_chinese(text) else [text]
    yield from forms
    for form in forms:
        yield singular(form)


def label_spellings(label: str) -> Iterator[str]:
    """The forms a graph label is indexed under: :func:`spellings`, and the Simplified form of its Taiwan
    phrasing, so a term OpenCC turns into Taiwan words it cannot turn back (用户 → 使用者) still finds it."""
    yield from spellings(label)
    if has_chinese(label):
        yield simplified(taiwan(unicodedata.normalize("NFKC", label)))
