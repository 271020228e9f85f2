"""The one way the project and its modules send email.

Every transactional email (sign-in codes, verification, password reset, invitations, your
own) goes through `send()` or `send_templated()`: the message is rendered in the request,
where its data is at hand, and delivered by the `deliver` task after the transaction
commits. With the tasks module that is a worker, which retries a failing provider with
growing delays; without it, delivery happens right after the commit, in the request.
EMAIL_BACKEND decides the provider (config/settings/base.py; the notifications module
adds django-anymail's). A module that knows addresses that must not be mailed (hard
bounces) offers `email_suppression` in its manifest's `provides:`; see `deliver`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from quickscale_core import extensions
from quickscale_core.background import enqueue_on_commit, retrying_task

logger = logging.getLogger(__name__)


def send_templated(
    template_prefix: str, context: dict[str, Any], to: list[str], **headers: Any
) -> None:
    """Render `<prefix>_subject.txt`, `<prefix>_message.txt` and, when it exists,
    `<prefix>_message.html` with `context`, and send them to `to` after commit."""
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    text = render_to_string(f"{template_prefix}_message.txt", context)
    try:
        html = render_to_string(f"{template_prefix}_message.html", context)
    except Exception:  # noqa: BLE001 - TemplateDoesNotExist: a text-only email
        html = None
    message = EmailMultiAlternatives(subject, text, None, to, headers=headers or None)
    if html is not None:
        message.attach_alternative(html, "text/html")
    send(message)


def send(message: EmailMessage) -> None:
    """Send a built message (allauth's, for example) through the `deliver` task."""
    enqueue_on_commit(deliver, as_data(message))


def as_data(message: EmailMessage) -> dict[str, Any]:
    """The message as JSON values, so a queue can hold it. Attachments are not carried:
    transactional emails link to what they offer instead."""
    html = next(
        (content for content, mime in getattr(message, "alternatives", []) if mime == "text/html"),
        None,
    )
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "html": str(html) if html is not None else None,
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
    }


def suppressed(addresses: list[str]) -> set[str]:
    """Those of `addresses` a module says must not be mailed (lower case)."""
    source = extensions.provider("email_suppression")
    if source is None or not addresses:
        return set()
    found = import_string(f"{source}.suppressed")(addresses) or []
    return {a.lower() for a in found if isinstance(a, str)}


@retrying_task(attempts=5, first_delay=60, longest_delay=3600)
def deliver(data: dict[str, Any]) -> int:
    """Hand one message to EMAIL_BACKEND; a failure raises, so the task is retried.

    Recipients marked undeliverable are left out (a provider would bounce them again and
    count it against the sender's reputation); returns how many messages were sent.
    """
    blocked = suppressed([*data["to"], *data["cc"], *data["bcc"]])
    to, cc, bcc = (
        [a for a in data[key] if a.lower() not in blocked] for key in ("to", "cc", "bcc")
    )
    if blocked:
        logger.info("Not emailing %d undeliverable address(es): %r", len(blocked), data["subject"])
    if not (to or cc or bcc):
        return 0
    try:
        return _build(data, to, cc, bcc).send()
    except (BadHeaderError, ValueError) as error:
        # A newline in a header, an address Django cannot encode: no retry can fix it.
        logger.error("Email %r not sent and not retried: %s", data["subject"][:100], error)
        return 0


def _build(data: dict[str, Any], to: list[str], cc: list[str], bcc: list[str]):
    message = EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        to,
        bcc=bcc,
        cc=cc,
        reply_to=data["reply_to"],
        headers=data["headers"] or None,
        connection=get_connection(fail_silently=False),
    )
    if data.get("html") is not None:
        message.attach_alternative(data["html"], "text/html")
    return message
