// Mermaid only on pages that draw a diagram, and each diagram only as it comes near the screen.
//
// Material for MkDocs draws every ```mermaid block itself: it calls `mermaid.initialize(...)`
// once and `mermaid.render(id, text)` for each diagram, on the first page and after each
// instant navigation, and puts the SVG in a shadow root styled with the palette's CSS
// variables (so the palette switch recolours diagrams without drawing them again). When no
// global `mermaid` exists it would fetch Mermaid from a CDN. This file defines that global as
// a small stand-in whose `render` waits until its diagram is within half a screen of the
// viewport, then imports the site's own Mermaid (assets/vendor/mermaid, served by
// hooks/assets.py: the ES-module build, which fetches only the code of the diagram types
// drawn), hands it the configuration on first use, and draws. A page without diagrams never
// loads Mermaid; a page with many draws those the reader reaches.
(() => {
  const url = new URL(
    "../assets/vendor/mermaid/mermaid.esm.min.mjs",
    document.currentScript.src,
  ).href;
  let settings = {};
  let loaded = null;
  const load = () =>
    (loaded ||= import(url).then(({ default: mermaid }) => {
      mermaid.initialize(settings);
      return mermaid;
    }));

  // One promise per diagram block, resolved when the block is near the viewport.
  const waiting = new Map();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        waiting.get(entry.target)?.();
        waiting.delete(entry.target);
      }
    },
    { rootMargin: "50% 0px" },
  );
  const nearScreen = (block) =>
    new Promise((resolve) => {
      waiting.set(block, resolve);
      observer.observe(block);
    });

  window.mermaid = {
    initialize(config) {
      settings = config;
    },
    render(id, text) {
      // Material calls this with the text of a <pre class="mermaid"> still on the page.
      const block = [...document.querySelectorAll("pre.mermaid")].find(
        (el) => el.textContent === text && !waiting.has(el),
      );
      const near = block ? nearScreen(block) : Promise.resolve();
      return near.then(load).then((mermaid) => mermaid.render(id, text));
    },
  };
})();
