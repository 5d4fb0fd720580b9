// The completion checklist on the roadmap page: tick boxes that are remembered by this browser.
//
// pymdownx.tasklist renders `- [ ]` items as disabled checkboxes. Inside a
// `<div class="dl-checklist">` this script enables them, restores their state from
// localStorage (one key per item, made from the item's text without its links, so that
// reordering items or linking more pages keeps the ticks), saves every change, and shows
// "N of M done" with a reset button. Nothing is sent anywhere. `document$` is Material's
// page observable: it fires on the first load and after every instant navigation.
(() => {
  const STORAGE_KEY = "dlguide-checklist";

  const load = () => {
    try {
      const saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (error) {
      return {}; // storage disabled or corrupt: start empty
    }
  };

  const save = (state) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      // storage full or disabled: the ticks last until the page is left
    }
  };

  // Inline elements whose text is part of an item's key. Links are left out (so that linking
  // one more page keeps the tick), and so is anything scripts may add inside an item later
  // (tooltips, rendered math).
  const INLINE = new Set(["ABBR", "B", "CODE", "EM", "I", "KBD", "MARK", "STRONG", "SUB", "SUP"]);

  const textOf = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    if (node.classList.contains("arithmatex")) {
      // KaTeX may already have rendered it: its MathML keeps the TeX source.
      const tex = node.querySelector("annotation");
      return tex ? tex.textContent : node.textContent.replace(/^\\\(|\\\)$/g, "");
    }
    if (!INLINE.has(node.tagName)) return "";
    return [...node.childNodes].map(textOf).join("");
  };

  // The item's own text (not that of its links, a nested list or its checkbox), whitespace
  // collapsed, without the ": " that introduces the links.
  const itemKey = (item) =>
    [...item.childNodes]
      .map(textOf)
      .join("")
      .replace(/\s+/g, " ")
      .replace(/[\s:,.]+$/, "")
      .trim();

  // Name a box by its item's text (links and maths included): the text after the box's
  // <label>, up to a nested list, moves into a <span> that the box is labelled by.
  let labels = 0;
  const labelBox = (item, input) => {
    const control = input.closest("label");
    const span = document.createElement("span");
    span.id = `dl-checklist-item-${++labels}`;
    const parts = [];
    for (let node = control.nextSibling; node && !/^(UL|OL)$/.test(node.nodeName); ) {
      parts.push(node);
      node = node.nextSibling;
    }
    control.after(span);
    span.append(...parts);
    input.setAttribute("aria-labelledby", span.id);
  };

  const setUp = (container) => {
    if (container.dataset.checklistReady) return;
    container.dataset.checklistReady = "true";
    const boxes = [...container.querySelectorAll(".task-list-item")]
      .map((item) => ({ item, key: itemKey(item), input: item.querySelector("input[type=checkbox]") }))
      .filter(({ key, input }) => key && input);
    // after the keys: the keys are made from the item's own child nodes
    for (const { item, input } of boxes) labelBox(item, input);

    const status = document.createElement("p");
    status.className = "dl-checklist__status";
    const progress = document.createElement("span");
    progress.className = "dl-checklist__progress";
    progress.setAttribute("aria-live", "polite");
    const reset = document.createElement("button");
    reset.type = "button";
    reset.className = "md-button dl-checklist__reset";
    reset.textContent = "Reset checklist";
    status.append(progress, " ", reset);
    container.prepend(status);

    const update = () => {
      const done = boxes.filter(({ input }) => input.checked).length;
      progress.textContent = `${done} of ${boxes.length} done`;
    };

    const state = load();
    for (const { key, input } of boxes) {
      input.disabled = false;
      input.checked = state[key] === true;
      input.closest("label").style.cursor = "pointer";
      input.addEventListener("change", () => {
        const current = load(); // another tab may have ticked other items meanwhile
        if (input.checked) current[key] = true;
        else delete current[key];
        save(current);
        update();
      });
    }
    reset.addEventListener("click", () => {
      const current = load();
      for (const { key, input } of boxes) {
        input.checked = false;
        delete current[key];
      }
      save(current);
      update();
    });
    update();
  };

  document$.subscribe(() => {
    document.querySelectorAll(".dl-checklist").forEach(setUp);
  });
})();
