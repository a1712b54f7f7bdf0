"""The shell in a real browser: Debian's Chromium against the live server, desktop and phone."""

from urllib.parse import urlsplit

import pytest

# The star brings the fixtures (browser, page, phone_page) in, where pytest looks for them.
from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser

SCHOOL_NAME = "永川区青峰镇中心小学"
# Schools the school's safety officer must not see: a sibling under another centre, and a
# school in the other district.
OTHER_SCHOOLS = ["永川区金龙中学", "另一区第一小学"]


@pytest.fixture
def live_world(transactional_db):
    """The test world, committed so the live server's thread can see it."""
    from anwen.testing.world import build_world

    return build_world()


class Traffic:
    """What a page asked for and complained about while the test drove it."""

    def __init__(self, page, origin: str):
        self.origin = origin
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", lambda request: self.failed.append(request.url))
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def outside(self) -> list[str]:
        def local(url):
            parts = urlsplit(url)
            return (
                parts.scheme in {"data", "blob"}
                or f"{parts.scheme}://{parts.netloc}" == self.origin
            )

        return [url for url in self.requests if not local(url)]

    def csp_violations(self) -> list[str]:
        return [text for text in self.console_errors if "Content Security Policy" in text]

    def assert_clean(self):
        assert self.outside() == [], "the page called a host other than the server"
        assert self.csp_violations() == []
        assert self.page_errors == []
        assert self.failed == []


@pytest.mark.req("PL2", "PL10", "PL11")
def test_a_school_safety_officer_logs_in_and_sees_only_their_school_in_chinese(
    live_server, live_world, page
):
    traffic = Traffic(page, live_server.url)

    log_in(page, live_server.url, "school")

    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("main h1").inner_text() == SCHOOL_NAME
    assert SCHOOL_NAME in page.locator(".topbar-org").inner_text()
    body = page.locator("body").inner_text()
    for other in OTHER_SCHOOLS:
        assert other not in body
    # The stylesheet arrived and applies: the phone menu button is hidden on a desktop.
    assert page.locator("[data-nav-toggle]").is_hidden()
    assert page.locator("#sidenav").is_visible()
    screenshot(page, "home-school-desktop")
    traffic.assert_clean()
    assert any(url.endswith("/static/anwen/anwen.css") for url in traffic.requests)


@pytest.mark.req("PL2", "PL11")
def test_on_a_phone_the_menu_button_opens_the_navigation(live_server, live_world, phone_page):
    page = phone_page
    traffic = Traffic(page, live_server.url)

    log_in(page, live_server.url, "school")

    assert page.locator("main h1").inner_text() == SCHOOL_NAME
    toggle = page.locator("[data-nav-toggle]")
    assert toggle.is_visible()
    assert page.locator("#sidenav").is_hidden()
    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#sidenav").is_visible()
    assert page.locator("#sidenav a").count() >= 1
    # Nothing sticks out sideways: a phone should never scroll horizontally.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "home-school-phone")
    traffic.assert_clean()


@pytest.mark.req("PL10")
def test_the_language_button_switches_to_english_and_back(live_server, live_world, page):
    traffic = Traffic(page, live_server.url)
    log_in(page, live_server.url, "school")
    html = page.locator("html")
    assert html.get_attribute("lang") == "zh-CN"

    with page.expect_navigation():
        page.click(".topbar-user .lang-form button[value=en]")

    assert html.get_attribute("lang") == "en"
    assert page.url == f"{live_server.url}/"  # back on the page the button was pressed on
    assert page.locator(".topbar-user button", has_text="Log out").is_visible()
    assert page.locator("main h1").inner_text() == SCHOOL_NAME  # names are data, not translated
    screenshot(page, "home-school-desktop-en")

    with page.expect_navigation():
        page.click(".topbar-user .lang-form button[value=zh-hans]")

    assert html.get_attribute("lang") == "zh-CN"
    assert page.locator(".topbar-user .lang-form button[value=en]").inner_text() == "English"
    traffic.assert_clean()


@pytest.mark.req("PL11")
def test_the_404_page_is_chinese_with_the_layout_on_desk_and_phone(
    live_server, live_world, page, phone_page
):
    for shown, name in ((page, "error-404-desk"), (phone_page, "error-404-phone")):
        log_in(shown, live_server.url, "teacher")
        response = shown.goto(f"{live_server.url}/orgs/people/")  # not a teacher's page
        assert response.status == 404
        assert "页面不存在" in shown.inner_text("h1")
        assert shown.locator("a.btn", has_text="返回首页").count() == 1
        assert (
            shown.evaluate("document.documentElement.scrollWidth") <= shown.viewport_size["width"]
        )
        screenshot(shown, name)


@pytest.mark.req("PL2")
def test_the_bureau_types_a_school_name_in_the_top_bar_and_the_choice_sticks(
    live_server, live_world, page, phone_page
):
    traffic = Traffic(page, live_server.url)
    log_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/orgs/schools/")
    page.fill("#focus-q", "金龙")
    choice = page.locator("#focus-results button", has_text="永川区金龙中学")
    choice.wait_for()
    # Focusing the box lists the first choices; the typed name then narrows them.
    page.locator("#focus-results button", has_text=SCHOOL_NAME).wait_for(state="detached")
    assert page.locator("#focus-results button").count() == 2  # 金龙镇 centre and its school
    screenshot(page, "focus-search-desk")
    with page.expect_navigation():
        choice.click()
    assert page.url == f"{live_server.url}/orgs/schools/"
    table = page.locator("main table").inner_text()
    assert "永川区金龙中学" in table and SCHOOL_NAME not in table
    assert "永川区金龙中学" in page.locator(".topbar").inner_text()
    page.goto(f"{live_server.url}/inspections/")  # the choice sticks
    assert "永川区金龙中学" in page.locator(".focus-current").inner_text()
    with page.expect_navigation():
        page.locator(".focus-all button").click()
    assert page.locator(".focus-current").count() == 0
    # (Not assert_clean: a navigation may abort the favicon's request, which is no fault.)
    assert traffic.outside() == [] and traffic.csp_violations() == [] and not traffic.page_errors

    log_in(phone_page, live_server.url, "bureau")
    phone_page.fill("#focus-q", "青峰")
    phone_page.locator("#focus-results button", has_text="永川区金龙中学").wait_for(
        state="detached"
    )
    phone_page.locator("#focus-results button", has_text=SCHOOL_NAME).wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "focus-search-phone")
