"""Reading the public pages as a parent's browser would, and answering their question."""

import re

from anwen.public import challenge

_HIDDEN = r'name="{name}" value="([^"]*)"'


def hidden(page: str, name: str) -> str:
    found = re.search(_HIDDEN.format(name=name), page)
    assert found, f"no {name} in the page"
    return found.group(1).replace("&quot;", '"').replace("&amp;", "&")


def _first_bureau(page: str) -> str:
    """The bureau the page offers first (a hidden field for one, a choice for several)."""
    found = re.search(r'name="bureau" value="(\d+)"', page) or re.search(
        r'<select name="bureau"[^>]*>\s*<option value="(\d+)"', page
    )
    assert found, "no bureau on the page"
    return found.group(1)


def filled(client, **fields) -> dict:
    """The write-in form as the page gives it, filled in, with the right answer."""
    page = client.get("/public/").content.decode()
    token = hidden(page, "challenge")
    data = {
        "once": hidden(page, "once"),
        "bureau": _first_bureau(page),
        "challenge": token,
        "answer": str(challenge.answer_for(token)),
        "subject": "孩子在校被同学欺负，学校未处理",
        "content": "十一月以来孩子多次被同班同学推搡，班主任知情但没有处理。请教委督促学校调查。",
        "name": "",
        "phone": "",
    }
    data.update(fields)
    return data


def without_tokens(page: str) -> str:
    """A page with its per-render tokens (CSRF, the check question) blanked out."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r"challenge/[^\"']+\.png", "challenge/-.png", page)
