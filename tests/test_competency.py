"""Competency questions: what a reader of the source document and the fact sheets asks, answered by SPARQL on the
shipped graph.

Each question runs against both embedded stores and must return exactly the expected answer.
"""

from __future__ import annotations

import pytest

from .support.questions import QUESTIONS, ids


@pytest.mark.parametrize(("question", "sparql", "expected"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_competency_question(kg, question, sparql, expected):
    result = kg.query(sparql)
    rows = result.records()
    assert ids(rows, *result.variables) == expected


def test_there_are_at_least_50_competency_questions():
    assert len(QUESTIONS) >= 50


def test_every_competency_question_is_asked_once():
    questions = [q[0] for q in QUESTIONS]
    assert len(set(questions)) == len(questions)
