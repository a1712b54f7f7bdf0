"""The write-in page's check question: a small sum drawn as a picture, answered on the page,
with no outside service (the page must work where the intranet's one opening is this site).

A question is a signed, time-stamped token carrying only a random nonce; the numbers come from
a keyed digest of the nonce (the site's SECRET_KEY), so neither the token nor the picture's
address tells a script the answer, and nothing is stored until it is answered. Answering
claims the nonce in `UsedChallenge` (unique): right or wrong, a question answers once, and a
token older than ANWEN_PUBLIC_CHALLENGE_SECONDS is refused as expired.

What it stops: scripts that fill in forms blindly. The picture's alternative text asks the
same question in words for a screen reader, so a determined script can read it too; the
per-address limit (`limits.py`) is what bounds a determined sender.
"""

import io
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageDraw, ImageFont

from anwen.errors import AppError
from anwen.public.models import UsedChallenge

_SALT = "anwen.public.challenge"
# Fonts with clear digits; the first one present is used (the Debian packages fonts-dejavu-core
# and fonts-noto-cjk, which the PDFs use too). Pillow's own font is the last resort.
FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
]
WIDTH, HEIGHT = 240, 72


class ChallengeError(AppError):
    pass


@dataclass(frozen=True)
class Question:
    a: int
    op: str  # "+" or "-"
    b: int

    @property
    def answer(self) -> int:
        return self.a + self.b if self.op == "+" else self.a - self.b


def max_age() -> int:
    return settings.ANWEN_PUBLIC_CHALLENGE_SECONDS


def issue() -> str:
    """A new question's token (writes nothing)."""
    return signing.dumps(secrets.token_urlsafe(12), salt=_SALT)


def _nonce(token: str, *, grace: int = 0) -> str:
    """The token's nonce; BadSignature (SignatureExpired among them) for a forged, damaged or
    expired one."""
    nonce = signing.loads(token, salt=_SALT, max_age=max_age() + grace)
    if not isinstance(nonce, str) or not 8 <= len(nonce) <= 32:
        raise signing.BadSignature("not a question of ours")
    return nonce


def _question(nonce: str) -> Question:
    digest = salted_hmac(f"{_SALT}.numbers", nonce).digest()
    a, b = 2 + digest[0] % 18, 1 + digest[1] % 9
    # Never a difference of 0: "0", "-0" or an empty-looking answer would then be right, and
    # a bot's junk answer passes one question in about 36.
    if digest[2] % 2 or a == b:
        return Question(a, "+", b)
    return Question(max(a, b), "-", min(a, b))


def question_of(token: str) -> Question | None:
    """The question of a token still worth drawing (a little past expiry, so a page kept
    open a moment too long still shows its picture), or None."""
    try:
        return _question(_nonce(token, grace=300))
    except signing.BadSignature:
        return None


def answer_for(token: str) -> int:
    """The right answer: the server knows it (tests read it here)."""
    return _question(_nonce(token)).answer


_ZH_DIGITS = "零一二三四五六七八九"


def _zh_number(n: int) -> str:
    if n < 10:
        return _ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else "")


def alt_text(question: Question) -> str:
    """The question in words, for a screen reader (numbers in Chinese in the Chinese page)."""
    from django.utils.translation import get_language

    if (get_language() or "").startswith("zh"):
        a, b = _zh_number(question.a), _zh_number(question.b)
    else:
        a, b = str(question.a), str(question.b)
    if question.op == "+":
        return _("Check question: what is %(a)s plus %(b)s?") % {"a": a, "b": b}
    return _("Check question: what is %(a)s minus %(b)s?") % {"a": a, "b": b}


@cache
def _font(size: int):
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def picture(question: Question, token: str) -> bytes:
    """The question drawn as a PNG: digits a little tilted and scattered over faint lines.
    The noise follows the token, so the same question always looks the same."""
    # Not a secret: where the noise falls only has to differ between questions.
    rng = random.Random(token)  # noqa: S311
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 248, 251))
    draw = ImageDraw.Draw(image)
    for _i in range(6):
        draw.line(
            [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _j in range(2)],
            fill=(rng.randint(150, 200), rng.randint(160, 210), rng.randint(170, 220)),
            width=2,
        )
    x = 14
    for char in f"{question.a} {question.op} {question.b} = ?":
        if char == " ":
            x += 10
            continue
        glyph = Image.new("RGBA", (44, 56), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (6, 4),
            char,
            font=_font(36),
            fill=(rng.randint(10, 60), rng.randint(30, 80), rng.randint(80, 130)),
        )
        glyph = glyph.rotate(rng.uniform(-18, 18), resample=Image.Resampling.BICUBIC)
        image.paste(glyph, (x, rng.randint(2, 14)), glyph)
        x += 26
    for _i in range(90):
        draw.point((rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)), fill=(120, 130, 150))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


EXPIRED = gettext_lazy("The check question has expired. Answer the new question below.")
REUSED = gettext_lazy("That check question was answered before. Answer the new question below.")
WRONG = gettext_lazy("The answer to the check question is wrong. Answer the new question below.")


def check(token: str, answer: int | None) -> None:
    """Accept the answer to the question of `token`, or raise ChallengeError. Either way the
    question is used up: it is claimed (committed at once, outside any caller's rollback)."""
    try:
        nonce = _nonce(token)
    except signing.BadSignature:
        raise ChallengeError(EXPIRED, field="answer") from None
    now = timezone.now()
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(nonce=nonce, used_at=now)
    except IntegrityError:
        raise ChallengeError(REUSED, field="answer") from None
    # A used nonce older than a token's life can never come back: no need to keep it.
    UsedChallenge.objects.filter(used_at__lt=now - timedelta(seconds=max_age() + 600)).delete()
    if answer is None or answer != _question(nonce).answer:
        raise ChallengeError(WRONG, field="answer")
