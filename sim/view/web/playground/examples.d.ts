// The examples and the bug suite as source text: a module scripts/build-web.mjs makes at
// build time (its `examples()`).
declare module "playground-examples" {
  const examples: { name: string; source: string }[];
  export default examples;
}
