"""The link check before publishing (publication/links.py): a link that does not answer is an error on its
field, and the check asks only addresses on the internet: a name that resolves to a loopback,
private or link-local address, or a redirect to one, is refused before any connection to it (no server-side
request forgery). No test asks the internet: `links.resolve`, the check's name resolution, is replaced."""

import http.client
import http.server
import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from declarations.models import Declaration
from publication import links
from tests.publication.support import TAKASAKI_DECLARATION, change_url, declaration_form_data

REFUSED_EN = "The address points inside the server's network; the link check does not follow it."
# An address on the internet (documentation's example.com once had it); the tests never connect to it.
PUBLIC = "93.184.216.34"


class Site:
    """A web server on this machine that counts the requests it answers: 200 on /ok, a redirect from
    /redirect?to=<address> to that address, 404 elsewhere."""

    def __init__(self):
        self.requests = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_HEAD(self):
                site.requests.append(self.path)
                if self.path.startswith("/redirect?to="):
                    self.send_response(302)
                    self.send_header("Location", self.path.removeprefix("/redirect?to="))
                elif self.path == "/ok":
                    self.send_response(200)
                else:
                    self.send_response(404)
                self.end_headers()

            do_GET = do_HEAD

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def internal_site():
    site = Site()
    yield site
    site.close()


@pytest.fixture
def public_site():
    """A server on this machine that the stubbed resolution (`names`) calls public as `localhost`."""
    site = Site()
    yield site
    site.close()


@pytest.fixture
def names(monkeypatch):
    """The addresses each name resolves to, for links.resolve; an IP address resolves to itself."""
    table = {"localhost": [PUBLIC]}

    def resolve(host):
        return table.get(host, [host])

    monkeypatch.setattr(links, "resolve", resolve)
    return table


@pytest.fixture
def connections(monkeypatch):
    """Every (host, port) the link check connects to (http and https alike), connecting as before."""
    made = []
    connect = http.client.HTTPConnection.connect

    def recording_connect(self):
        made.append((self.host, self.port))
        return connect(self)

    monkeypatch.setattr(http.client.HTTPConnection, "connect", recording_connect)
    return made


def test_the_default_is_to_ask_no_internal_address(settings):
    assert not hasattr(settings, "LINK_CHECK_ALLOW_PRIVATE") or settings.LINK_CHECK_ALLOW_PRIVATE is False


def test_a_loopback_address_is_refused_without_asking_it(internal_site, connections):
    # The real resolution: an IP address needs no name server.
    with translation.override("en"):
        assert links.link_problem(f"http://127.0.0.1:{internal_site.port}/ok") == REFUSED_EN
    assert connections == []
    assert internal_site.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.8/",
        "https://10.20.30.40:8443/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
    ],
)
def test_a_private_or_link_local_address_is_refused_without_a_connection(url, connections):
    with translation.override("en"):
        assert links.link_problem(url) == REFUSED_EN
    assert connections == []


@pytest.mark.parametrize(
    "addresses",
    [
        ["127.0.0.1"],
        ["10.1.2.3"],
        ["169.254.169.254"],
        ["fd12:3456::1"],
        [PUBLIC, "10.1.2.3"],
        ["::1", PUBLIC],
    ],
)
def test_a_name_is_refused_when_any_of_its_addresses_is_internal(addresses, names, connections):
    names["intranet.example"] = addresses
    with translation.override("en"):
        assert links.link_problem("http://intranet.example/") == REFUSED_EN
    assert connections == []


def test_a_redirect_to_a_loopback_address_is_refused_before_following_it(
    public_site, internal_site, names, connections
):
    target = f"http://127.0.0.1:{internal_site.port}/ok"
    with translation.override("en"):
        assert links.link_problem(f"http://localhost:{public_site.port}/redirect?to={target}") == REFUSED_EN
    assert public_site.requests == [f"/redirect?to={target}"]
    assert internal_site.requests == []
    assert connections == [("localhost", public_site.port)]


def test_a_redirect_to_a_name_of_a_private_or_link_local_address_is_refused(public_site, names, connections):
    names["metadata.example"] = ["169.254.169.254"]
    names["intranet.example"] = ["10.0.0.7"]
    for target in (
        "http://metadata.example/latest/meta-data/",
        "https://intranet.example/",
        "http://10.0.0.7/",
    ):
        connections.clear()
        with translation.override("en"):
            assert (
                links.link_problem(f"http://localhost:{public_site.port}/redirect?to={target}") == REFUSED_EN
            )
        assert connections == [("localhost", public_site.port)]


def test_a_redirect_to_a_public_address_is_followed(public_site, names, connections):
    target = f"http://localhost:{public_site.port}/ok"
    assert links.link_problem(f"http://localhost:{public_site.port}/redirect?to={target}") is None
    assert public_site.requests == [f"/redirect?to={target}", "/ok"]


def test_a_name_that_does_not_resolve_cannot_be_reached(monkeypatch):
    def resolve(host):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(links, "resolve", resolve)
    with translation.override("en"):
        problem = links.link_problem("http://nowhere.example/")
    assert problem.startswith("The address cannot be reached (") and "Name or service not known" in problem


def test_the_refusal_reads_in_japanese(connections):
    with translation.override("ja"):
        problem = links.link_problem("http://169.254.169.254/")
    assert (
        problem == "このアドレスはサーバー内部のネットワークを指しているため、リンクの確認では接続しません。"
    )
    assert connections == []


def test_the_setting_lets_the_test_suite_ask_a_server_on_this_machine(settings, internal_site):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    assert links.link_problem(f"http://127.0.0.1:{internal_site.port}/ok") is None
    assert internal_site.requests == ["/ok"]


@pytest.mark.django_db
def test_publishing_a_record_that_links_inside_the_network_is_refused_with_the_reason(connections):
    declaration = Declaration.objects.filter(status="published").first()
    declaration.official_url_ja = "http://10.0.0.1/"
    declaration.official_url_en = "http://169.254.169.254/latest/meta-data/"
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        links.check_links_before_publishing(declaration)
    assert refused.value.message_dict == {"official_url_ja": [REFUSED_EN], "official_url_en": [REFUSED_EN]}
    assert connections == []


@pytest.mark.django_db
def test_publishing_checks_that_links_answer(admin_client, local_site):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    broken = admin_client.post(
        change_url(declaration),
        declaration_form_data(declaration, official_url_en=f"{local_site}/missing", change_note="Link"),
    )
    assert broken.status_code == 200
    assert "official_url_en" in broken.context["adminform"].form.errors
    working = admin_client.post(
        change_url(declaration),
        declaration_form_data(declaration, official_url_en=f"{local_site}/ok", change_note="Link"),
    )
    assert working.status_code == 302
    declaration.refresh_from_db()
    assert declaration.official_url_en == f"{local_site}/ok"
