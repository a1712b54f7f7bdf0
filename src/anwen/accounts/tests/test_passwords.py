import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError

from anwen.accounts.passwords import CharacterClassValidator, character_classes

pytestmark = pytest.mark.req("PL11")


def codes(error: ValidationError) -> set[str | None]:
    return {e.code for e in error.error_list}


def test_a_short_password_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_password("Ab1-x")
    assert "password_too_short" in codes(caught.value)


@pytest.mark.parametrize(
    "password", ["correcthorsebattery", "horse-battery-staple", "12345678horse"]
)
def test_a_password_with_fewer_than_three_kinds_of_character_is_refused(password):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert "password_too_few_character_classes" in codes(caught.value)


@pytest.mark.parametrize(
    "password", ["Horse-battery7", "horse-battery7", "HORSE battery", "马鞍Battery9"]
)
def test_a_long_password_of_three_kinds_is_accepted(password):
    validate_password(password)  # raises if refused


def test_the_four_kinds_are_lowercase_uppercase_digits_and_other():
    assert character_classes("aZ9-") == {"lower", "upper", "digit", "other"}
    assert character_classes("安稳") == {"other"}


def test_the_validator_can_ask_for_all_four_kinds():
    validator = CharacterClassValidator(min_classes=4)
    with pytest.raises(ValidationError):
        validator.validate("Horse-battery")
    validator.validate("Horse-battery7")


def test_the_rule_is_explained_in_the_help_text():
    from django.utils import translation

    with translation.override("en"):
        assert "at least 3" in CharacterClassValidator().get_help_text()
        assert "at least 3" in password_validators_help_text_html()
    # Named, not inherited: an earlier test's request may have left English active.
    with translation.override("zh-hans"):
        assert "至少要包含以下 3 类字符" in CharacterClassValidator().get_help_text()
