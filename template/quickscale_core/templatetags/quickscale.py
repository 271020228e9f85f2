"""Extension points for templates: {% load quickscale %}.

    {% contributions "nav" as links %}            links (label, href, url) for this user
    {% render_contributions "account_sections" %}  the contributed templates, rendered in place
                                                   (an item's `context`, a function of the
                                                   request, adds what its template needs)
    {% page_url "pricing" as pricing_url %}        a named page's URL, "" when none is installed
    {% cached_url "home" %}                        {% url "home" %} for a URL without arguments,
                                                   reversed once per process (navigation)
    {% team_field %}                               in a POST form of team data: the team the page
                                                   shows, so a switch in another tab refuses it
    {% team_can "billing.manage" as can_manage %}  whether the user's role in the current team
                                                   allows an action (quickscale_core/roles.py)

What each point holds is declared in the manifests (quickscale_core/extensions.py).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from quickscale_core import extensions
from quickscale_core.team_access import team_allows

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def contributions(context, point: str) -> list[dict]:
    return extensions.contributions(point, _user(context))


@register.simple_tag(takes_context=True)
def render_contributions(context, point: str) -> SafeString:
    """Each contributed `template`, rendered with the page's context, in order.

    Rendered like {% include %}, in the page's own context with the item's additions pushed
    on top: the context processors ran once for the page, and running them again for each
    widget of the header (render_to_string with the request) cost a tenth of a signed-in page.
    """
    request = context.get("request")
    items = extensions.contributions(point, _user(context))
    if not items:
        return SafeString("")
    html = []
    for item in items:
        if "template" not in item:
            continue
        extra = import_string(item["context"])(request) if "context" in item else {}
        template = context.template.engine.get_template(item["template"])
        # Escaped whatever the page around the tag says ({% autoescape off %}), as
        # render_to_string did: a widget shows other people's names and messages.
        autoescape, context.autoescape = context.autoescape, True
        try:
            with context.push(extra):
                html.append((template.render(context),))
        finally:
            context.autoescape = autoescape
    return format_html_join("\n", "{}", html)


@register.simple_tag
def page_url(name: str) -> str:
    return extensions.page_url(name)


@register.simple_tag
def cached_url(name: str) -> str:
    """The URL of `name` (no arguments), reversed once per process: extensions.cached_reverse.
    Like {% url %}, an unknown name is an error: {% cached_url "home" as home_url %}."""
    return extensions.cached_reverse(name)


@register.simple_tag(takes_context=True)
def team_can(context, action: str) -> bool:
    """Whether the signed-in user's role in request.team allows `action` (roles.py):
    {% team_can "billing.manage" as can_manage %}."""
    request = context.get("request")
    return request is not None and team_allows(request, action)


@register.simple_tag(takes_context=True)
def team_field(context) -> str:
    """A hidden input naming request.team (quickscale_core.middleware.CurrentTeamMiddleware)."""
    team = getattr(context.get("request"), "team", None)
    if team is None:
        return ""
    return format_html('<input type="hidden" name="team_id" value="{}">', team.pk)
