"""Two application processes on one database and one Redis: a change made through one is what the other
serves next, in both languages, on the site and in the API, although both cache every page."""

import re

import pytest
import redis
from django_otp.oath import totp

from .servers import SITE_HOST, commands_sent, cut_generation_watches, manage

# django_db: the servers' database is a copy of the suite's, which pytest-django creates only when a
# test asks for the database.
pytestmark = [pytest.mark.deployment, pytest.mark.django_db]

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
NAGASAKI = "g7-2023-health-nagasaki"
ADMIN = {"username": "deploy-admin", "password": "a-long-deployment-password"}


def cached_twice(server, path, **kwargs):
    """The page as the server caches it: rendered once, then answered from the shared cache."""
    first = server.get(path, **kwargs)
    second = server.get(path, **kwargs)
    assert first.status == second.status == 200, (path, first.status, second.status)
    assert second.header("X-Cache") == "hit", path
    return second


def test_a_change_through_one_process_is_served_by_the_other_at_once(site_servers, site_environ):
    a, b = site_servers
    pages = {language: f"/{language}/meetings/{TAKASAKI}/" for language in ("ja", "en")}
    for path in pages.values():
        cached_twice(b, path)
        # One cache for both: what b stored, a serves.
        assert a.get(path).header("X-Cache") == "hit"
    api = f"/api/v1/meetings/{TAKASAKI}/"
    assert "Takasaki" in cached_twice(b, api, headers={"Accept-Language": "en"}).text

    # Edit: a third process (the shell, as an operator would use it) saves both titles.
    manage(
        site_environ,
        "shell",
        "-v",
        "0",
        "-c",
        "from meetings.models import Meeting\n"
        f"meeting = Meeting.objects.get(slug='{TAKASAKI}')\n"
        "meeting.title_ja = '改訂版 デジタル・技術大臣会合'\n"
        "meeting.title_en = 'Revised Digital and Tech Ministers Meeting'\n"
        "meeting.save()\n",
    )
    for server in (a, b):
        ja, en = server.get(pages["ja"]), server.get(pages["en"])
        assert "改訂版 デジタル・技術大臣会合" in ja.text
        assert "Revised Digital and Tech Ministers Meeting" in en.text
        assert server.get(api, headers={"Accept-Language": "en"}).text.count("Revised Digital") >= 1

    # Unpublish: an editor uses the admin's bulk action on process a; process b stops showing it.
    printed = manage(
        site_environ,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        "from meetings.models import Meeting\n"
        f"user = get_user_model().objects.create_superuser('{ADMIN['username']}', password='{ADMIN['password']}')\n"
        "device = TOTPDevice.objects.create(user=user, name='phone')\n"
        f"print(Meeting.objects.get(slug='{TAKASAKI}').pk, device.persistent_id, device.key)\n",
    ).stdout.split()
    pk, device_id, device_key = printed
    cookies = sign_in(a, device_id, device_key)
    action = a.request(
        "POST",
        "/admin/meetings/meeting/",
        data={
            "action": "unpublish",
            "_selected_action": pk,
            "csrfmiddlewaretoken": cookies["__Host-csrftoken"],
        },
        headers=origin(a),
        cookies=cookies,
    )
    assert action.status == 302, action.text[:2000]
    for path in pages.values():
        assert b.get(path).status == 404
    assert b.get(api, headers={"Accept-Language": "en"}).status == 404

    # Delete: a record vanishes from the list that b has cached, in both languages.
    lists = {language: f"/{language}/meetings/" for language in ("ja", "en")}
    for path in lists.values():
        assert f"/meetings/{NAGASAKI}/" in cached_twice(b, path).text
    manage(
        site_environ,
        "shell",
        "-v",
        "0",
        "-c",
        f"from meetings.models import Meeting; Meeting.objects.get(slug='{NAGASAKI}').delete()",
    )
    for path in lists.values():
        page = b.get(path)
        assert page.status == 200
        assert f"/meetings/{NAGASAKI}/" not in page.text


def test_a_hit_or_a_304_in_a_server_process_sends_redis_nothing(site_servers, redis_server):
    """Each process keeps the pages it served and answers from them while its watch on the generation
    hears of no change."""
    a, _b = site_servers
    path = "/en/meetings/g7-2023-trade-osaka-sakai/"
    etag = cached_twice(a, path).header("ETag")
    server = redis.Redis.from_url(redis_server.url)
    try:
        commands_sent(server)
        for _ in range(10):
            assert a.get(path).header("X-Cache") == "hit"
            assert a.get(path, headers={"If-None-Match": etag}).status == 304
        assert commands_sent(server) == {}
    finally:
        server.close()


def test_with_the_watches_cut_a_change_is_still_served_at_once(site_servers, site_environ, redis_server):
    """Being right never depends on the watch: a process whose watch is not connected reads the
    generation from Redis on every request until it is back."""
    pages = [f"/{language}/meetings/g7-2023-agriculture-miyazaki/" for language in ("ja", "en")]
    for server in site_servers:
        for path in pages:
            cached_twice(server, path)
    control = redis.Redis.from_url(redis_server.url)
    try:
        assert cut_generation_watches(control) >= len(site_servers)
    finally:
        control.close()
    manage(
        site_environ,
        "shell",
        "-v",
        "0",
        "-c",
        "from meetings.models import Meeting\n"
        "meeting = Meeting.objects.get(slug='g7-2023-agriculture-miyazaki')\n"
        "meeting.title_ja = '農業大臣会合（改訂）'\n"
        "meeting.title_en = 'Agriculture Ministers Meeting, revised'\n"
        "meeting.save()\n",
    )
    for server in site_servers:
        assert "農業大臣会合（改訂）" in server.get(pages[0]).text
        assert "Agriculture Ministers Meeting, revised" in server.get(pages[1]).text
        # And the watch is back: the page is kept and served again.
        assert server.get(pages[1]).header("X-Cache") == "hit"


def sign_in(server, device_id: str, device_key: str) -> dict:
    """Signs in through the admin's login form as a production browser would, over (proxied) HTTPS, with the
    password and the one-time password that production requires (the TOTP of the device's hex key)."""
    login = server.get("/admin/login/")
    cookies = {"__Host-csrftoken": login.cookies["__Host-csrftoken"].value}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    one_time = f"{totp(bytes.fromhex(device_key)):06d}"
    response = server.request(
        "POST",
        "/admin/login/?next=/admin/",
        data={
            **ADMIN,
            "otp_device": device_id,
            "otp_token": one_time,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        },
        headers=origin(server),
        cookies=cookies,
    )
    assert response.status == 302, response.text[:2000]
    session = response.cookies["__Host-sessionid"]
    # The session cookie only ever travels over HTTPS, is out of scripts' reach, and is this host's alone
    # (the __Host- prefix: the path /, no Domain).
    assert session["secure"] and session["httponly"]
    assert session["path"] == "/" and not session["domain"]
    assert session["samesite"] == "Lax"
    # The admin's messages are in the session: no cookie of their own.
    assert set(response.cookies) <= {"__Host-sessionid", "__Host-csrftoken"}
    cookies["__Host-sessionid"] = session.value
    if "__Host-csrftoken" in response.cookies:
        cookies["__Host-csrftoken"] = response.cookies["__Host-csrftoken"].value
    return cookies


def origin(server) -> dict:
    return {"Origin": f"https://{SITE_HOST}"}
