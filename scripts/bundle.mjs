// Bundles the compiled CLI (tsc's output in dist/) into dist/cli.js and a few
// chunks beside it. Loading one file instead of some 400 small modules is
// most of a command's start-up time; dynamic imports stay separate chunks, so
// the terminal UI and the WASM Postgres parser still load only when needed.
import { build } from "esbuild";

await build({
  entryPoints: {
    cli: "dist/cli/bin.js",
    // The parallel parser starts it as `new URL('./parse-worker.js', import.meta.url)`, next to the chunks.
    "parse-worker": "dist/engine/parse/parse-worker.js",
    // The PostgreSQL state's writing connection: `new URL('./state-worker.js', import.meta.url)`, next to the chunks.
    "state-worker": "dist/engine/journal/postgres/state-worker.js",
  },
  outdir: "dist",
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // The WASM parser finds its .wasm beside its own module; pg-native and React's devtools are optional and absent.
  external: ["libpg-query", "pg-native", "react-devtools-core"],
  // CommonJS dependencies (pg, React) call require(): give the ES module bundle one.
  banner: {
    js: "import { createRequire as __runbookRequire } from 'node:module'; const require = __runbookRequire(import.meta.url);",
  },
  logLevel: "warning",
});
