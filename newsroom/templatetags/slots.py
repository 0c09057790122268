"""{% slot "template.html" [live] %}: an include that a two-step render can fill per reader (newsroom/slots.py)."""

from django import template
from django.template.loader_tags import construct_relative_path

from newsroom.slots import PUBLIC_RENDER, slot_mark

register = template.Library()


class SlotNode(template.Node):
    def __init__(self, template_name, live):
        self.template_name = template_name
        self.live = live

    def render(self, context):
        included = context.template.engine.get_template(self.template_name)
        if not context.get(PUBLIC_RENDER):
            return included.render(context)
        # A live slot shows nothing kept; the others keep what a reader who is not signed in sees.
        default = "" if self.live else included.render(context)
        return slot_mark(self.template_name, self.live, default)


@register.tag
def slot(parser, token):
    bits = token.split_contents()
    if len(bits) not in (2, 3) or (len(bits) == 3 and bits[2] != "live"):
        raise template.TemplateSyntaxError('Use {% slot "template.html" %} or {% slot "template.html" live %}.')
    name = construct_relative_path(parser.origin.template_name, bits[1])
    if not (name[0] == name[-1] and name[0] in "\"'"):
        raise template.TemplateSyntaxError("{% slot %} takes a template name in quotes.")
    return SlotNode(name[1:-1], live=len(bits) == 3)
