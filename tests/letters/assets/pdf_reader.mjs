// Reads a PDF the way Firefox's PDF viewer does (Mozilla's pdf.js, vendored next to this
// file) and prints what a reader gets, as JSON: per page the text, the marked-content ids
// of the text (null for artifacts), and the structure tree with its roles and the content
// ids it covers, for each file. Usage: node pdf_reader.mjs FILE.pdf [FILE.pdf ...]
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

// Reading text and structure draws nothing: pdf.js only needs these names to exist
// (it looks for the optional @napi-rs/canvas package to provide them for rendering).
for (const name of ["DOMMatrix", "ImageData", "Path2D"]) {
  globalThis[name] ??= class {};
}
const pdfjs = await import("./pdfjs-dist/pdf.min.mjs");

const here = dirname(fileURLToPath(import.meta.url));
pdfjs.GlobalWorkerOptions.workerSrc = pathToFileURL(
  join(here, "pdfjs-dist", "pdf.worker.min.mjs")).href;

function walk(node, roles, ids) {
  if (node.type === "content") {
    ids.push(node.id);
    return;
  }
  if (node.role) roles.push(node.role);
  for (const child of node.children || []) walk(child, roles, ids);
}

async function read(path) {
  const data = new Uint8Array(readFileSync(path));
  const pdf = await pdfjs.getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
  const pages = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const text = [];
    const marked = [];
    const stack = [];
    for (const item of content.items) {
      if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
        stack.push({ tag: item.tag ?? null, id: item.id ?? null });
      } else if (item.type === "endMarkedContent") {
        stack.pop();
      } else if (item.str !== undefined) {
        text.push(item.str + (item.hasEOL ? "\n" : " "));
        const inner = stack.length ? stack[stack.length - 1] : { tag: null, id: null };
        if (item.str.trim()) marked.push({ str: item.str, tag: inner.tag, id: inner.id });
      }
    }
    const tree = await page.getStructTree();
    const roles = [];
    const ids = [];
    if (tree) walk(tree, roles, ids);
    pages.push({ text: text.join(""), marked, roles, ids, top: tree ? tree.children.map(
      (child) => child.role ?? child.type) : [] });
  }
  await pdf.destroy();
  return { pages };
}

const out = {};
for (const path of process.argv.slice(2)) out[path] = await read(path);
process.stdout.write(JSON.stringify(out));
