"""PL5: one list per person of everything waiting on them, from every engine, ordered by
deadline, overdue marked in words as well as colour."""

import logging
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from anwen.inbox import selectors
from anwen.inbox.selectors import Provider, inbox_for, inbox_summary, providers
from anwen.testing.world import PERSONAS
from anwen.todo import Todo

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL5")]

TODAY = date(2026, 11, 28)


def fixed(*todos, name="tests"):
    return Provider(name, name, lambda user, *, today: list(todos))


@pytest.fixture
def only(monkeypatch):
    """Replace the discovered providers with the given ones."""

    def use(*found):
        monkeypatch.setattr(selectors, "providers", lambda: tuple(found))

    return use


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_items_of_all_providers_are_merged_and_ordered_by_deadline(world, only):
    only(
        fixed(
            Todo("a.later", "月查", "/a/", due=TODAY + timedelta(days=20)),
            Todo("a.undated", "无期限事项", "/b/"),
            Todo("a.done", "今晚巡更", "/c/", due=TODAY, done=True),
        ),
        fixed(
            Todo("b.overdue", "上周周查", "/d/", due=TODAY - timedelta(days=3)),
            Todo("b.soon", "今日日查", "/e/", due=TODAY),
            Todo("b.oldest", "上月月查", "/f/", due=TODAY - timedelta(days=30)),
        ),
    )
    inbox = inbox_for(world.users["school"], today=TODAY)
    assert [i.todo.title for i in inbox.items] == [
        "上月月查",
        "上周周查",
        "今日日查",
        "月查",
        "无期限事项",
        "今晚巡更",
    ]
    assert [i.state for i in inbox.items] == ["overdue", "overdue", "soon", "open", "open", "done"]
    assert inbox.items[0].late == 30 and inbox.items[2].days == 0
    assert inbox.counts == {"overdue": 2, "soon": 1, "open": 5, "done": 1}
    assert [state for state, _items in inbox.groups] == [
        "overdue",
        "soon",
        "open",
        "undated",
        "done",
    ]


def test_the_page_marks_overdue_and_due_soon_in_words_and_groups_them(world, login, only):
    today = timezone.localdate()
    only(
        fixed(
            Todo(
                "x.week",
                "安全办公室周查",
                "/weekly/",
                org_name="永川区青峰镇中心小学",
                due=today - timedelta(days=3),
                detail="已漏 1 周",
            ),
            Todo("x.day", "今日网格巡查：教学楼一楼", "/daily/", due=today + timedelta(days=2)),
            Todo("x.month", "领导小组月查", "/monthly/", due=today + timedelta(days=20)),
        )
    )
    page = english(login(world.users["school"])).get(reverse("inbox:index")).content.decode()
    overdue = page.index('class="state state-overdue">Overdue by 3 days<')
    soon = page.index('class="state state-soon">Due within 2 days<')
    later = page.index("领导小组月查")
    assert overdue < soon < later
    assert (today - timedelta(days=3)).isoformat() in page  # the date as 2026-11-28
    assert 'href="/weekly/"' in page and "永川区青峰镇中心小学" in page and "已漏 1 周" in page
    for heading in ("Overdue", "Due within 3 days", "Later"):
        assert f">{heading} <" in page


def test_today_and_tomorrow_are_said_as_such(world, login, only):
    today = timezone.localdate()
    only(
        fixed(
            Todo("x", "今日日查", "/d/", due=today),
            Todo("y", "明日检查", "/t/", due=today + timedelta(days=1)),
        )
    )
    page = english(login(world.users["school"])).get(reverse("inbox:index")).content.decode()
    assert "Due today" in page and "Due tomorrow" in page


def test_the_empty_inbox_says_nothing_is_waiting(world, login, only):
    only(fixed())
    page = english(login(world.users["teacher"])).get(reverse("inbox:index")).content.decode()
    assert "Nothing is waiting on you." in page
    assert "inbox-item" not in page


def test_each_person_sees_only_their_own_items(world, login, client, only):
    owed = {
        world.users["school"].pk: [Todo("x", "安全办公室周查", "/w/", due=TODAY)],
        world.users["teacher"].pk: [Todo("x", "网格日查：二楼", "/d/", due=TODAY)],
    }
    only(Provider("tests", "tests", lambda user, *, today: owed.get(user.pk, [])))
    page = login(world.users["teacher"]).get(reverse("inbox:index")).content.decode()
    assert "网格日查：二楼" in page and "安全办公室周查" not in page
    client.logout()
    page = login(world.users["guard"]).get(reverse("inbox:index")).content.decode()
    assert "网格日查" not in page and "安全办公室周查" not in page


def test_the_inbox_asks_the_providers_for_the_user_and_today(world, only):
    asked = []
    only(
        Provider(
            "tests", "tests", lambda user, *, today: asked.append((user.username, today)) or []
        )
    )
    inbox_for(world.users["guard"], today=TODAY)
    assert asked == [("guard", TODAY)]


def test_an_anonymous_user_is_sent_to_log_in(client):
    response = client.get(reverse("inbox:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_every_installed_apps_todo_module_is_discovered():
    from django.apps import apps

    expected = [
        c.label
        for c in apps.get_app_configs()
        if c.name.startswith("anwen.") and (Path(c.path) / "todo.py").exists()
    ]
    assert expected
    assert [p.name for p in providers()] == expected
    assert providers() is providers()  # found once


def test_a_failing_provider_raises_in_development_and_tests(world, only, settings):
    settings.ANWEN_INBOX_RAISE = True

    def broken(user, *, today):
        raise KeyError("张三")

    only(fixed(Todo("x", "今日日查", "/d/", due=TODAY)), Provider("broken", "损坏", broken))
    with pytest.raises(KeyError):
        inbox_for(world.users["school"], today=TODAY)


def test_in_production_a_failing_provider_leaves_the_others_and_a_notice(
    world, login, only, settings, caplog
):
    settings.ANWEN_INBOX_RAISE = False

    def broken(user, *, today):
        raise ValueError("测试school 的隐患 张三")

    only(
        fixed(Todo("x", "今日日查", "/d/", due=timezone.localdate())),
        Provider("patrol", "电子巡更", broken),
    )
    with caplog.at_level(logging.ERROR, logger="anwen.inbox.selectors"):
        response = english(login(world.users["school"])).get(reverse("inbox:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "今日日查" in page
    assert "Some items could not be loaded (电子巡更)" in page
    logged = caplog.text
    assert "patrol" in logged and "ValueError" in logged and "broken" in logged
    assert "张三" not in logged and "测试school" not in logged


@pytest.mark.parametrize("username", list(PERSONAS))
def test_the_inbox_page_works_for_every_persona_with_the_real_providers(
    world, login, username, settings
):
    settings.ANWEN_INBOX_RAISE = True
    response = login(world.users[username]).get(reverse("inbox:index"))
    assert response.status_code == 200
    assert "inbox" in response.content.decode()


def test_the_summary_shows_the_counts_and_the_first_five(world, only):
    today = timezone.localdate()
    only(
        fixed(
            *[
                Todo(f"x{i}", f"事项{i:02d}", f"/t/{i}/", due=today + timedelta(days=i - 2))
                for i in range(8)
            ],
            Todo("done", "已完成事项", "/done/", due=today, done=True),
        )
    )
    summary = inbox_summary(world.users["school"])
    assert [i.todo.title for i in summary.items] == [f"事项{i:02d}" for i in range(5)]
    assert summary.more == 3
    assert summary.counts["overdue"] == 2 and summary.counts["open"] == 8
    html = render_to_string("inbox/_summary.html", {"summary": summary})
    assert "事项04" in html and "事项05" not in html and "已完成事项" not in html
    assert reverse("inbox:index") in html and "state-overdue" in html


def test_the_summary_of_an_empty_inbox(world, only):
    only(fixed())
    html = render_to_string("inbox/_summary.html", {"summary": inbox_summary(world.users["guard"])})
    assert "inbox-empty" in html and "inbox-item" not in html


def test_the_todo_states_follow_the_deadline_colours():
    def state(due, done=False):
        return Todo("x", "t", "/", due=due, done=done).state(TODAY)

    assert state(TODAY - timedelta(days=1)) == "overdue"
    assert state(TODAY) == "soon"
    assert state(TODAY + timedelta(days=3)) == "soon"
    assert state(TODAY + timedelta(days=4)) == "open"
    assert state(None) == "open"
    assert state(TODAY - timedelta(days=9), done=True) == "done"


@pytest.mark.req("PL5")
def test_undated_items_have_their_own_heading_not_later(world, login, monkeypatch):
    from anwen.inbox import selectors

    def waiting_on(user, *, today):
        return [
            Todo("a.later", "以后的事项", "/a/", due=today + timedelta(days=20)),
            Todo("a.undated", "没有日期的事项", "/b/"),
        ]

    monkeypatch.setattr(
        selectors, "providers", lambda: (selectors.Provider("t", "测试", waiting_on),)
    )
    page = login(world.users["school"]).get("/inbox/").content.decode()
    later = page.split('id="inbox-open"', 1)[1].split("</section>", 1)[0]
    undated = page.split('id="inbox-undated"', 1)[1].split("</section>", 1)[0]
    assert "以后的事项" in later and "没有日期的事项" not in later
    assert "无截止日期" in undated and "没有日期的事项" in undated


@pytest.mark.req("PL5")
@pytest.mark.day(date(2026, 11, 6))
def test_a_centres_empty_list_says_where_its_schools_overdue_work_is(world, login, monkeypatch):
    from anwen.inbox import selectors
    from anwen.obligations.models import Obligation, Plan
    from anwen.obligations.services import ensure_periods

    plan = Plan.objects.create(owner=world.B1, code="t", name="测试计划", year=2026)
    Obligation.objects.create(
        plan=plan,
        code="gate-log",
        name="门卫登记",
        record_kind="routine.gate_log",
        frequency="daily",
        starts_on=date(2026, 10, 1),
    )
    ensure_periods(through=date(2026, 11, 6))
    monkeypatch.setattr(selectors, "providers", lambda: ())
    client = login(world.users["centre"])
    page = client.get("/inbox/").content.decode()
    board = client.get("/obligations/?period=month&date=2026-11-01").context["total"]
    assert board.missed > 0
    assert f"本中心所管学校本月逾期未完成 {board.missed} 期" in page
    assert 'href="/obligations/?period=month&amp;date=2026-11-01"' in page
    # A school's own empty list points nowhere else.
    assert "逾期未完成" not in login(world.users["school"]).get("/inbox/").content.decode()
