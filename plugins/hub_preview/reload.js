// Hub's live preview (hub_preview): reload this page once a newer build is there.
// Served by the preview server and added to its HTML responses only; never part of the site.
(() => {
  const script = document.currentScript;
  const shown = script ? script.dataset.generation : "";
  const events = new EventSource("/__hub/reload");
  events.addEventListener("generation", (event) => {
    if (event.data !== shown) {
      events.close();
      window.location.reload();
    }
  });
})();
