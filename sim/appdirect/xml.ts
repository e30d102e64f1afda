/** Renders an event as XML, which is what AppDirect answers when the request does not ask for JSON. */
export function toXml(name: string, value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(name, value)}`;
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((item) => element('item', item)).join('')}</${name}>`;
  if (typeof value === 'object') {
    const children = Object.entries(value).map(([key, child]) => element(key, child));
    return `<${name}>${children.join('')}</${name}>`;
  }
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
