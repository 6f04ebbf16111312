"""The duplicate check of an import: each complaint number's first line, a chunk at a time."""

import random

import pytest

from disclosures.importing import first_lines
from disclosures.importing.first_lines import FirstLines


def first_lines_by_dict(chunks):
    """What the check must answer: a plain dict of number -> first line, row by row."""
    seen, answers, line = {}, [], 2
    for numbers in chunks:
        repeats = {}
        for number in numbers:
            first = seen.setdefault(number, line)
            if first != line:
                repeats[line] = first
            line += 1
        answers.append(repeats)
    return answers


def check_in_chunks(chunks):
    first_lines, answers, line = FirstLines(), [], 2
    for numbers in chunks:
        answers.append(first_lines.repeats(numbers, range(line, line + len(numbers))))
        line += len(numbers)
    return answers


def test_repeats_within_a_chunk_and_across_chunks_name_the_first_line():
    chunks = [
        ["TS430104202601050001", "TS430104202601050002", "TS430104202601050001"],
        ["TS430102202602110002", "TS430104202601050001"],
        [],
        ["TS430104202601050002", "12315-2026-长沙-0001", "12315-2026-长沙-0001"],
    ]
    assert check_in_chunks(chunks) == [{4: 2}, {6: 2}, {}, {7: 3, 9: 8}]


def test_numbers_that_differ_only_at_the_end_are_kept_apart():
    # NumPy's byte strings drop trailing NUL bytes; a number must not equal its own prefix.
    chunks = [["TS0001", "TS0001\x00", "TS00011"], ["TS0001\x01", "TS0001\x00", "TS0001"]]
    assert check_in_chunks(chunks) == [{}, {6: 3, 7: 2}]


@pytest.mark.parametrize("max_run", [first_lines.MAX_RUN, 64])
def test_many_chunks_answer_as_a_dict_would(monkeypatch, max_run):
    monkeypatch.setattr(first_lines, "MAX_RUN", max_run)  # 64: runs that stop growing
    rng = random.Random(20260315)
    pool = [f"TS4301{rng.randint(0, 99):02d}2026{rng.randint(0, 400):06d}" for _ in range(3000)]
    pool += ["投诉０００１", "投诉0001", "TS", "ts"]
    chunks, position = [], 0
    while position < len(pool):
        size = rng.choice([1, 7, 50, 400])
        chunks.append(rng.sample(pool, min(size, len(pool))))
        position += size
    answers = check_in_chunks(chunks)
    assert answers == first_lines_by_dict(chunks)
    assert any(answers)  # the pool repeats numbers: the check had repeats to find
