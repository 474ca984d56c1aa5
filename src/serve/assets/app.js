// Progressive touches only: the page works the same without them.
// "/" focuses the search box; a date range applies as soon as both ends are valid.
document.addEventListener("keydown", (e) => {
  const box = document.querySelector('form.search input[name="q"]');
  if (e.key === "/" && box && document.activeElement !== box &&
      !(document.activeElement instanceof HTMLInputElement)) {
    e.preventDefault();
    box.focus();
    box.select();
  }
});
document.querySelectorAll("form.dates input").forEach((input) => {
  input.addEventListener("change", () => {
    if (input.form.checkValidity()) input.form.requestSubmit();
  });
});
