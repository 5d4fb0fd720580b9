// The search index (every page's text: 1.4 MB, the largest file the site has) and the search
// worker (Lunr, 40 kB) are fetched when a reader goes for the search, not on every page load.
//
// Material requests the index with an XMLHttpRequest and starts its worker with
// `new Worker(url)` as soon as the page starts. Here, before Material's bundle runs, that
// request's send() waits, and the worker is a stand-in that starts the real one, until the
// reader points at, taps or focuses the search box or the header's search button (Material
// focuses the box for its "/", "s" and "f" shortcuts too, so those count), or the address
// carries a shared search (?q=) or a search result's highlight (?h=). Material then builds
// its index as usual and runs the query typed meanwhile. Instant navigation keeps the page,
// so the index is fetched at most once per visit.
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const WORKER = /\/assets\/javascripts\/workers\/search\.[\w]+\.min\.js$/;
  const INTENT = ["focusin", "pointerover", "pointerdown"];

  let wanted;
  const searchWanted = new Promise((resolve) => (wanted = resolve));
  const intent = (event) => {
    const target = event.target;
    if (target instanceof Element && target.closest('.md-search, [for="__search"]')) wanted();
  };
  for (const type of INTENT) {
    document.addEventListener(type, intent, { capture: true, passive: true });
  }
  const params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) wanted();
  searchWanted.then(() => {
    for (const type of INTENT) document.removeEventListener(type, intent, { capture: true });
  });

  const path = (url) => new URL(url, location.href).pathname;

  // The index: its request is opened at once (Material subscribes to it), sent when wanted.
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const deferred = new WeakSet();
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (INDEX.test(path(url))) deferred.add(this);
    else deferred.delete(this);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (!deferred.has(this)) return send.apply(this, args);
    searchWanted.then(() => send.apply(this, args));
  };

  // The worker: a stand-in that Material talks to (postMessage, "message" events); the real
  // worker starts when the search is wanted and gets what was posted meanwhile.
  const NativeWorker = window.Worker;
  if (!NativeWorker) return;
  function Worker(url, options) {
    if (!WORKER.test(path(url))) return new NativeWorker(url, options);
    const standIn = new EventTarget();
    const queue = [];
    let real = null;
    standIn.postMessage = (message) => (real ? real.postMessage(message) : queue.push(message));
    standIn.terminate = () => {
      queue.length = 0;
      real?.terminate();
    };
    searchWanted.then(() => {
      real = new NativeWorker(url, options);
      for (const type of ["message", "messageerror", "error"]) {
        real.addEventListener(type, (event) => {
          const copy =
            type === "error"
              ? new ErrorEvent(type, { message: event.message })
              : new MessageEvent(type, { data: event.data });
          standIn.dispatchEvent(copy);
        });
      }
      for (const message of queue.splice(0)) real.postMessage(message);
    });
    return standIn;
  }
  Worker.prototype = NativeWorker.prototype;
  window.Worker = Worker;
})();
