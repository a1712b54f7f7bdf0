"""The offline check question: right once, never twice, not after it expired, never from a
forged token; drawn as a picture with its question in words beside."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from anwen.public import challenge
from anwen.public.challenge import ChallengeError

pytestmark = pytest.mark.django_db


def test_the_right_answer_passes_once():
    token = challenge.issue()
    challenge.check(token, challenge.answer_for(token))
    with pytest.raises(ChallengeError, match=str(challenge.REUSED)):
        challenge.check(token, challenge.answer_for(token))


def test_a_wrong_answer_is_refused_and_uses_the_question_up():
    token = challenge.issue()
    with pytest.raises(ChallengeError, match=str(challenge.WRONG)):
        challenge.check(token, challenge.answer_for(token) + 1)
    with pytest.raises(ChallengeError, match=str(challenge.REUSED)):
        challenge.check(token, challenge.answer_for(token))


def test_an_expired_question_is_refused(settings):
    settings.ANWEN_PUBLIC_CHALLENGE_SECONDS = 600
    token = challenge.issue()
    answer = challenge.answer_for(token)
    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        with pytest.raises(ChallengeError, match=str(challenge.EXPIRED)):
            challenge.check(token, answer)


@pytest.mark.parametrize("token", ["", "junk", "a:b:c", "x" * 500])
def test_a_forged_token_is_refused(token):
    with pytest.raises(ChallengeError, match=str(challenge.EXPIRED)):
        challenge.check(token, 3)
    assert challenge.question_of(token) is None


@pytest.mark.parametrize(
    ("n", "words"), [(3, "三"), (10, "十"), (12, "十二"), (20, "二十"), (27, "二十七")]
)
def test_numbers_read_in_chinese(n, words):
    assert challenge._zh_number(n) == words


def test_the_picture_is_a_png_and_the_words_ask_the_same_sum():
    token = challenge.issue()
    question = challenge.question_of(token)
    assert question is not None and question.answer == challenge.answer_for(token)
    assert 0 <= question.answer <= 28
    png = challenge.picture(question, token)
    assert png.startswith(b"\x89PNG") and png == challenge.picture(question, token)
    from django.utils import translation

    with translation.override("zh-hans"):
        words = challenge.alt_text(question)
    assert "等于几" in words and challenge._zh_number(question.a) in words
