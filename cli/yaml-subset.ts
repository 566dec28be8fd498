// A YAML reader for the subset our example manifests use (docs/distributed/*.yaml, *.yml), so
// that their tests run the commands they contain without a YAML dependency. It reads:
//
//   documents separated by `---`          comments (`# ...`, at a line's start or after a space)
//   block mappings   `key: value`, `key:` then a more indented block (or a `- ` list at the
//                    key's own indentation, as GitHub workflows often write them)
//   block sequences  `- value`, `- key: value` (a mapping whose first key shares the dash's line)
//   literal blocks   `|` (the lines kept as they are, one final newline; `|-`: none)
//   flow sequences   `[a, "b", 3]` of scalars
//   scalars          plain, "double-quoted" (JSON escapes), 'single-quoted' ('' is ');
//                    integers are numbers, true/false booleans, null and ~ null, the rest strings
//
// Anything else (anchors, aliases, tags, flow mappings, folded `>` blocks, multi-line plain
// scalars, tabs) is an error naming the line: a test must never read a manifest differently
// from Kubernetes or GitHub without knowing it.

export type Yaml = null | boolean | number | string | Yaml[] | { [key: string]: Yaml };

/** A line the reader does not understand, with its 1-based number. */
export class YamlSubsetError extends Error {
  override name = "YamlSubsetError";
}

interface Line {
  /** 1-based, for errors. */
  n: number;
  indent: number;
  /** The line without its indentation (comments still in). */
  text: string;
}

/** Every document of `source`, in order. */
export function parseYamlDocuments(source: string): Yaml[] {
  const docs: Line[][] = [[]];
  source.split("\n").forEach((raw, i) => {
    if (/^\t| \t/.test(raw)) throw new YamlSubsetError(`line ${i + 1}: a tab in indentation`);
    if (/^---\s*$/.test(raw)) docs.push([]);
    else docs[docs.length - 1].push({ n: i + 1, indent: raw.search(/\S|$/), text: raw.trim() });
  });
  return docs.map((lines) => new Reader(lines).document()).filter((d) => d !== null);
}

/** Blank or comment only: no value (but kept inside literal blocks). */
const isBlank = (l: Line) => l.text === "" || l.text.startsWith("#");

const KEY = /^([A-Za-z0-9_.\/-]+|"[^"]*"|'[^']*'):(?: +(.*))?$/;

class Reader {
  private i = 0;
  constructor(private readonly lines: Line[]) {}

  document(): Yaml {
    const next = this.peek();
    if (!next) return null;
    const v = this.block(next.indent);
    const rest = this.peek();
    if (rest) throw this.error(rest, "unexpected indentation or content");
    return v;
  }

  /** The next line with content, or undefined at the end. */
  private peek(): Line | undefined {
    while (this.i < this.lines.length && isBlank(this.lines[this.i])) this.i++;
    return this.lines[this.i];
  }

  private error(l: Line, why: string): YamlSubsetError {
    return new YamlSubsetError(`line ${l.n}: ${why}: ${l.text}`);
  }

  /** The mapping or sequence whose lines are indented `indent`. */
  private block(indent: number): Yaml {
    const l = this.peek()!;
    return l.text === "-" || l.text.startsWith("- ") ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): Yaml[] {
    const out: Yaml[] = [];
    for (let l = this.peek(); l && l.indent === indent; l = this.peek()) {
      if (l.text !== "-" && !l.text.startsWith("- ")) break;
      const item = l.text.slice(1).trimStart();
      if (item === "" || item.startsWith("#")) {
        this.i++;
        out.push(this.nested(indent));
      } else if (item === "|" || item === "|-") {
        this.i++;
        out.push(this.literal(indent, item === "|-"));
      } else if (KEY.test(stripComment(item))) {
        // `- key: value`: the line becomes the first of a mapping indented past the dash.
        const at = indent + (l.text.length - item.length);
        this.lines[this.i] = { n: l.n, indent: at, text: item };
        out.push(this.mapping(at));
      } else {
        this.i++;
        out.push(scalarOrFlow(stripComment(item), (why) => this.error(l, why)));
      }
    }
    return out;
  }

  private mapping(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    for (let l = this.peek(); l && l.indent === indent; l = this.peek()) {
      if (l.text === "-" || l.text.startsWith("- ")) break;
      const m = KEY.exec(stripComment(l.text));
      if (!m) throw this.error(l, "not `key: value`");
      const key = unquote(m[1]);
      if (key in out) throw this.error(l, `key "${key}" twice`);
      const rest = m[2] ?? "";
      this.i++;
      if (rest === "") {
        const next = this.peek();
        const listHere = next && next.indent === indent && /^-( |$)/.test(next.text);
        out[key] = listHere ? this.sequence(indent) : this.nested(indent);
      } else if (rest === "|" || rest === "|-") {
        out[key] = this.literal(indent, rest === "|-");
      } else {
        out[key] = scalarOrFlow(rest, (why) => this.error(l, why));
      }
    }
    return out;
  }

  /** The block after `key:` or `-`, more indented than `indent`; null when there is none. */
  private nested(indent: number): Yaml {
    const next = this.peek();
    return next && next.indent > indent ? this.block(next.indent) : null;
  }

  /** A `|` block: the lines indented past `indent`, less the first one's indentation. */
  private literal(indent: number, strip: boolean): string {
    const body: string[] = [];
    let own = -1;
    for (; this.i < this.lines.length; this.i++) {
      const l = this.lines[this.i];
      if (l.text === "") {
        body.push("");
        continue;
      }
      if (l.indent <= indent) break;
      if (own < 0) own = l.indent;
      if (l.indent < own) throw this.error(l, "less indented than its block's first line");
      body.push(" ".repeat(l.indent - own) + l.text);
    }
    while (body.length && body[body.length - 1] === "") body.pop();
    return body.join("\n") + (strip ? "" : "\n");
  }
}

/** `text` without a trailing ` # comment` (a # inside quotes stays). */
function stripComment(text: string): string {
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "#" && (i === 0 || text[i - 1] === " ")) {
      return text.slice(0, i).trimEnd();
    }
  }
  return text.trimEnd();
}

function scalarOrFlow(text: string, error: (why: string) => Error): Yaml {
  if (text.startsWith("[")) {
    if (!text.endsWith("]")) throw error("a flow sequence on more than one line");
    const inner = text.slice(1, -1).trim();
    return inner === "" ? [] : splitFlow(inner).map((s) => scalar(s.trim(), error));
  }
  return scalar(text, error);
}

/** `a, "b, c", d` at the commas outside quotes. */
function splitFlow(text: string): string[] {
  const parts: string[] = [];
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ",") {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function scalar(text: string, error: (why: string) => Error): Yaml {
  if (/^[&*!{>|@`%]/.test(text)) throw error(`"${text[0]}" is outside the subset read here`);
  if (text.startsWith('"') || text.startsWith("'")) return unquote(text);
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  if (text === "null" || text === "~") return null;
  return text;
}

function unquote(text: string): string {
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  return text;
}
