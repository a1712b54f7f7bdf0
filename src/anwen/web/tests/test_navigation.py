"""The navigation offers only what the role may open: every link of the menu and of the home
page answers 200 for every persona (a teacher was offered the staff list, which is 404 to
them)."""

from html.parser import HTMLParser

import pytest

from anwen.testing.world import PERSONAS

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL2")]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith(("/static/", "//")):
            self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return list(dict.fromkeys(parser.links))


@pytest.mark.parametrize("username", list(PERSONAS))
def test_every_link_on_the_home_page_and_in_the_menu_opens(world, login, username):
    client = login(world.users[username])
    home = client.get("/")
    assert home.status_code == 200
    menu = [item["url"] for item in home.context["shell"].nav]
    links = links_of(home.content.decode())
    assert set(menu) <= set(links)
    broken = {}
    for url in links:
        response = client.get(url, follow=True)
        if response.status_code != 200:
            broken[url] = response.status_code
    assert not broken, f"{username} is offered links that do not open: {broken}"


def test_a_teacher_is_not_offered_the_staff_list(world, login):
    client = login(world.users["teacher"])
    assert client.get("/orgs/people/").status_code == 404
    assert "/orgs/people/" not in links_of(client.get("/").content.decode())
    staff = login(world.users["school"])
    assert "/orgs/people/" in links_of(staff.get("/").content.decode())
