"""Giving the world's people an e-mail address and a phone number."""

from anwen.orgs.models import Person


def give_contacts(user, *, email: str = "", phone: str = "") -> None:
    user.email = email
    user.save(update_fields=["email"])
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person(org=user.role_assignments.first().org, name=str(user), user=user)
    person.phone = phone
    person.save()
