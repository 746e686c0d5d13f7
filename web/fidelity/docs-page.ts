// The documentation page of the apps site (apps/docs-markdown.md), rendered when the sites start:
// Markdown by `marked`, fenced code highlighted by `highlight.js` (its classes; the page links a
// theme of the package), `$…$` and `$$…$$` typeset by `katex` into HTML (the page links KaTeX's
// stylesheet, whose fonts the site serves next to it), and a table of contents of the h2 and h3
// headings for the page's sticky sidebar.

import { readFile } from 'node:fs/promises';
import hljs from 'highlight.js';
import katex from 'katex';
import { Marked, type Tokens, type TokenizerAndRendererExtension } from 'marked';

interface MathToken {
  type: 'math';
  raw: string;
  text: string;
  display: boolean;
}

const blockMath: TokenizerAndRendererExtension = {
  name: 'math',
  level: 'block',
  start: (src) => src.indexOf('$$'),
  tokenizer(src) {
    const match = /^\$\$\n([\s\S]+?)\n\$\$(?:\n|$)/.exec(src);
    return match ? ({ type: 'math', raw: match[0], text: match[1] ?? '', display: true } satisfies MathToken) : undefined;
  },
  renderer: (token) => katex.renderToString((token as unknown as MathToken).text, { displayMode: true, throwOnError: true }),
};

const inlineMath: TokenizerAndRendererExtension = {
  name: 'inlineMath',
  level: 'inline',
  start: (src) => src.indexOf('$'),
  tokenizer(src) {
    const match = /^\$([^$\n]+?)\$/.exec(src);
    return match ? { type: 'inlineMath', raw: match[0], text: match[1] ?? '' } : undefined;
  },
  renderer: (token) => katex.renderToString(String(token['text']), { displayMode: false, throwOnError: true }),
};

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\w]+/g, '-')
    .replace(/^-|-$/g, '');

/** The page: `template` (an HTML file with `<!--TOC-->` and `<!--BODY-->`) filled from `markdown`. */
export async function renderDocsPage(markdownFile: string, templateFile: string): Promise<string> {
  const toc: { depth: number; id: string; text: string }[] = [];
  const marked = new Marked({
    gfm: true,
    extensions: [blockMath, inlineMath],
    renderer: {
      heading(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, { tokens, depth, text }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        const id = slug(text);
        if (depth === 2 || depth === 3) toc.push({ depth, id, text: inner });
        return `<h${depth} id="${id}">${inner}</h${depth}>\n`;
      },
      code({ text, lang }: Tokens.Code) {
        const language = lang && hljs.getLanguage(lang) ? lang : 'plaintext';
        const highlighted = hljs.highlight(text, { language }).value;
        return `<pre><code class="hljs language-${language}">${highlighted}</code></pre>\n`;
      },
    },
  });
  const body = await marked.parse(await readFile(markdownFile, 'utf8'));
  const contents = `<ul>${toc.map((h) => `<li class="depth-${h.depth}"><a href="#${h.id}">${h.text}</a></li>`).join('')}</ul>`;
  const template = await readFile(templateFile, 'utf8');
  return template.replace('<!--TOC-->', contents).replace('<!--BODY-->', body);
}
