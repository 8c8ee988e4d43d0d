import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the presidency's records, loaded once per run as `make run` loads them."""
    with django_db_blocker.unblock():
        call_command("load_records", verbosity=0)


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "publisher", password="a-long-publisher-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Publishers"))
    return user
