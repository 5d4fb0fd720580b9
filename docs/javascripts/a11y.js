// Accessibility fixes that need the page as the browser laid it out, or Material's markup.
//
// Material's search dialog has no name: it gets the search box's own label.
//
// Keyboard access to what scrolls: a code block, table, formula, diagram or notebook output wider
// (or taller) than its box gets `tabindex="0"`, so it can be focused and scrolled with the
// arrow keys, and a name for screen readers (`role="region"` + `aria-label`). Boxes that fit
// get neither (no useless tab stops). Checked on every page (`document$`: the first load
// and each instant navigation), again when the window's width changes, and when the page
// changes under it (a diagram is drawn late, in place of its source). Material does this
// for code blocks on devices with a mouse only.
(() => {
  // [selector, name, role]: a table keeps its own role (it may be named); anything else
  // becomes a named region.
  const SCROLLERS = [
    [".md-typeset pre > code", "Code", "region"],
    [".md-typeset table", "Table", null],
    [".md-typeset .md-typeset__scrollwrap", "Table", "region"],
    [".md-typeset div.arithmatex", "Formula", "region"],
    [".md-typeset .katex-display", "Formula", "region"],
    [".md-typeset .mermaid", "Diagram", "region"],
    [".jp-InputArea-editor .highlight-ipynb", "Code", "region"],
    [".jp-OutputArea-output", "Output", "region"],
    [".jp-OutputArea-output pre", "Output", "region"],
  ];

  const scrolls = (el) => {
    const style = getComputedStyle(el);
    const x = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const y = /auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    return x || y;
  };

  // What this script set on an element, so that it can take exactly that back.
  const ADDED = new WeakMap();
  const set = (el, name, value, added) => {
    if (el.hasAttribute(name)) return;
    el.setAttribute(name, value);
    added.push(name);
  };

  const update = () => {
    for (const [selector, name, role] of SCROLLERS) {
      for (const el of document.querySelectorAll(selector)) {
        if (scrolls(el)) {
          const added = ADDED.get(el) || [];
          set(el, "tabindex", "0", added);
          if (role) set(el, "role", role, added);
          set(el, "aria-label", `${name}, scrollable`, added);
          ADDED.set(el, added);
        } else if (ADDED.has(el)) {
          for (const attribute of ADDED.get(el)) el.removeAttribute(attribute);
          ADDED.delete(el);
        }
      }
    }
  };

  const dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
  const input = document.querySelector(".md-search__input");
  if (dialog) dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");

  let timer;
  const later = (delay) => {
    clearTimeout(timer);
    timer = setTimeout(update, delay);
  };
  document$.subscribe(() => requestAnimationFrame(update));
  window.addEventListener("resize", () => later(200));
  new MutationObserver(() => later(100)).observe(document.body, {
    childList: true,
    subtree: true,
  });
})();
