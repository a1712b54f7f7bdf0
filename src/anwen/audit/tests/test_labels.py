"""The trail reads in words: every action code the project writes has a label."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from anwen import audit
from anwen.audit.labels import action_label, object_label

SOURCE = Path(__file__).resolve().parents[2]
CODE = re.compile(r"""action=f?["']([a-z_]+\.[a-z_]+\.[a-z_{}]+)["']""")


def written_codes() -> set[str]:
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "review_tests" in path.parts:
            continue
        codes |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return {code for code in codes if "{" not in code}


def test_every_action_code_the_project_writes_reads_in_chinese():
    codes = written_codes()
    assert len(codes) > 50  # the scan finds the calls
    with translation.override("zh-hans"):
        unlabelled = sorted(code for code in codes if action_label(code) == code)
        labels = {code: action_label(code) for code in codes}
    assert unlabelled == []
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in labels.values()), labels


def test_an_unknown_code_shows_as_it_is():
    assert action_label("somewhere.thing.happened") == "somewhere.thing.happened"
    assert action_label("not-a-code") == "not-a-code"
    with translation.override("zh-hans"):
        assert object_label("orgs.person", "3") == "教职工 #3"
        assert object_label("elsewhere.widget", "9") == "elsewhere.widget #9"


@pytest.mark.django_db
def test_the_trail_page_says_what_was_done_and_keeps_the_code(world, login):
    person = world.people["school"]
    audit.record(actor=world.users["bureau"], action="orgs.person.updated", obj=person)
    body = login(world.users["admin"]).get("/audit/").content.decode()
    assert "修改教职工" in body and "orgs.person.updated" in body
    assert f"教职工 #{person.pk}" in body


def test_every_step_of_every_declared_workflow_reads_in_chinese():
    from anwen.workflow.engine import registered

    workflows = registered()
    assert "hazards.hazard" in workflows
    with translation.override("zh-hans"):
        for code, workflow in workflows.items():
            steps = [t.name for t in workflow.transitions] + list(workflow.steps)
            for step in steps:
                label = action_label(f"{code}.{step}")
                assert label != f"{code}.{step}" and re.search(r"[\u4e00-\u9fff]", label), label
        assert action_label("hazards.hazard.verify").startswith("隐患：")
