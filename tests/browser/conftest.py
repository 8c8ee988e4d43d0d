"""Browser tests: the public site in Debian's headless Chromium, driven by Playwright's sync API.

Run with `pytest -m browser`; `make test` runs them with everything else. Screenshots go to
test-artifacts/screenshots/ (not committed) for people to look at.
"""

import os
import sqlite3
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

# Playwright's sync API runs an asyncio event loop in the test's thread. Django sees that loop and refuses
# database calls from the same thread (SynchronousOnlyOperation) — the live server's transactional flush
# and the tests' own set-up are such calls. They really are synchronous, and the browser reaches the site
# over HTTP from its own process, so the check does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Each staff group's permissions as the migrations leave them, (app label, codename), read before any
# live server's database is flushed.
STAFF_GROUPS: dict[str, set[tuple[str, str]]] = {}


@pytest.fixture(scope="session", autouse=True)
def migrated_staff_groups(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
            STAFF_GROUPS[group.name] = set(
                group.permissions.values_list("content_type__app_label", "codename")
            )
    assert set(STAFF_GROUPS) == {"Editors", "Publishers"}


@pytest.fixture(scope="session")
def loaded_database(django_db_setup, django_db_blocker):
    """On SQLite, a copy of the suite's database as the migrations and the records' loader leave it (SQLite's
    backup API), for `site` to put back after each flush in milliseconds, where loading the records again
    takes seconds; None on another database."""
    if connection.vendor != "sqlite":
        yield None
        return
    with django_db_blocker.unblock():
        connection.ensure_connection()
        copy = sqlite3.connect(":memory:")
        connection.connection.backup(copy)
    yield copy
    copy.close()


@pytest.fixture
def site(live_server, transactional_db, loaded_database):
    """The live server with the presidency's records: a transactional test starts from an empty database
    (the previous one was flushed), so the records are put back: the copy made after the first load, or, on
    another database than SQLite, the loader again (it matches by natural key). Either way the content types
    are made anew, under other keys than those the process has cached: forget them."""
    if loaded_database is not None:
        connection.ensure_connection()
        loaded_database.backup(connection.connection)
    else:
        call_command("load_records", verbosity=0)
    ContentType.objects.clear_cache()
    return live_server.url


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, request):
    """A fresh page (own cookies, no JavaScript errors allowed) at the test's viewport, desktop if none."""
    size = VIEWPORTS[request.getfixturevalue("viewport")] if "viewport" in request.fixturenames else DESKTOP
    context = browser.new_context(viewport=size, locale="ja-JP")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def staff_groups():
    """The Editors and Publishers groups with the permissions the migrations give them (STAFF_GROUPS): a
    live server's database was flushed, groups with it. By natural keys, since the flush made the
    permissions anew under other ids."""
    for name, permissions in STAFF_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        codenames = {codename for _app_label, codename in permissions}
        group.permissions.set(
            permission
            for permission in Permission.objects.filter(codename__in=codenames).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in permissions
        )
