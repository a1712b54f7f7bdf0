"""Second attack on the repeat links (issue 9, PS1.6 against PL2): a colleague who may register
petitions but handles none of a writer's earlier ones must not learn, by typing a phone number
on a new letter, which petitions that person wrote. Repeats are shown among the cases the
viewer reads; the handler of both still sees the link."""

import pytest

from anwen.orgs.roles import RoleName
from anwen.testing.world import add_persona

from .helpers import register_letter

PHONE = "13700137000"


@pytest.mark.req("PL2", "PS1.6")
@pytest.mark.day(__import__("datetime").date(2026, 10, 20))
def test_typing_a_phone_number_on_a_new_letter_tells_no_one_which_petitions_that_person_wrote(
    client, login, world, clerk
):
    colleague = add_persona(world, "clerk2", RoleName.CASE_CLERK, "B1")
    login(clerk)
    first = register_letter(client, world, phone=PHONE, received_at="2026-10-01T09:00")
    # The colleague sees that the first petition exists (its number, in the list) …
    login(colleague)
    assert first.number in client.get("/cases/").content.decode()
    # … and registers a letter with the same phone: linked, but the page does not say to which.
    probe = register_letter(
        client, world, name="随便", phone=PHONE, subject="试探", received_at="2026-10-15T09:00"
    )
    assert probe.repeat_of == first  # the link is kept for those who read both
    page = client.get(f"/cases/{probe.pk}/").content.decode()
    assert "试探" in page and first.number not in page
    # The first receiver reads the first petition; the colleague's probe is not theirs to read.
    login(clerk)
    assert probe.number not in client.get(f"/cases/{first.pk}/").content.decode()
    # The same clerk registering both sees them linked (test_petitions covers the rest).
    again = register_letter(client, world, phone=PHONE, received_at="2026-10-16T09:00")
    page = client.get(f"/cases/{again.pk}/").content.decode()
    assert first.number in page
