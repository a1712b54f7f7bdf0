"""The day's mix of pages for every demo role, for `benchmarks/load/run.sh` (never run in CI).

Each simulated user logs in as one demo account (the admin is left out: it needs a second
factor) and walks the pages its own navigation offers, the home page and the inbox most often,
as people do between classes. Everyone who may also opens the hazard pages of issue 8: the
district board, the map's hazard data and a filtered list (run.sh adds 100,000 hazards, three
years of a district's, to the demo first), and the case pages of issue 9: the overdue list
and one case's page (run.sh adds 20,000 cases), and the register pages of issue 10: the
security devices' list and networked rates (the demo's devices). `/ping/` is the bare
authenticated page (session, user, one small response): every page's time is read against it,
measured by the same server in the same run, so the ratio says what the page itself costs
whatever the machine's speed.
"""

import random
import re

from locust import HttpUser, between, task

PASSWORD = "anwen-demo"
SIDENAV = re.compile(r'<nav class="sidenav".*?</nav>', re.S)
HREF = re.compile(r'href="(/[^"]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The hazard pages of issue 8 (name in the table, url). A role that may not open one (a teacher
# and the map) or a page not built yet (the board) is left out of that user's walk at login.
HAZARD_PAGES = [
    ("hazards board", "/hazards/board/"),
    ("hazards map data", "/maps/data.json?layer=hazards"),
    ("hazards list filtered", "/hazards/?category=fire&grade=general&open=on"),
    ("hazards list overdue p2", "/hazards/?overdue=on&page=2"),
]

# The register pages of issue 10: the security devices' list and their networked rates (the
# demo's devices of every school). A role without the registers is left out at login.
REGISTER_PAGES = [
    ("devices register list", "/registers/devices/"),
    ("devices networked rates", "/devices/rates/"),
]

# The case pages of issue 9: the overdue list, and the page of the first case the user's list
# offers (found at login; a role without the case list is left out).
CASE_LIST = "/cases/?overdue=1"
CASE_LINK = re.compile(r'href="(/cases/\d+/)"')


class DemoUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/login/", name="login (GET)")
        token = CSRF.search(page.text)
        self.client.post(
            "/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/login/"},
            name="login (POST)",
        )
        home = self.client.get("/", name="/")
        nav = SIDENAV.search(home.text)
        links = HREF.findall(nav.group(0)) if nav else []
        self.pages = [link for link in dict.fromkeys(links) if link not in ("/", "/inbox/")]
        self.engine_pages = []
        for name, url in HAZARD_PAGES + REGISTER_PAGES:
            with self.client.get(url, name="probe (login)", catch_response=True) as probe:
                if probe.status_code == 200:
                    self.engine_pages.append((name, url))
                probe.success()  # a 403/404 here only means: not for this user
        with self.client.get(CASE_LIST, name="probe (login)", catch_response=True) as probe:
            if probe.status_code == 200:
                self.engine_pages.append(("cases overdue list", CASE_LIST))
                link = CASE_LINK.search(probe.text)
                if link:
                    self.engine_pages.append(("cases case page", link.group(1)))
            probe.success()

    @task(4)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(3)
    def inbox(self) -> None:
        self.client.get("/inbox/", name="/inbox/")

    @task(6)
    def another_page(self) -> None:
        if self.pages:
            url = random.choice(self.pages)  # noqa: S311 - a load mix, not a secret
            self.client.get(url, name=url)

    @task(3)
    def engine_page(self) -> None:
        if self.engine_pages:
            name, url = random.choice(self.engine_pages)  # noqa: S311 - a load mix
            self.client.get(url, name=name)

    @task(2)
    def baseline(self) -> None:
        self.client.get("/ping/", name="baseline /ping/")


# Weights: how many of the 50 concurrent users are of each role, roughly as in an office day
# (many teachers and guards, a few officers, one or two leaders).
class Teacher(DemoUser):
    username, weight = "teacher", 14


class Guard(DemoUser):
    username, weight = "guard", 6


class SafetyOfficer(DemoUser):
    username, weight = "school", 8


class Principal(DemoUser):
    username, weight = "principal", 6


class CentreOfficer(DemoUser):
    username, weight = "centre", 6


class BureauOfficer(DemoUser):
    username, weight = "bureau", 5


class BureauLeader(DemoUser):
    username, weight = "leader", 2


class Agency(DemoUser):
    username, weight = "agency", 3


class CaseClerk(DemoUser):  # the petitions office: the case pages are most of its day
    username, weight = "clerk", 2


class CaseHandler(DemoUser):  # a department's staff member petitions are handed to
    username, weight = "handler", 2
