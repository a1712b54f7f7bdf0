import pytest

from anwen.accounts.models import User
from anwen.orgs import services as org_services
from anwen.orgs.roles import RoleName
from anwen.testing.world import PASSWORD


def _person(world, username: str, role: str, org_key: str) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, display_name=f"测试{username}"
    )
    org_services.role_assign(user=user, org=world.orgs[org_key], role=role)
    world.users[username] = user
    return user


@pytest.fixture
def clerk(world) -> User:
    """The bureau's petitions clerk (信访专员)."""
    return _person(world, "clerk", RoleName.CASE_CLERK, "B1")


@pytest.fixture
def dept(world) -> User:
    """Staff of the bureau's safety office, a department petitions are handed to."""
    return _person(world, "dept", RoleName.DEPARTMENT_STAFF, "D1")


@pytest.fixture
def other_clerk(world) -> User:
    return _person(world, "other_clerk", RoleName.CASE_CLERK, "B2")
