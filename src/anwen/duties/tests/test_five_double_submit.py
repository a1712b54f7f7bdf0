"""SM1.2, SM7.7: the five-in-place draft sent again (a phone re-sending a slow save) or twenty
times at once attaches its evidence file once: the form carries a one-time token, claimed in
the save's transaction."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from anwen.duties.models import FiveInPlace
from anwen.duties.tests.files import pdf
from anwen.evidence.models import EvidenceFile
from anwen.testing.concurrency import post_at_once

pytestmark = pytest.mark.req("SM1.2", "SM7.7")

DAY = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _token(page: str) -> str:
    match = re.search(r'name="once" value="([^"]+)"', page)
    assert match, "the five-in-place form carries no one-time token"
    return match.group(1)


def _draft(token: str) -> dict:
    return {
        "once": token,
        "responsibility-rating": "in_place",
        "responsibility-statement": "责任落实",
        "responsibility-files": pdf("制度.pdf"),
    }


def _attached(world) -> list[str]:
    return [
        f.name
        for a in FiveInPlace.objects.filter(org=world.S1)
        for p in a.parts.all()
        for f in p.evidence.all()
    ]


@pytest.mark.day(DAY)
@pytest.mark.django_db
def test_a_draft_sent_twice_attaches_its_file_once(world, login):
    client = login(world.users["school"])
    url = f"/duties/five/{world.S1.pk}/"
    token = _token(client.get(url).content.decode())
    assert client.post(url, _draft(token)).status_code == 302
    again = client.post(url, _draft(token), follow=True)
    assert again.status_code == 200
    assert "此表单已提交过" in again.content.decode()
    assert _attached(world) == ["制度.pdf"]
    # The page shown after the save is a new form: saving it again adds its (new) file.
    fresh = _draft(_token(again.content.decode()))
    fresh["responsibility-files"] = pdf("记录.pdf", b"%PDF-1.4\n% other\n%%EOF\n")
    assert client.post(url, fresh).status_code == 302
    assert sorted(_attached(world)) == ["制度.pdf", "记录.pdf"]


@pytest.mark.day(DAY)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draft_with_a_file_sent_twenty_times_at_once_attaches_it_once(world, login):
    user = world.users["school"]
    url = f"/duties/five/{world.S1.pk}/"
    token = _token(login(user).get(url).content.decode())
    files_before = EvidenceFile.objects.count()
    statuses = post_at_once(user, url, lambda: _draft(token))
    assert set(statuses) == {302}
    assert FiveInPlace.objects.filter(org=world.S1).count() == 1
    assert _attached(world) == ["制度.pdf"]
    assert EvidenceFile.objects.count() - files_before == 1


@pytest.mark.day(DAY)
@pytest.mark.django_db
def test_the_same_file_sent_again_without_the_token_is_not_attached_twice(world, login):
    # A post without the form's token (a page from before it, a script) is not deduplicated by
    # the token; the file already attached to the part is still not attached again.
    client = login(world.users["school"])
    url = f"/duties/five/{world.S1.pk}/"
    for _ in range(2):
        assert client.post(url, _draft("")).status_code == 302
    assert _attached(world) == ["制度.pdf"]
    # Another file is added beside it.
    other = _draft("") | {"responsibility-files": pdf("记录.pdf", b"%PDF-1.4\n% other\n%%EOF\n")}
    assert client.post(url, other).status_code == 302
    assert sorted(_attached(world)) == ["制度.pdf", "记录.pdf"]
