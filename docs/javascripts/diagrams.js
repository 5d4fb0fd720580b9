// Mermaid diagrams that can be read: themed for both palettes, never shrunk to tiny text.
//
// Material for MkDocs draws every ```mermaid block with the global `mermaid`: it calls
// `mermaid.initialize` once and `mermaid.render` per diagram, and puts the SVG in a shadow
// root. Material's own theme CSS covers flowcharts, sequence, class, state and ER diagrams
// through its --md-mermaid-* variables; every other diagram type keeps Mermaid's light-only
// colours, which turn unreadable in the dark (slate) palette: white text on yellow in a
// timeline, a black title on the dark page in a journey. This script wraps both calls of
// whatever object is (or later becomes) the global `mermaid` (the library itself, or a
// stand-in that loads it lazily and then hands the global over to it):
//
// - `initialize` also gets THEME_CSS: the other diagram types drawn with the --dl-mermaid-*
//   variables that extra.css sets per palette ("layout: Mermaid colours"). Custom properties
//   reach into the shadow root, so switching the palette recolours the diagrams at once.
// - `render` gives each SVG a minimum width of MIN_SCALE times its natural width: a wide
//   diagram is shrunk to fit the column at most that much (its labels stay above ~10 px)
//   and scrolls sideways beyond it (extra.css lets the `.mermaid` box scroll).
(() => {
  const MIN_SCALE = 0.65;
  const SECTIONS = 6; // --dl-mermaid-s0 ... s5 in extra.css

  // Mermaid puts this CSS before its own rules, with the same scope: `!important` wins.
  const I = "!important";

  // Section colours: timeline, mindmap (.section-N, from -1), journey (.section-type-N,
  // .task-type-N), gantt (.sectionN, .taskN).
  const sectionRules = [];
  for (let i = -1; i < 12; i += 1) {
    const n = (i + SECTIONS) % SECTIONS;
    const fill = `var(--dl-mermaid-s${n}) ${I}`;
    const edge = `var(--dl-mermaid-s${n}-edge) ${I}`;
    sectionRules.push(
      `.section-${i} :is(rect, path, circle, polygon, ellipse) { fill: ${fill}; }`,
      `.section-${i} line, line.node-line-${i} { stroke: ${edge}; }`,
      `.section-${i} :is(text, tspan) { fill: var(--dl-mermaid-fg) ${I}; }`,
    );
    if (i >= 0) {
      sectionRules.push(
        `rect.section-type-${i}, rect.task-type-${i} { fill: ${fill}; stroke: ${edge}; }`,
      );
    }
    if (i >= 0 && i < 4) {
      sectionRules.push(
        `.section${i} { fill: ${fill}; opacity: 0.6 ${I}; }`,
        `:is(.task${i}, .active${i}, .done${i}) { fill: ${fill}; stroke: ${edge}; }`,
        `:is(.crit${i}, .activeCrit${i}, .doneCrit${i}) { stroke: var(--dl-mermaid-crit) ${I}; }`,
        `:is(.taskText${i}, .taskTextOutside${i}, .activeText${i}, .doneText${i},
           .critText${i}, .sectionTitle${i}) { fill: var(--dl-mermaid-fg) ${I}; }`,
      );
    }
  }

  const THEME_CSS = `
    ${sectionRules.join("\n")}
    /* Text drawn on the page or on a section colour: titles, legends, axes, labels. */
    :is(text:not([class]), .titleText, .legend, .pieTitleText, .taskTextOutsideRight,
        .taskTextOutsideLeft, text.task, text.journey-section, .grid .tick text, .sectionTitle)
      { fill: var(--dl-mermaid-fg) ${I}; }
    :is(.task, .journey-section) .label { color: var(--dl-mermaid-fg) ${I}; }
    /* Lines Mermaid draws in black. */
    :is(.lineWrapper line, .task-line, .grid .tick line, .grid path)
      { stroke: var(--dl-mermaid-line) ${I}; }
    marker path { fill: var(--dl-mermaid-line) ${I}; }
    .eventWrapper { filter: none ${I}; }
    .pieCircle { stroke: var(--dl-mermaid-page) ${I}; }
    .pieOuterCircle { stroke: var(--dl-mermaid-line) ${I}; }
    .today { stroke: var(--dl-mermaid-crit) ${I}; }
  `;

  // Give the SVG (the first tag of Mermaid's output) a minimum width from its viewBox.
  const readable = (svg) =>
    svg.replace(/^(\s*<svg\b[^>]*)>/, (tag, open) => {
      const box = /\bviewBox="[-\d.e]+\s+[-\d.e]+\s+([\d.e]+)\s+[\d.e]+"/.exec(open);
      if (!box || /\bmin-width:/.test(open)) return tag;
      const minWidth = `min-width: ${Math.round(parseFloat(box[1]) * MIN_SCALE)}px;`;
      return /\bstyle="/.test(open)
        ? `${open.replace(/\bstyle="/, `style="${minWidth} `)}>`
        : `${open} style="${minWidth}">`;
    });

  const patch = (library) => {
    if (!library || typeof library !== "object" || library instanceof Element) return;
    if (library.dlguidePatched) return;
    library.dlguidePatched = true;
    const initialize = library.initialize.bind(library);
    const render = library.render.bind(library);
    library.initialize = (config = {}) =>
      initialize({ ...config, themeCSS: `${config.themeCSS || ""}\n${THEME_CSS}` });
    library.render = async (...args) => {
      const result = await render(...args);
      return { ...result, svg: readable(result.svg) };
    };
  };

  // Patch the global now, and whatever is assigned to it later.
  let current = window.mermaid;
  patch(current);
  try {
    Object.defineProperty(window, "mermaid", {
      configurable: true,
      enumerable: true,
      get: () => current,
      set: (value) => {
        current = value;
        patch(value);
      },
    });
  } catch (error) {
    // A global that cannot be redefined: it was patched in place above.
  }
})();
