"""{% slot "template.html" [live] [when condition] [with name=value ...] %}: an include that a two-step render
can fill per reader (newsroom/slots.py)."""

import itertools

from django import template
from django.template.base import token_kwargs
from django.template.defaulttags import TemplateIfParser
from django.template.loader_tags import construct_relative_path

from newsroom.slots import PUBLIC_RENDER, slot_mark

register = template.Library()


USAGE = (
    'Use {% slot "template.html" %} or {% slot "template.html" live %}, then optionally "when <condition>" and '
    '"with name=value ...".'
)


def render_included(context, template_name, values):
    with context.push(**values):
        return context.template.engine.get_template(template_name).render(context)


class SlotNode(template.Node):
    def __init__(self, template_name, live, condition, arguments):
        self.template_name = template_name
        self.live = live
        self.condition = condition
        self.arguments = arguments

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.arguments.items()}
        if not context.get(PUBLIC_RENDER):
            return render_included(context, self.template_name, values)
        # A live slot without a condition shows nothing kept; the others keep what a reader who is not signed
        # in sees.
        kept = not self.live or self.condition is not None
        default = render_included(context, self.template_name, values) if kept else ""
        return slot_mark(self.template_name, self.live, default, values, self.condition)


@register.tag
def slot(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError(USAGE)
    name = construct_relative_path(parser.origin.template_name, bits.pop(0))
    if not (name[0] == name[-1] and name[0] in "\"'"):
        raise template.TemplateSyntaxError("{% slot %} takes a template name in quotes.")
    live = bool(bits) and bits[0] == "live"
    if live:
        bits.pop(0)
    condition = None
    if bits and bits[0] == "when":
        condition_bits = list(itertools.takewhile(lambda bit: bit != "with", bits[1:]))
        if not condition_bits:
            raise template.TemplateSyntaxError(USAGE)
        try:
            TemplateIfParser(parser, condition_bits).parse()  # a condition {% if %} cannot read fails here
        except template.TemplateSyntaxError as error:
            raise template.TemplateSyntaxError(f"{USAGE} The condition: {error}") from error
        condition = " ".join(condition_bits)
        bits = bits[1 + len(condition_bits) :]
    arguments = {}
    if bits and bits[0] == "with":
        arguments = token_kwargs(bits[1:], parser)
        if not arguments or len(arguments) != len(bits) - 1:
            raise template.TemplateSyntaxError(USAGE)
    elif bits:
        raise template.TemplateSyntaxError(USAGE)
    return SlotNode(name[1:-1], live=live, condition=condition, arguments=arguments)


class FillSlotNode(template.Node):
    def __init__(self, template_name, values):
        self.template_name = template_name
        self.values = values

    def render(self, context):
        return render_included(context, self.template_name, self.values.resolve(context))


@register.tag
def fill_slot(parser, token):
    """{% fill_slot "template.html" values %}: a kept slot rendered for one request, with the values its
    {% slot ... with %} kept (newsroom/slots.py writes these; templates do not)."""
    _, name, values = token.split_contents()
    return FillSlotNode(name[1:-1], parser.compile_filter(values))
