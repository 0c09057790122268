"""Pages rendered in two steps ("hole punching"). What every reader sees alike is rendered once, for a
reader who is not signed in, and kept as a list of parts; the few places that belong to one reader are
slots, marked in templates with {% slot %}, and only they are rendered for each request.

A slot is an included template. In an ordinary render it is just that include. In the public render it
leaves a mark holding its template name and, for a reader who is not signed in, what it showed then:
- `{% slot "t.html" %}` shows that to every reader who is not signed in; signed-in readers get theirs;
- `{% slot "t.html" live %}` is rendered for every request (the account links, messages);
- `... when <condition>` (as {% if %} takes it) narrows either to the readers for whom the condition holds,
  in the page's context with the slot's values and the reader's `messages`: the others get what every reader
  gets, at no cost. So `when article_id in saved_ids` renders a save button only for a reader who saved
  that article, and `live when messages` the messages only for a reader who has some;
- `... with name=value` gives the include values from where it stands (a card's article id in a loop of
  cards); they are kept in the mark, so they must be plain numbers, strings or booleans.
"""

import copy
import functools
import json
import re

from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.http import QueryDict
from django.middleware.csrf import get_token
from django.template import Context, engines
from django.template.loader import render_to_string

# PostgreSQL cannot store a NUL character, so no article, title or name can contain the mark.
MARK = "\x00"
SLOT_MARK = re.compile(f"{MARK}([^{MARK}]*){MARK}([^{MARK}]*){MARK}")
PUBLIC_RENDER = "public_render"


def public_request(request):
    """The request as any reader who is not signed in would send it: no user, no cookies, no query string
    (which may hold anything, even an address someone was sent)."""
    public = copy.copy(request)
    public.user = AnonymousUser()
    public.COOKIES = {}
    public.GET = QueryDict()
    public.META = {**request.META, "QUERY_STRING": "", "HTTP_COOKIE": ""}
    return public


def render_public(template_name, context, request):
    """The page as a reader who is not signed in sees it, as parts: strings, and [template, live, default,
    values, condition] for each slot. Nothing of the requesting reader can reach it."""
    public = public_request(request)
    html = render_to_string(
        template_name,
        {
            **context,
            PUBLIC_RENDER: True,
            "user": public.user,
            "perms": PermWrapper(public.user),
            "messages": (),
            "csrf_token": "NOTPROVIDED",
        },
        request=public,
    )
    parts = []
    position = 0
    for slot in SLOT_MARK.finditer(html):
        parts.append(html[position : slot.start()])
        template, live, values, condition = json.loads(slot.group(1))
        parts.append([template, live, slot.group(2), values, condition])
        position = slot.end()
    parts.append(html[position:])
    return parts


def slot_mark(template_name, live, default, values, condition):
    return f"{MARK}{json.dumps([template_name, live, values, condition])}{MARK}{default}{MARK}"


def assemble(parts, context, request):
    """The page for this request: the kept parts, with each slot rendered for this reader where it has to
    be (every live slot; every slot for a signed-in reader; either only when its condition holds). The
    slots are rendered together, in one template of includes, so the context processors run once."""
    signed_in = request.user.is_authenticated
    slots = [part for part in parts if not isinstance(part, str)]
    # The messages as the context processor gives them to templates; read only if a condition asks.
    asked = {**context, "messages": get_messages(request)}
    own = [(live or signed_in) and holds(condition, asked, values) for _, live, _, values, condition in slots]
    wanted = [part for part, theirs in zip(slots, own, strict=True) if theirs]
    rendered = ()
    if wanted:
        values = {f"slot_{number}": part[3] for number, part in enumerate(wanted)}
        if signed_in:
            # Their slots hold forms: one plain token for all of them, where the context's lazy one pays its
            # proxy at every use.
            values["csrf_token"] = get_token(request)
        template = slots_template(tuple(part[0] for part in wanted))
        rendered = template.render({**context, **values}, request).split(MARK)
    rendered = iter(rendered)
    own = iter(own)
    html = []
    for part in parts:
        if isinstance(part, str):
            html.append(part)
        else:
            html.append(next(rendered) if next(own) else part[2])
    return "".join(html)


def holds(condition, context, values):
    return condition is None or bool(parsed_condition(condition).eval(Context({**context, **values})))


@functools.lru_cache(maxsize=64)
def parsed_condition(condition):
    """A slot's condition as {% if %} parses it."""
    if_node = engines["django"].from_string(f"{{% if {condition} %}}{{% endif %}}").template.nodelist[0]
    return if_node.conditions_nodelists[0][0]


@functools.lru_cache(maxsize=64)
def slots_template(template_names):
    """One template including each of `template_names` with its slot's values, their outputs separated by
    the mark."""
    includes = MARK.join(
        "{% fill_slot " + json.dumps(name) + f" slot_{number} %}}" for number, name in enumerate(template_names)
    )
    return engines["django"].from_string(includes)
