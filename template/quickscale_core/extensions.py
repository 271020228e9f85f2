"""Which modules are installed, and what modules and themes contribute to shared pages.

The one place that answers "is module X here?" at run time (from INSTALLED_APPS) and the
one place that reads the `contributes:` and `pages:` sections of the manifests
(quickscale_modules/*/module.yml, quickscale_themes/*/theme.yml, and a module.yml you add
to your own app). Templates use them through {% load quickscale %}; Python code through
the functions below. A module or theme never names another one: it links to a named page
(`page_url("pricing")`), renders an extension point (`{% contributions "nav" %}`)
or asks a feature helper (`entitlement_limit(user, "projects")`). QuickScale's
docs/modules/extension-points.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.conf import settings
from django.urls import (
    NoReverseMatch,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    include,
    path,
    reverse,
)
from django.utils.module_loading import import_string
from django.utils.translation import get_language

MODULES_PACKAGE = "quickscale_modules"
MANIFEST_NAMES = ("module.yml", "theme.yml")
# Who sees a contribution: everybody, visitors who are not signed in, signed-in users, staff.
AUDIENCES = {"always", "anonymous", "authenticated", "staff"}
# The points the core, the themes and the api module render. A module may render a point
# of its own; any other name draws warning quickscale.W002, since it is most likely a typo.
KNOWN_POINTS = {
    "nav",
    "nav_widgets",
    "account_sections",
    "dashboard_cards",
    "api_routes",
    # Lines of the dashboard's system status panel (the theme renders them).
    "status_items",
    # Periodic tasks, run by the tasks module's workers when it is installed.
    "schedule",
    # Kinds of notifications (extensions.notify; the notifications module delivers them).
    "notification_kinds",
}
DEFAULT_ORDER = 100


def installed_modules() -> list[str]:
    """QuickScale modules wired into INSTALLED_APPS, in settings order."""
    prefix = f"{MODULES_PACKAGE}."
    return [app.removeprefix(prefix) for app in settings.INSTALLED_APPS if app.startswith(prefix)]


def is_installed(module: str) -> bool:
    """Whether the QuickScale module `module` ("billing") is installed in this project."""
    return f"{MODULES_PACKAGE}.{module}" in settings.INSTALLED_APPS


@dataclass(frozen=True)
class Manifest:
    app: str  # the app's dotted name, e.g. "quickscale_modules.billing"
    position: int  # its place in INSTALLED_APPS: ties in `order` keep settings order
    contributes: dict[str, list[dict]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    provides: dict[str, str] = field(default_factory=dict)


class ManifestError(ValueError):
    """A manifest's contributions are malformed; the message names the file and the fix."""


def manifests() -> list[Manifest]:
    """Manifests of the installed apps that have one, in INSTALLED_APPS order."""
    return _manifests(tuple(settings.INSTALLED_APPS))


@cache
def _manifests(installed: tuple[str, ...]) -> list[Manifest]:
    # Keyed on INSTALLED_APPS, so override_settings in tests sees its own set of apps.
    # Only the project's own apps count (modules, themes, your apps): a third-party package
    # that happens to ship a module.yml is not a manifest of ours.
    root = Path(__file__).resolve().parent.parent
    found = []
    for position, config in enumerate(apps.get_app_configs()):
        folder = Path(config.path).resolve()
        if config.name not in installed or not _project_app(folder, root):
            continue
        for name in MANIFEST_NAMES:
            manifest_path = Path(config.path) / name
            if manifest_path.is_file():
                found.append(_load(config.name, position, manifest_path))
                break
    return found


# What each extension point's items must have (docs/modules/extension-points.md).
REQUIRED_FIELDS = {
    "nav": {"label", "url"},
    "api_routes": {"include"},
    "schedule": {"task"},
    "notification_kinds": {"kind", "label", "templates"},
}
TEMPLATE_FIELDS = {"template"}
TEXT_FIELDS = {
    "label",
    "url",
    "template",
    "context",
    "include",
    "prefix",
    "when",
    "task",
    "cron",
    "name",
    "kind",
    "templates",
}
# A notification kind's default channels: `email: always` marks a security notice that the
# declaring module emails itself in every project and nobody can turn off.
CHANNEL_VALUES = {"email": {True, False, "always"}, "in_app": {True, False}}


def _project_app(folder: Path, root: Path) -> bool:
    # The project's virtualenv may live inside it (uv's .venv): installed packages are not ours.
    return folder.is_relative_to(root) and "site-packages" not in folder.parts


def _load(app: str, position: int, manifest_path: Path) -> Manifest:
    """One manifest's extension-point sections, checked so that a malformed manifest is
    a ManifestError naming the file (a system check reports it), never a 500 later."""

    def refuse(problem: str) -> ManifestError:
        root = Path(__file__).resolve().parent.parent
        shown = (
            manifest_path.relative_to(root) if manifest_path.is_relative_to(root) else manifest_path
        )
        return ManifestError(f"{shown}: {problem}")

    try:
        data = yaml.safe_load(manifest_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise refuse(f"not valid YAML ({exc.__class__.__name__}).") from exc
    if not isinstance(data, dict):
        raise refuse("must be a YAML mapping.")
    contributes = data.get("contributes") or {}
    if not isinstance(contributes, dict):
        raise refuse("`contributes` must map extension points to lists of items.")
    for key in ("pages", "provides"):
        section = data.get(key) or {}
        if not isinstance(section, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in section.items()
        ):
            raise refuse(f"`{key}` must map names to dotted names or URL names.")
    for point, items in contributes.items():
        if not isinstance(items, list | type(None)):
            raise refuse(f"contributes.{point} must be a list of items.")
        for item in items or []:
            if not isinstance(item, dict):
                raise refuse(f"contributes.{point} items must be mappings, not {item!r}.")
            missing = REQUIRED_FIELDS.get(point, TEMPLATE_FIELDS) - set(item)
            if missing:
                raise refuse(f"contributes.{point} items need {', '.join(sorted(missing))}.")
            wrong = [k for k in TEXT_FIELDS & set(item) if not isinstance(item[k], str)]
            if wrong:
                raise refuse(f"contributes.{point}: {', '.join(sorted(wrong))} must be text.")
            if not isinstance(item.get("order", DEFAULT_ORDER), int):
                raise refuse(f"contributes.{point} has `order: {item['order']}`; use a number.")
            for channel, allowed in CHANNEL_VALUES.items():
                if point == "notification_kinds" and item.get(channel, True) not in allowed:
                    raise refuse(
                        f"contributes.notification_kinds has `{channel}: {item[channel]}`; use "
                        f"{' or '.join(sorted(str(v).lower() for v in allowed))}."
                    )
            audience = item.get("when", "always")
            if point == "api_routes" and "when" in item:
                # URL patterns are built once per process, for no particular user.
                raise refuse(
                    "contributes.api_routes items take no `when`; restrict access with the "
                    "views' permission classes instead."
                )
            if audience not in AUDIENCES:
                raise refuse(
                    f"contributes.{point} has `when: {audience}`; use one of "
                    f"{', '.join(sorted(AUDIENCES))}."
                )
    return Manifest(
        app=app,
        position=position,
        contributes={point: list(items or []) for point, items in contributes.items()},
        pages=dict(data.get("pages") or {}),
        provides=dict(data.get("provides") or {}),
    )


def _visible(item: dict, user: Any) -> bool:
    audience = item.get("when", "always")
    signed_in = bool(user is not None and user.is_authenticated)
    if audience == "anonymous":
        return not signed_in
    if audience == "authenticated":
        return signed_in
    if audience == "staff":
        return signed_in and user.is_staff
    return True


def contributions(point: str, user: Any = None) -> list[dict]:
    """What the installed apps contribute to extension point `point`, for `user`.

    Ordered by each item's `order` (default 100), then by INSTALLED_APPS order. Items
    marked `when: anonymous | authenticated | staff` are left out for the wrong audience,
    and links whose URL name does not resolve in this project are left out too (so a
    module may offer a link to a page that only exists with some settings).
    Each item is a copy with `app` (who contributed it) and, for links, `href`.
    """
    items = []
    for manifest in manifests():
        for item in manifest.contributes.get(point, []):
            if not _visible(item, user):
                continue
            item = {**item, "app": manifest.app}
            if "url" in item:
                item["href"] = reverse_or_none(item["url"])
                if item["href"] is None:
                    continue
            items.append((item.get("order", DEFAULT_ORDER), manifest.position, item))
    return [item for _, _, item in sorted(items, key=lambda entry: entry[:2])]


def page_url(name: str) -> str:
    """The URL of the named page ("pricing", "account_settings", "signup", "dashboard") from
    the first installed app whose manifest's `pages:` offers it; "" when none does."""
    for manifest in manifests():
        url = reverse_or_none(manifest.pages[name]) if name in manifest.pages else None
        if url is not None:
            return url
    return ""


def reverse_or_none(url_name: str) -> str | None:
    """The URL of `url_name`, or None when it does not resolve in this project."""
    try:
        return cached_reverse(url_name)
    except NoReverseMatch:
        return None


_MEMO = "_quickscale_reversed"


def cached_reverse(url_name: str) -> str:
    """reverse(url_name) for a URL that takes no arguments, remembered for the process.

    Navigation reverses the same dozen names on every page, at 50 to 100 µs each: most of
    the landing page's own work. The answer depends only on the URLconf, the script prefix
    (a site served under /app/) and the active language (i18n_patterns), so it is
    remembered under those. The memo hangs on the URLconf's resolver, which Django builds
    once per URLconf and replaces when URLs are reloaded (clear_url_caches, override_settings
    of ROOT_URLCONF in tests), so a new URLconf starts with an empty one. Names reversed
    with the request's namespace (`current_app`) are not for this: use {% url %}.
    """
    resolver = get_resolver(get_urlconf())
    memo = resolver.__dict__.get(_MEMO)
    if memo is None:
        memo = resolver.__dict__.setdefault(_MEMO, {})
    key = (url_name, get_script_prefix(), get_language())
    try:
        url = memo[key]
    except KeyError:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = None
        memo[key] = url
    if url is None:
        raise NoReverseMatch(f"Reverse for {url_name!r} not found.")
    return url


def provider(feature: str) -> str | None:
    """Dotted path of the module implementing `feature` (a manifest's `provides:`), if any."""
    for manifest in manifests():
        if feature in manifest.provides:
            return manifest.provides[feature]
    return None


def contributed_urlpatterns(point: str) -> list:
    """URL patterns contributed to `point` ("api_routes"): `prefix` + `include` per item.

    A malformed manifest gives no patterns here: URLs load while `manage.py check` runs,
    and its check quickscale.E007 then names the file instead of a traceback.
    """
    try:
        items = contributions(point)
    except ManifestError:
        return []
    return [path(item.get("prefix", ""), include(item["include"])) for item in items]


# ---------- Feature helpers: optional integrations between modules ----------
# The entitlements provider (the billing module's services) answers for plans; without
# one, nothing is limited, so a theme or module can ask without knowing whether plans exist.


def has_entitlement(subject: Any, feature: str) -> bool:
    """Whether the plan of `subject` includes `feature`; True when no module provides plans.

    `subject` is a team (request.team: the team is the customer), or a user for their
    personal team."""
    source = provider("entitlements")
    if source is None:
        return True
    return import_string(f"{source}.has_entitlement")(subject, feature)


def entitlement_limit(subject: Any, limit: str) -> int | None:
    """The numeric `limit` of the plan of `subject` (a team, or a user for their personal
    team); None = unlimited, also without plans."""
    source = provider("entitlements")
    if source is None:
        return None
    return import_string(f"{source}.entitlement_limit")(subject, limit)


# ---------- Notifications: tell a user that something happened ----------
# Kinds are declared in manifests (contributes: notification_kinds); the notifications
# module (provides: notifications) delivers them in the app and by email, as each user
# chose. Without it, kinds emailed by default are still emailed and nothing else happens.


def notification_kinds() -> dict[str, dict]:
    """The notification kinds the installed apps declare, by name, in declaration order."""
    return {item["kind"]: item for item in contributions("notification_kinds")}


def notify(user: Any, kind: str, context: dict[str, Any] | None = None) -> None:
    """Tell `user` that `kind` ("payment_failed") happened; `context` fills the kind's
    templates (`<templates>_subject.txt`, `_message.txt`, optional `_message.html`).

    With a `notifications` provider the user's preferences pick the channels (in-app,
    email). Without one, a kind whose `email` is true is emailed to the user's address and
    other channels are dropped; `email: always` kinds are security notices their module
    sends itself, so nothing more is sent here. ValueError for a kind nobody declares.
    """
    declared = notification_kinds().get(kind)
    if declared is None:
        raise ValueError(
            f"Unknown notification kind {kind!r}: declare it in a module.yml under "
            "contributes: notification_kinds."
        )
    context = {"user": user, **(context or {})}
    source = provider("notifications")
    if source is not None:
        import_string(f"{source}.notify")(user, kind, context)
    elif declared.get("email", True) is True and getattr(user, "email", ""):
        from quickscale_core import emails  # emails imports this module

        emails.send_templated(declared["templates"], context, [user.email])
