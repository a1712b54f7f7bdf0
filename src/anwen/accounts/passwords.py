"""Password policy (等保 2.0): besides length, a password mixes kinds of character."""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def character_classes(password: str) -> set[str]:
    """Which of the four kinds (lowercase, uppercase, digits, other) the password uses."""
    classes = set()
    for char in password:
        if char.islower():
            classes.add("lower")
        elif char.isupper():
            classes.add("upper")
        elif char.isdigit():
            classes.add("digit")
        else:
            classes.add("other")
    return classes


class CharacterClassValidator:
    """At least `min_classes` of: lowercase letters, uppercase letters, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = max(1, min(4, int(min_classes)))

    def validate(self, password: str, user=None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                ngettext(
                    "The password must use at least %(min)d kind of character: lowercase, "
                    "uppercase, digits, other characters.",
                    "The password must use at least %(min)d of these kinds of character: "
                    "lowercase, uppercase, digits, other characters.",
                    self.min_classes,
                ),
                code="password_too_few_character_classes",
                params={"min": self.min_classes},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must use at least %(min)d kind of character: lowercase, uppercase, "
            "digits, other characters.",
            "Your password must use at least %(min)d of these kinds of character: lowercase, "
            "uppercase, digits, other characters.",
            self.min_classes,
        ) % {"min": self.min_classes}
