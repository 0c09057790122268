// Extensions for the article body's editor (articles/body_editor.py). django-prose-editor's
// "configurable" preset takes each configured extension by name from the package's exports, then
// from this module's, so Figure, Caption and OrderedList here replace the package's own.

import {
  canInsertNode,
  Extension,
  gettext,
  Caption as PackageCaption,
  Figure as PackageFigure,
  Link as PackageLink,
  OrderedList as PackageOrderedList,
  Plugin,
  updateAttrsDialog,
} from "django-prose-editor/editor"

// The body sanitiser allows no class on figures and captions and no type on numbered lists: the
// editor writes none, so saving never reports them as removed. An empty link title is no title.
export const Caption = PackageCaption.extend({
  addAttributes: () => ({}),
})

export const OrderedList = PackageOrderedList.extend({
  addAttributes() {
    const { type: _type, ...others } = this.parent?.() ?? {}
    return others
  },
})

export const Link = PackageLink.extend({
  addAttributes() {
    const attributes = this.parent?.() ?? {}
    return {
      ...attributes,
      title: { ...attributes.title, renderHTML: ({ title }) => (title?.trim() ? { title } : {}) },
    }
  },
})

const imageAtSelection = (state) => {
  const { selection } = state
  if (selection.node?.type.name === "image") {
    return { node: selection.node, pos: selection.from }
  }
  const { $from } = selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type.name === "figure" && node.firstChild?.type.name === "image") {
      return { node: node.firstChild, pos: $from.start(depth) }
    }
  }
  return null
}

const figureFields = (withCaption) => ({
  src: {
    type: "string",
    title: gettext("Image address"),
    description: gettext("The image's web address, e.g. https://…/scan.png"),
    required: true,
  },
  alt: {
    type: "string",
    title: gettext("Alt text"),
    description: gettext("What the image shows, for readers who cannot see it."),
    required: true,
  },
  ...(withCaption ? { caption: { type: "string", title: gettext("Caption (optional)") } } : {}),
})

const askForFigure = async (editor, image, values) => {
  const answer = await updateAttrsDialog(figureFields(!image), {
    title: image ? gettext("Edit image") : gettext("Insert figure"),
    submitText: image ? gettext("Update") : gettext("Insert"),
  })(editor, values)
  if (!answer) return
  // Spaces pass the browser's "required" check but are no address and no description.
  if (!answer.src.trim() || !answer.alt.trim()) {
    askForFigure(editor, image, answer)
    return
  }
  if (image) {
    editor
      .chain()
      .focus()
      .setNodeSelection(image.pos)
      .updateAttributes("image", { src: answer.src.trim(), alt: answer.alt.trim() })
      .run()
  } else {
    editor.commands.insertFigureFrom(answer)
  }
}

export const Figure = PackageFigure.extend({
  addAttributes: () => ({}),

  addCommands() {
    return {
      ...this.parent?.(),
      // The toolbar's figure button: insert a figure, or edit the selected figure's image.
      insertFigure:
        () =>
        ({ editor, state, dispatch }) => {
          const image = imageAtSelection(state)
          if (!dispatch) return Boolean(image) || canInsertNode(state, state.schema.nodes.figure)
          askForFigure(editor, image, {
            src: image?.node.attrs.src ?? "",
            alt: image?.node.attrs.alt ?? "",
          })
          return true
        },
      editImage:
        () =>
        ({ commands }) =>
          commands.insertFigure(),
      // For an image picker too: an address, alt text (required) and an optional caption.
      insertFigureFrom:
        ({ src, alt, caption = "" }) =>
        ({ chain }) => {
          if (!src?.trim() || !alt?.trim()) return false
          const content = [{ type: "image", attrs: { src: src.trim(), alt: alt.trim() } }]
          if (caption.trim()) {
            content.push({ type: "caption", content: [{ type: "text", text: caption.trim() }] })
          }
          return chain().focus().insertContent({ type: "figure", content }).run()
        },
    }
  },
})

const isBlank = (element) => !element.textContent.replace(/\u00a0/g, " ").trim() && !element.querySelector("img")

// Word writes a list as paragraphs styled "mso-list", each starting with its bullet or number in a
// span styled "mso-list:Ignore".
const isWordListItem = (element) =>
  element.tagName === "P" && /mso-list\s*:\s*l\d/i.test(element.getAttribute("style") || "")

const wordListsToLists = (body) => {
  for (const first of [...body.querySelectorAll("p")]) {
    if (!first.isConnected || !isWordListItem(first)) continue
    if (first.previousElementSibling && isWordListItem(first.previousElementSibling)) continue
    const marker = first.querySelector('span[style*="mso-list"]')?.textContent.trim() ?? ""
    const list = body.ownerDocument.createElement(/^[\da-z]{1,3}[.)]$/i.test(marker) ? "ol" : "ul")
    first.before(list)
    let paragraph = first
    while (paragraph && isWordListItem(paragraph)) {
      const next = paragraph.nextElementSibling
      for (const bullet of paragraph.querySelectorAll('span[style*="mso-list"]')) {
        if (/ignore/i.test(bullet.getAttribute("style"))) bullet.remove()
      }
      const item = body.ownerDocument.createElement("li")
      item.append(...paragraph.childNodes)
      list.append(item)
      paragraph.remove()
      paragraph = next
    }
  }
}

// What a word processor adds around the text; the editor's schema then keeps only the elements the
// body allows (styles, classes, spans and fonts go).
export const cleanPastedHTML = (html) => {
  const doc = new DOMParser().parseFromString(html, "text/html")
  for (const element of doc.querySelectorAll("style, meta, link, title, script, xml")) element.remove()
  wordListsToLists(doc.body)
  // Word marks an empty paragraph with <o:p>&nbsp;</o:p>.
  for (const element of doc.body.querySelectorAll("*")) {
    if (element.tagName.toLowerCase() === "o:p") element.remove()
  }
  for (const paragraph of doc.body.querySelectorAll("p")) {
    if (isBlank(paragraph)) paragraph.remove()
  }
  return doc.body.innerHTML
}

export const WordPaste = Extension.create({
  name: "wordPaste",

  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: cleanPastedHTML } })]
  },
})
