// Mermaid only on pages that draw a diagram, and only once a diagram comes near the screen.
//
// Material for MkDocs draws every ```mermaid block itself: it calls `mermaid.initialize(...)`
// once and `mermaid.render(id, text)` for each diagram, on the first page and after each
// instant navigation, and puts the SVG in a shadow root styled with the palette's CSS
// variables (so the palette switch recolours diagrams without drawing them again). When no
// global `mermaid` exists it would fetch Mermaid from a CDN. This file defines that global as
// a small stand-in: its `render` waits until a diagram is within half a screen of the
// viewport, then imports the site's own Mermaid (assets/vendor/mermaid, served by
// hooks/assets.py; the ES-module build fetches only the code of the diagram types drawn),
// hands it the configuration and takes over the global, so later diagrams go straight to it.
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
      window.mermaid = mermaid;
      return mermaid;
    }));

  // Resolved the first time an observed diagram is near the viewport.
  let near;
  const nearScreen = new Promise((resolve) => (near = resolve));
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        near();
      }
    },
    { rootMargin: "50% 0px" },
  );

  window.mermaid = {
    initialize(config) {
      settings = config;
    },
    render(id, text) {
      // Material calls this with the text of a <pre class="mermaid"> still on the page.
      const block = [...document.querySelectorAll("pre.mermaid")].find(
        (el) => el.textContent === text,
      );
      if (block) observer.observe(block);
      else near();
      return nearScreen.then(load).then((mermaid) => mermaid.render(id, text));
    },
  };
})();
