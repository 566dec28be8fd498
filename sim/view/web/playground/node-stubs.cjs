// What the playground's bundle gets for the few Node modules the engine's file-facing corners
// import (scripts/build-web.mjs maps them here; CommonJS, so that any named import of them
// resolves): the browser has no files, and a scenario there is one source text with no bundle
// or source map of its own. Each stub is the answer those corners take as "nothing here": no
// bundle (stack.ts then keeps a frame as it is), no file to read (readTraceFile is never
// called: the page parses text).

module.exports = {
  sep: "/",
  isAbsolute: (p) => p.startsWith("/"),
  relative: (_from, to) => to,
  resolve: (...parts) => parts[parts.length - 1] ?? "/",
  fileURLToPath: (u) => String(u),
  bundleOf: () => undefined,
  packageRoot: () => "/",
  readFileSync: (path) => {
    throw new Error(`the playground reads no files (${path})`);
  },
};
