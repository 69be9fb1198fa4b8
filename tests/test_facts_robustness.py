"""Never raises: any string in, a list of facts out, and no input that makes the work blow up."""

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.utilityfacts import find_facts

ALPHABET = st.sampled_from(
    [
        *list(
            "河源供电局满意度连续九年位居第一万千瓦亿时分钟天工作日%。，,;；\n国网公司该局我市"
            "0123456789.同比增长计划将到2025年从由的停电可靠率非现金缴费投资元()（）下称"
        ),
        "\x00",
        "\ud7ff",
        "𝟘",
        " ",
        "\t",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_never_raises_on_any_text(body, title, published_at):
    assert isinstance(find_facts(title, body, published_at), list)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=400), st.text(alphabet=ALPHABET, max_size=60))
def test_never_raises_on_domain_soup(body, title):
    for fact in find_facts(title, body, "2021-01-01"):
        if fact.start is not None:
            assert body[fact.start : fact.end] == fact.evidence


def test_non_string_input_is_tolerated():
    assert find_facts(None, None) == []  # type: ignore[arg-type]


def test_huge_and_pathological_inputs_finish() -> None:
    """Run in a subprocess with a generous timeout: it fails only if some input makes the work blow up."""
    code = (
        "from pipelines.utilityfacts import find_facts\n"
        "cases = ['供电' * 50_000, '1' * 100_000, '第' * 50_000, '连续' * 30_000 + '夺魁',"
        " '，' * 100_000, '供电局' * 20_000]\n"
        "for body in cases:\n    find_facts('供电局', body)\nprint('done')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.stdout.strip() == "done", result.stderr
