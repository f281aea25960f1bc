"""Every page of every role in a real browser, at phone width (390×844) and on a desktop
(1366×900): no page wider than the screen, no Content-Security-Policy violation, no
script error; the header folds its menu at phone width; charts read at the page's size.

The pages per role are tests/page_walk.py's. Each role's home is photographed at both
widths (walk-<role>-<width>.png in the screenshot folder).
"""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import reverse

from tests.browser.conftest import SCREENSHOT_DIR
from tests.page_walk import PERSONAS, build_world, pages_for

pytestmark = pytest.mark.browser

# Pages drawn by their own script: what shows they are drawn.
READY = {"API documentation": ".swagger-ui .info"}

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Collects what the browser refuses under the policy, from the first script of every page.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " line " + e.lineNumber);
});
"""


def session_for(user):
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "bureau.backends.PortalBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


class Visitor:
    """A browser context logged in as one user, at one viewport, that remembers what went wrong."""

    def __init__(self, browser, live_server, user, viewport):
        self.context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(WATCH_CSP)
        if user is not None:
            self.context.add_cookies([{
                "name": settings.SESSION_COOKIE_NAME, "value": session_for(user), "url": live_server.url,
            }])
        self.page = self.context.new_page()
        self.console = []
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("pageerror", lambda error: self.console.append(f"script error: {error}"))
        self.width = viewport["width"]

    def visit(self, name, url):
        """Open a page; return what is wrong with it (empty when nothing)."""
        self.console.clear()
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        if name in READY:
            self.page.wait_for_selector(READY[name])
        problems = []
        if response is None or response.status >= 400:
            problems.append(f"answered {response and response.status}")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        inner = self.page.evaluate("window.innerWidth")
        if width > inner:
            wide = self.page.evaluate(WIDEST)
            problems.append(f"{width} px wide in a {inner} px window (widest: {wide})")
        violations = self.page.evaluate("window.__cspViolations")
        problems += [f"CSP violation: {v}" for v in violations]
        problems += [f"console: {text}" for text in self.console if "Content Security Policy" in text
                     or text.startswith("script error")]
        return [f"{self.width} px {name} ({url}): {problem}" for problem in problems]

    def close(self):
        self.context.close()


# The element that sticks out furthest to the right, to say what made a page too wide.
WIDEST = """
(() => {
  let worst = null, right = 0;
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > right + 0.5) { right = r.right; worst = el; }
  }
  return worst ? worst.tagName.toLowerCase() + "." + worst.className + " → " + Math.round(right) + " px" : "";
})()
"""


@pytest.fixture
def people(users, deputy_user):
    return {**users, "deputy": deputy_user}


@pytest.fixture
def world(people, school, zone, district):
    return build_world(users=people, school=school, zone=zone, district=district)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_of_a_role_fits_a_phone_and_a_desktop(persona, browser, live_server, people, world):
    pages = pages_for(persona, world)
    problems = []
    for viewport in (PHONE, DESKTOP):
        visitor = Visitor(browser, live_server, people[persona], viewport)
        try:
            for name, url in pages:
                problems += visitor.visit(name, url)
            visitor.page.goto(reverse("home"))
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            visitor.page.screenshot(path=str(SCREENSHOT_DIR / f"walk-{persona}-{viewport['width']}.png"), full_page=True)
        finally:
            visitor.close()
    assert not problems, f"{persona}, {len(pages)} pages:\n" + "\n".join(problems)


def test_the_login_page_fits_and_keeps_the_policy(browser, live_server):
    for viewport in (PHONE, DESKTOP):
        visitor = Visitor(browser, live_server, None, viewport)
        try:
            assert not visitor.visit("login", reverse("login"))
        finally:
            visitor.close()


def test_the_header_folds_its_menu_at_phone_width(browser, live_server, staff_user, world):
    phone = Visitor(browser, live_server, staff_user, PHONE)
    try:
        page = phone.page
        page.goto(reverse("home"))
        header = page.locator("header.topbar")
        # Was 40 % of the screen: now one slim row.
        assert header.bounding_box()["height"] <= PHONE["height"] * 0.08
        toggle = page.locator(".menu-toggle")
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        schools = page.locator(f'.mainnav a[href="{reverse("schools:school_list")}"]')
        assert not schools.is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert schools.is_visible()
        # Each menu item on one line: two characters side by side, not 学 over 校.
        box = schools.bounding_box()
        assert box["height"] < 2 * 15 * 1.6 and box["width"] > box["height"]
        page.locator(f'.mainnav a[href="{reverse("schools:school_list")}"]').click()
        page.wait_for_url(f"**{reverse('schools:school_list')}")
    finally:
        phone.close()
    desktop = Visitor(browser, live_server, staff_user, DESKTOP)
    try:
        page = desktop.page
        page.goto(reverse("home"))
        assert not page.locator(".menu-toggle").is_visible()
        assert page.locator(f'.mainnav a[href="{reverse("schools:school_list")}"]').is_visible()
        assert page.locator("header.topbar").bounding_box()["height"] <= 60
    finally:
        desktop.close()


# The rendered size, in CSS px, of the first label of the chart the page shows.
CHART_LABEL_PX = """
(() => {
  const svg = [...document.querySelectorAll("svg.chart")].find(s => s.getBoundingClientRect().width > 0);
  const label = svg.querySelector("text");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return parseFloat(getComputedStyle(label).fontSize) * scale;
})()
"""


def test_the_home_chart_reads_at_the_page_size_on_both_widths(browser, live_server, staff_user, world):
    sizes = {}
    for viewport in (PHONE, DESKTOP):
        visitor = Visitor(browser, live_server, staff_user, viewport)
        try:
            visitor.page.goto(reverse("home"))
            sizes[viewport["width"]] = label = visitor.page.evaluate(CHART_LABEL_PX)
            title = visitor.page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
            body = visitor.page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            # Was about 6 px on a phone and larger than the page title on a desktop.
            assert 11.5 <= label <= 15, (viewport, label)
            assert label < title and label <= body, (viewport, label, title, body)
        finally:
            visitor.close()
    assert abs(sizes[390] - sizes[1366]) <= 2, sizes


def test_the_account_form_shows_the_fields_of_the_chosen_role(browser, live_server, admin_user, world):
    visitor = Visitor(browser, live_server, admin_user, PHONE)
    try:
        page = visitor.page
        page.goto(reverse("accounts:user_create"))
        role = page.locator("#id_role")
        assert role.input_value() == "", "no role is chosen for the administrator"

        def shown():
            return {name for name in ("department", "district", "school", "inspector_kind", "zones")
                    if page.locator(f'[data-roles] :is(#id_{name}, #id_{name}_0)').first.is_visible()}

        assert shown() == set()
        role.select_option("inspector")
        assert shown() == {"district", "inspector_kind", "zones"}
        role.select_option("staff")
        assert shown() == {"department", "district"}
        role.select_option("principal")
        assert shown() == {"school"}
        # A hidden field is not sent: the district the page no longer shows stays out.
        assert page.locator("#id_district").is_disabled()
        assert not visitor.visit("new account form", reverse("accounts:user_create"))
    finally:
        visitor.close()
