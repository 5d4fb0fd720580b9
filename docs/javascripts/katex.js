// Render $...$ / \(...\) and $$...$$ / \[...\] math written with pymdownx.arithmatex
// (generic mode). KaTeX itself is served from this site: see docs/overrides/hooks/assets.py.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
  });
});
