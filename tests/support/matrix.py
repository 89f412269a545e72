"""Test matrices, one way: every combination of a few axes (status × action × role, role ×
page) as pytest params whose ids name their values ("tests_passed-select-recruiter")."""
from __future__ import annotations

import itertools

import pytest


def matrix(**axes) -> list:
    """A pytest param for every combination of the axes' values, the first axis outermost;
    pass the axes in the order of parametrize's names."""
    return [pytest.param(*values, id="-".join(str(v) for v in values))
            for values in itertools.product(*axes.values())]
