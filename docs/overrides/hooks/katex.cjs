// KaTeX for docs/overrides/hooks/maths.py: typeset formulas at build time, so that no page
// runs maths JavaScript in the browser. One process per build: each line on stdin is a JSON
// list of {"tex": "...", "display": true|false}; the answer is one line on stdout, a JSON
// list of {"html": "..."} or {"error": "..."} in the same order.
"use strict";
const path = require("path");
const readline = require("readline");

const katex = require(path.resolve(process.argv[2], "katex"));

const render = ({ tex, display }) => {
  try {
    return {
      html: katex.renderToString(tex, {
        displayMode: display,
        throwOnError: true,
        output: "htmlAndMathml", // MathML for screen readers, HTML for the eye
      }),
    };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
};

readline
  .createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on("line", (line) => {
    process.stdout.write(JSON.stringify(JSON.parse(line).map(render)) + "\n");
  });
