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

const figureFields = (withCaption, library) => ({
  src: {
    type: "string",
    title: gettext("Image address"),
    description: gettext("Choose it from the image library, or paste a library image's address."),
    required: true,
    ...(library.libraryUrl
      ? { picker: { label: gettext("Choose from the library"), handler: ({ input }) => openLibrary(input, library) } }
      : {}),
  },
  alt: {
    type: "string",
    title: gettext("Alt text"),
    description: gettext("What the image shows, for readers who cannot see it."),
    required: true,
  },
  ...(withCaption ? { caption: { type: "string", title: gettext("Caption (optional)") } } : {}),
})

// The image library inside the figure dialog: a search box and the library's images (from the
// staff-only JSON list), each a button. Choosing one fills the address and proposes the library's
// alt text, which the writer may change.
let libraryId = 0

const openLibrary = (addressInput, { libraryUrl, uploadUrl }) => {
  const form = addressInput.form
  const existing = form.querySelector(".figure-library")
  if (existing) {
    existing.querySelector("input[type=search]").focus()
    return
  }
  const id = `figure-library-${++libraryId}`
  const panel = document.createElement("div")
  panel.className = "figure-library"
  panel.setAttribute("role", "group")
  panel.setAttribute("aria-label", gettext("Image library"))
  panel.innerHTML = `
    <label for="${id}-search"></label>
    <input id="${id}-search" type="search" autocomplete="off">
    <p class="figure-library__status" role="status" aria-live="polite"></p>
    <ul class="figure-library__results"></ul>
    <button type="button" class="figure-library__more" hidden></button>
    <a class="figure-library__upload" target="_blank" rel="noopener"></a>`
  const search = panel.querySelector("input")
  const status = panel.querySelector(".figure-library__status")
  const results = panel.querySelector(".figure-library__results")
  const more = panel.querySelector(".figure-library__more")
  const upload = panel.querySelector(".figure-library__upload")
  panel.querySelector("label").textContent = gettext("Search the image library (alt text or credit)")
  more.textContent = gettext("More images")
  if (uploadUrl) {
    upload.href = uploadUrl
    upload.textContent = gettext("Upload a new image to the library (opens in a new tab)")
  } else {
    upload.remove()
  }

  let request = null
  let page = 1

  const choose = (image) => {
    const altInput = form.elements.alt
    addressInput.value = image.src
    // Alt text written for another image would mislead: the library's description replaces it,
    // selected, so the writer can adapt it to this article or type over it.
    altInput.value = image.alt_text
    panel.remove()
    altInput.focus()
    altInput.select()
  }

  const entry = (image) => {
    const item = document.createElement("li")
    const button = document.createElement("button")
    button.type = "button"
    button.className = "figure-library__choice"
    const thumbnail = document.createElement("img")
    thumbnail.src = image.thumbnail
    thumbnail.alt = ""
    thumbnail.width = 96
    thumbnail.height = image.width ? Math.max(1, Math.round((image.height * 96) / image.width)) : 96
    const alt = document.createElement("span")
    alt.className = "figure-library__alt"
    alt.textContent = image.alt_text
    const credit = document.createElement("span")
    credit.className = "figure-library__credit"
    credit.textContent = image.credit
    button.append(thumbnail, alt, credit)
    button.addEventListener("click", () => choose(image))
    item.append(button)
    return item
  }

  const load = async (nextPage) => {
    request?.abort()
    const mine = new AbortController()
    request = mine
    status.textContent = gettext("Looking in the library…")
    const query = new URLSearchParams({ q: search.value.trim(), page: nextPage })
    try {
      const response = await fetch(`${libraryUrl}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: mine.signal,
      })
      if (!response.ok) throw new Error(String(response.status))
      const answer = await response.json()
      if (request !== mine) return
      if (nextPage === 1) results.replaceChildren()
      results.append(...answer.results.map(entry))
      page = answer.page
      more.hidden = answer.page >= answer.pages
      status.textContent = answer.count
        ? interpolate(ngettext("%s image", "%s images", answer.count), [answer.count])
        : gettext("No image in the library matches; try other words, or upload it.")
    } catch (error) {
      if (error.name === "AbortError") return
      status.textContent = gettext("The image library could not be read; try again, or paste the address.")
    }
  }

  let typing = null
  search.addEventListener("input", () => {
    clearTimeout(typing)
    typing = setTimeout(() => load(1), 250)
  })
  search.addEventListener("keydown", (event) => {
    // Enter searches at once; it must not submit the dialog.
    if (event.key === "Enter") {
      event.preventDefault()
      clearTimeout(typing)
      load(1)
    }
  })
  more.addEventListener("click", () => load(page + 1))

  addressInput.closest(".prose-editor-dialog-field").after(panel)
  search.focus()
  load(1)
}

const ngettext = window.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural))
const interpolate = window.interpolate || ((text, values) => values.reduce((out, value) => out.replace("%s", value), text))

const askForFigure = async (editor, image, values, library) => {
  const answer = await updateAttrsDialog(figureFields(!image, library), {
    title: image ? gettext("Edit image") : gettext("Insert figure"),
    submitText: image ? gettext("Update") : gettext("Insert"),
  })(editor, values)
  if (!answer) return
  // Spaces pass the browser's "required" check but are no address and no description.
  if (!answer.src.trim() || !answer.alt.trim()) {
    askForFigure(editor, image, answer, library)
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

  addOptions() {
    return { ...this.parent?.(), libraryUrl: "", uploadUrl: "" }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      // The toolbar's figure button: insert a figure, or edit the selected figure's image.
      insertFigure:
        () =>
        ({ editor, state, dispatch }) => {
          const image = imageAtSelection(state)
          if (!dispatch) return Boolean(image) || canInsertNode(state, state.schema.nodes.figure)
          askForFigure(
            editor,
            image,
            { src: image?.node.attrs.src ?? "", alt: image?.node.attrs.alt ?? "" },
            this.options,
          )
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
