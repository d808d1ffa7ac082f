(() => {
  if (window.teamrolesTapSelects) return;
  window.teamrolesTapSelects = true;
  document.addEventListener("touchstart", (event) => {
    const layer = event.target.closest && event.target.closest(
      '[class*="st-key-diagram-"] .nsewdrag');
    if (!layer || event.touches.length !== 1) return;
    const {clientX, clientY} = event.touches[0];
    layer.dispatchEvent(new MouseEvent("mousemove", {clientX, clientY, bubbles: true}));
  }, {capture: true, passive: true});
})();
