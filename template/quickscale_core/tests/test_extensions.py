"""Extension points: what manifests contribute, for whom, in which order (extensions.py)."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, clear_url_caches, path, reverse, set_script_prefix

from quickscale_core import extensions
from quickscale_core.extensions import Manifest, ManifestError

VISITOR = AnonymousUser()
MEMBER = SimpleNamespace(is_authenticated=True, is_staff=False)
STAFF = SimpleNamespace(is_authenticated=True, is_staff=True)
ITEM_FIELDS = {"label", "url", "when", "order", "template", "context", "prefix", "include"}
# Periodic tasks (`schedule:`): the tasks module reads these.
ITEM_FIELDS |= {"task", "every", "cron", "name"}
# notification_kinds items (extension-points.md, "Notification kinds").
ITEM_FIELDS |= {"kind", "templates", "email", "in_app"}


@pytest.fixture
def installed(monkeypatch):
    """Replace the installed apps' manifests with the ones a test lists."""

    def install(*manifests: Manifest) -> None:
        monkeypatch.setattr(extensions, "manifests", lambda: list(manifests))

    return install


def link(label, url="home", **extra):
    return {"label": label, "url": url, **extra}


def test_contributions_follow_order_then_settings_order(installed):
    installed(
        Manifest("a", 0, contributes={"nav": [link("A late", order=150), link("A default")]}),
        Manifest("b", 1, contributes={"nav": [link("B early", order=10), link("B default")]}),
    )

    labels = [item["label"] for item in extensions.contributions("nav", VISITOR)]

    assert labels == ["B early", "A default", "B default", "A late"]


def test_contributions_are_filtered_by_audience(installed):
    installed(
        Manifest(
            "a",
            0,
            contributes={
                "nav": [
                    link("Everyone"),
                    link("Visitors", when="anonymous"),
                    link("Members", when="authenticated"),
                    link("Staff", when="staff"),
                ]
            },
        )
    )

    def labels(user):
        return [item["label"] for item in extensions.contributions("nav", user)]

    assert labels(VISITOR) == ["Everyone", "Visitors"]
    assert labels(None) == ["Everyone", "Visitors"]
    assert labels(MEMBER) == ["Everyone", "Members"]
    assert labels(STAFF) == ["Everyone", "Members", "Staff"]


def test_links_carry_their_url_and_source_and_unresolvable_ones_are_dropped(installed):
    installed(
        Manifest(
            "quickscale_modules.x",
            0,
            contributes={"nav": [link("Home"), link("Gone", "no-such-page")]},
        )
    )

    [item] = extensions.contributions("nav", VISITOR)

    assert item["href"] == "/" and item["app"] == "quickscale_modules.x"


def test_unknown_points_are_empty(installed):
    installed(Manifest("a", 0, contributes={"nav": [link("A")]}))

    assert extensions.contributions("no_such_point", VISITOR) == []


def test_page_url_takes_the_first_resolvable_offer(installed):
    installed(
        Manifest("a", 0, pages={"pricing": "no-such-page"}),
        Manifest("b", 1, pages={"pricing": "home"}),
    )

    assert extensions.page_url("pricing") == "/"
    assert extensions.page_url("nobody-offers-this") == ""


def test_without_a_plans_provider_nothing_is_limited(installed):
    installed(Manifest("a", 0))

    assert extensions.entitlement_limit(MEMBER, "projects") is None
    assert extensions.has_entitlement(MEMBER, "exports") is True


def test_the_plans_provider_answers_when_there_is_one(installed):
    # A real module path with the two functions the contract names.
    installed(Manifest("a", 0, provides={"entitlements": "quickscale_core.tests.plans_fixture"}))

    assert extensions.entitlement_limit(MEMBER, "projects") == 7
    assert extensions.has_entitlement(MEMBER, "exports") is False


def kind(name, **extra):
    return {"kind": name, "label": name.title(), "templates": f"x/{name}", **extra}


def test_without_a_notifications_provider_only_default_emails_are_sent(installed, monkeypatch):
    from quickscale_core import emails

    sent = []
    monkeypatch.setattr(emails, "send_templated", lambda *args: sent.append(args))
    kinds = [kind("plain"), kind("quiet", email=False), kind("security", email="always")]
    installed(Manifest("a", 0, contributes={"notification_kinds": kinds}))
    user = SimpleNamespace(email="ada@example.com")

    for name in ("plain", "quiet", "security"):
        extensions.notify(user, name, {"n": 1})

    assert sent == [("x/plain", {"user": user, "n": 1}, ["ada@example.com"])]
    with pytest.raises(ValueError, match="Unknown notification kind 'typo'"):
        extensions.notify(user, "typo")


def test_the_notifications_provider_receives_every_kind(installed, monkeypatch):
    received = []
    monkeypatch.setattr(
        extensions, "import_string", lambda path: lambda *args: received.append((path, args))
    )
    installed(
        Manifest(
            "a",
            0,
            contributes={"notification_kinds": [kind("plain")]},
            provides={"notifications": "somewhere.services"},
        )
    )

    extensions.notify(MEMBER, "plain", {"n": 1})

    assert received == [("somewhere.services.notify", (MEMBER, "plain", {"user": MEMBER, "n": 1}))]


def test_a_manifest_with_an_unknown_audience_says_what_to_write(tmp_path):
    manifest = tmp_path / "module.yml"
    manifest.write_text(
        "contributes:\n  nav:\n    - label: X\n      url: home\n      when: admins\n"
    )

    with pytest.raises(ManifestError, match=r"when: admins.*anonymous, authenticated, staff"):
        extensions._load("x", 0, manifest)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just\n- a list\n", "must be a YAML mapping"),
        ("contributes: [nav]\n", "`contributes` must map extension points"),
        ("contributes:\n  nav: Pricing\n", "contributes.nav must be a list"),
        ("contributes:\n  nav: [Pricing]\n", "items must be mappings"),
        ("contributes:\n  nav:\n    - label: Pricing\n", "contributes.nav items need url"),
        ("contributes:\n  dashboard_cards:\n    - order: 1\n", "items need template"),
        ("contributes:\n  nav:\n    - {label: X, url: home, order: first}\n", "use a number"),
        ("contributes:\n  nav:\n    - {label: X, url: [home]}\n", "url must be text"),
        ("pages: [pricing]\n", "`pages` must map names"),
        ("provides:\n  entitlements: 3\n", "`provides` must map names"),
        ("contributes: {nav: [\n", "not valid YAML"),
        ("contributes:\n  notification_kinds:\n    - {kind: k, label: K}\n", "need templates"),
        (
            "contributes:\n  notification_kinds:\n"
            "    - {kind: k, label: K, templates: t, email: maybe}\n",
            "`email: maybe`; use always or false or true",
        ),
    ],
)
def test_a_malformed_manifest_names_the_file_and_the_fix(tmp_path, text, message):
    manifest = tmp_path / "module.yml"
    manifest.write_text(text)

    with pytest.raises(ManifestError, match=message) as raised:
        extensions._load("x", 0, manifest)
    assert str(raised.value).startswith(f"{manifest}: ")


def test_the_system_check_reports_a_malformed_manifest(monkeypatch):
    from quickscale_core.checks import manifests_are_well_formed

    def broken():
        raise ManifestError("quickscale_modules/x/module.yml: contributes.nav items need url.")

    monkeypatch.setattr("quickscale_core.checks.manifests", broken)

    [error] = manifests_are_well_formed(None)

    assert error.id == "quickscale.E007" and "module.yml" in error.msg


def test_the_system_check_reports_a_contributed_template_that_is_missing(monkeypatch):
    from quickscale_core.checks import manifests_are_well_formed

    missing = Manifest(
        "quickscale_modules.x", 0, contributes={"dashboard_cards": [{"template": "nope.html"}]}
    )
    monkeypatch.setattr("quickscale_core.checks.manifests", lambda: [missing])

    [error] = manifests_are_well_formed(None)

    assert error.id == "quickscale.E007" and "nope.html" in error.msg


def test_the_system_check_reports_what_would_fail_or_show_nothing(monkeypatch):
    from quickscale_core.checks import manifests_are_well_formed

    odd = Manifest(
        "quickscale_modules.x",
        0,
        contributes={
            "dashboard_card": [{"template": "quickscale_core/skeleton.html"}],  # typo: no s
            "nav": [link("Gone", "no-such-page")],
            "account_sections": [
                {"template": "quickscale_core/skeleton.html", "context": "no.such.function"}
            ],
        },
        pages={"pricing": "no-such-page"},
    )
    monkeypatch.setattr("quickscale_core.checks.manifests", lambda: [odd])

    problems = {(p.id, p.msg.split(",")[0]) for p in manifests_are_well_formed(None)}

    assert problems == {
        (
            "quickscale.E007",
            "quickscale_modules.x contributes to account_sections with context no.such.function",
        ),
        (
            "quickscale.W002",
            "quickscale_modules.x contributes to the extension point 'dashboard_card'",
        ),
        ("quickscale.W002", "quickscale_modules.x links 'Gone' to the URL name 'no-such-page'"),
        (
            "quickscale.W002",
            "quickscale_modules.x offers the page 'pricing' at the URL name 'no-such-page'",
        ),
    }


def test_this_projects_manifests_pass_the_system_check():
    from quickscale_core.checks import manifests_are_well_formed

    assert manifests_are_well_formed(None) == []


def test_only_the_projects_own_apps_have_manifests(tmp_path):
    # uv puts the virtualenv inside the project: a package there is not one of ours.
    assert extensions._project_app(tmp_path / "quickscale_modules" / "billing", tmp_path)
    assert extensions._project_app(tmp_path / "client_acme", tmp_path)
    site = tmp_path / ".venv" / "lib" / "python3.11" / "site-packages" / "somepackage"
    assert not extensions._project_app(site, tmp_path)
    assert not extensions._project_app(tmp_path.parent / "elsewhere", tmp_path)


def test_api_routes_refuse_an_audience(tmp_path):
    manifest = tmp_path / "module.yml"
    manifest.write_text("contributes:\n  api_routes:\n    - include: x.api\n      when: staff\n")

    with pytest.raises(ManifestError, match="api_routes items take no `when`"):
        extensions._load("x", 0, manifest)


def test_the_installed_manifests_use_only_known_item_fields():
    # Loading, shapes and templates are the system check's (the test below); a field the
    # core does not read (a typo such as `templte`) is caught here.
    for manifest in extensions.manifests():
        for point, items in manifest.contributes.items():
            for item in items:
                assert set(item) <= ITEM_FIELDS, (manifest.app, point, item)


def templates_in_memory(settings, templates: dict[str, str], processors=()) -> None:
    """Django templates from `templates` (name -> source) only, with these processors."""
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "context_processors": list(processors),
                "loaders": [("django.template.loaders.locmem.Loader", templates)],
            },
        }
    ]


def test_the_template_tags_render_links_and_sections(installed, settings):
    templates_in_memory(settings, {"card.html": "card: {{ greeting }}"})
    installed(
        Manifest(
            "a",
            0,
            pages={"home_page": "home"},
            contributes={
                "nav": [link("Members only", when="authenticated"), link("Start")],
                "cards": [
                    {"template": "card.html"},
                    {
                        "template": "card.html",
                        "context": "quickscale_core.tests.plans_fixture.card_context",
                    },
                ],
            },
        )
    )
    request = RequestFactory().get("/")
    request.user = VISITOR
    template = Template(
        '{% load quickscale %}{% contributions "nav" as links %}'
        "{% for l in links %}[{{ l.label }} {{ l.href }}]{% endfor %}"
        '{% page_url "home_page" as home %}<{{ home }}>'
        '{% render_contributions "cards" %}'
    )

    html = template.render(Context({"request": request, "greeting": "Hello <b>"}))

    assert html.startswith("[Start /]</>")
    # The contributed template sees the page's context, escaped as usual, plus what its
    # item's `context` function adds for the request.
    assert "card: Hello &lt;b&gt;" in html
    assert "card: From the module for /" in html


# Cached reversing (the navigation's links): a URLconf of this module's own for one test.
def _elsewhere(request):
    return None


urlpatterns = [path("elsewhere/", _elsewhere, name="home")]


def test_cached_reverse_reverses_each_name_once(monkeypatch):
    calls = []
    original = extensions.reverse
    monkeypatch.setattr(extensions, "reverse", lambda name: calls.append(name) or original(name))
    clear_url_caches()  # A fresh memo, whatever earlier tests reversed.

    first, second = extensions.cached_reverse("home"), extensions.cached_reverse("home")

    assert first == second == reverse("home")
    assert calls == ["home"]
    with pytest.raises(NoReverseMatch):
        extensions.cached_reverse("no-such-page")
    assert extensions.reverse_or_none("no-such-page") is None


def test_cached_reverse_follows_the_script_prefix():
    home = reverse("home")
    set_script_prefix("/shop/")
    try:
        under_prefix = extensions.cached_reverse("home")
    finally:
        set_script_prefix("/")

    assert under_prefix == "/shop" + home
    assert extensions.cached_reverse("home") == home


def test_cached_reverse_follows_a_new_urlconf():
    home = extensions.cached_reverse("home")

    with override_settings(ROOT_URLCONF=__name__):
        elsewhere = extensions.cached_reverse("home")

    assert elsewhere == "/elsewhere/"
    assert extensions.cached_reverse("home") == home


def test_the_cached_url_tag_renders_like_url():
    template = Template('{% load quickscale %}{% cached_url "home" %}|{% url "home" %}')

    cached, plain = template.render(Context()).split("|")

    assert cached == plain


PROCESSOR_CALLS = []


def counting_processor(request):
    PROCESSOR_CALLS.append(request.path)
    return {"from_processor": "processed"}


def test_contributed_templates_render_in_the_page_context_without_rerunning_processors(
    settings, installed
):
    """Issue 20: each header widget used to run every context processor again (a tenth of a
    signed-in page); the widgets still see what the processors and the page put in context."""
    templates_in_memory(
        settings,
        {
            "page.html": '{% load quickscale %}{% with mood="calm" %}'
            '{% render_contributions "widgets" %}{% endwith %}[{{ extra }}]',
            "widget.html": "<{{ from_processor }} {{ mood }} {{ extra }}>",
        },
        processors=[
            "django.template.context_processors.request",
            "quickscale_core.tests.test_extensions.counting_processor",
        ],
    )
    installed(
        Manifest(
            "a",
            0,
            contributes={
                "widgets": [
                    {"template": "widget.html"},
                    {
                        "template": "widget.html",
                        "context": "quickscale_core.tests.test_extensions.widget_context",
                    },
                ]
            },
        )
    )
    request = RequestFactory().get("/page/")
    request.user = VISITOR
    PROCESSOR_CALLS.clear()

    html = render_to_string("page.html", request=request)

    assert html == "<processed calm >\n<processed calm added>[]"
    assert PROCESSOR_CALLS == ["/page/"]  # once for the page, not once more per widget


def widget_context(request):
    return {"extra": "added"}


def test_contributed_templates_escape_even_inside_autoescape_off(settings, installed):
    """A page that turns autoescape off around the tag does not turn it off for widgets,
    which show other people's names and messages (render_to_string always escaped)."""
    templates_in_memory(
        settings,
        {
            "page.html": "{% load quickscale %}{% autoescape off %}"
            '{% render_contributions "widgets" %}{{ raw }}{% endautoescape %}',
            "widget.html": "[{{ name }}]",
        },
    )
    installed(
        Manifest(
            "a",
            0,
            contributes={
                "widgets": [
                    {
                        "template": "widget.html",
                        "context": "quickscale_core.tests.test_extensions.hostile_context",
                    }
                ]
            },
        )
    )
    request = RequestFactory().get("/page/")
    request.user = VISITOR

    html = render_to_string("page.html", {"raw": "<i>page</i>"}, request=request)

    assert html == "[&lt;b&gt;Mallory&lt;/b&gt;]<i>page</i>"


def hostile_context(request):
    return {"name": "<b>Mallory</b>"}
