"""The day's mix of pages for every demo role, for `benchmarks/load/run.sh` (never run in CI).

Each simulated user logs in as one demo account (the admin is left out: it needs a second
factor) and walks the pages its own navigation offers, the home page and the inbox most often,
as people do between classes. `/ping/` is the bare authenticated page (session, user, one small
response): every page's time is read against it, measured by the same server in the same run, so
the ratio says what the page itself costs whatever the machine's speed.
"""

import random
import re

from locust import HttpUser, between, task

PASSWORD = "anwen-demo"
SIDENAV = re.compile(r'<nav class="sidenav".*?</nav>', re.S)
HREF = re.compile(r'href="(/[^"]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
