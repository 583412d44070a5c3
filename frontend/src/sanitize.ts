// What ipywidgets' base manager asks of the npm package sanitize-html (to clean a control's label
// given as HTML, `description_allow_html`), done with the browser's own inert HTML parser instead of
// sanitize-html's parser and PostCSS (about 250 KB of the bundle). The build aliases 'sanitize-html'
// to this file. Same rules as sanitize-html's defaults for the options ipywidgets passes: a tag not
// allowed is dropped but its text kept (its whole content for script, style, textarea, option,
// noscript); an attribute is kept only if allowed for its tag or for '*' (a trailing '*' is a
// prefix); href and src keep only relative URLs and http, https, ftp, mailto and tel.
type Options = {
  allowedTags?: string[];
  allowedAttributes?: Record<string, string[]>;
};

const DROP_WITH_CONTENT = new Set(['script', 'style', 'textarea', 'option', 'noscript', 'template']);
const SCHEMES = new Set(['http', 'https', 'ftp', 'mailto', 'tel']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite', 'action', 'srcset', 'xlink:href']);

function allowedAttribute(name: string, patterns: string[]): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern
  );
}

function safeUrl(value: string): boolean {
  // Control characters and white space are ignored by browsers inside a scheme ("java\tscript:").
  const squeezed = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(squeezed);
  return !scheme || SCHEMES.has(scheme[1].toLowerCase());
}

function clean(node: Node, tags: Set<string>, attributes: Record<string, string[]>): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) {
      child.remove(); // comments, processing instructions
      continue;
    }
    const element = child as Element;
    const tag = element.localName;
    if (DROP_WITH_CONTENT.has(tag) && !tags.has(tag)) {
      element.remove();
      continue;
    }
    clean(element, tags, attributes);
    if (!tags.has(tag)) {
      element.replaceWith(...Array.from(element.childNodes));
      continue;
    }
    const allowed = [...(attributes[tag] || []), ...(attributes['*'] || [])];
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      if (!allowedAttribute(name, allowed) || (URL_ATTRIBUTES.has(name) && !safeUrl(attribute.value))) {
        element.removeAttribute(attribute.name);
      }
    }
  }
}

export default function sanitize(html: string, options: Options = {}): string {
  const template = document.createElement('template'); // inert: nothing loads, nothing runs
  template.innerHTML = String(html ?? '');
  clean(template.content, new Set(options.allowedTags || []), options.allowedAttributes || {});
  return template.innerHTML;
}
