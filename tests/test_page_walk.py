"""Every page of every role (tests/page_walk.py) under the Content-Security-Policy.

The policy allows no inline script and no inline style (bureau/csp.py), so a page must
carry none: no <script> without src, no on* attribute, no style attribute. A page that
did would break in the browser (the phone walk in tests/browser/ sees the violations);
this walk says which page and which markup, without a browser, on every run.
"""

import re

import pytest
from django.urls import reverse

from bureau.csp import POLICY
from tests.page_walk import PERSONAS, build_world, pages_for

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


@pytest.fixture
def world(users, deputy_user, school, zone, district):
    return build_world(users={**users, "deputy": deputy_user}, school=school, zone=zone, district=district)


@pytest.fixture
def people(users, deputy_user):
    return {**users, "deputy": deputy_user}


def problems_of(response):
    found = []
    if response.get("Content-Security-Policy") != POLICY:
        found.append(f"Content-Security-Policy is {response.get('Content-Security-Policy')!r}")
    html = response.content.decode()
    for name, pattern in (("inline script", INLINE_SCRIPT), ("on* attribute", EVENT_ATTRIBUTE),
                          ("style attribute", STYLE_ATTRIBUTE), ("<style> element", STYLE_ELEMENT)):
        found += [f"{name}: {match.group()[:120]}" for match in pattern.finditer(html)]
    return found


def test_the_policy_allows_nothing_inline():
    directives = dict(part.split(" ", 1) for part in POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe" not in POLICY


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_of_a_role_keeps_the_policy(persona, client, people, world):
    client.force_login(people[persona])
    problems = []
    pages = pages_for(persona, world)
    for name, url in pages:
        # A principal's home sends it to its school: the page it lands on is checked.
        response = client.get(url, follow=True)
        if response.status_code != 200:
            problems.append(f"{name} {url}: {response.status_code}")
            continue
        problems += [f"{name} {url}: {problem}" for problem in problems_of(response)]
    assert not problems, f"{persona}:\n" + "\n".join(problems)
    assert len(pages) >= 2


def test_pages_without_login_and_errors_keep_it_too(client, school):
    for url in (reverse("login"), reverse("register"), reverse("password_forgot"), "/no-such-page/",
                reverse("schools:school_list")):
        response = client.get(url)
        assert response["Content-Security-Policy"] == POLICY, url
        assert not problems_of(response), url


def test_the_api_answers_with_the_policy(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("api:school-list"))
    assert response["Content-Security-Policy"] == POLICY


def test_the_header_menu_and_selects_need_no_inline_script(client, staff_user, world):
    client.force_login(staff_user)
    html = client.get(reverse("home")).content.decode()
    assert '<script src="/static/js/portal.js" defer></script>' in html
    assert 'class="menu-toggle"' in html and 'id="site-menu"' in html
    assert '<select name="language" data-autosubmit' in html
    tab = client.get(reverse("schools:school_detail", args=[world.school.pk]), {"tab": "statistics"})
    assert 'data-autosubmit' in tab.content.decode() and "<noscript>" in tab.content.decode()
