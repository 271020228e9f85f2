// Keyboard comfort for the todo pages; everything works without this file.
(function () {
  "use strict";

  // After htmx swaps a fragment in, put the focus where the user will type next.
  document.addEventListener("htmx:afterSettle", function () {
    var marker = document.querySelector("[data-todo-focus]");
    if (marker) {
      var field = document.getElementById(marker.getAttribute("data-todo-focus"));
      marker.remove();
      if (field) field.focus();
      return;
    }
    var editing = document.querySelector("[data-todo-edit] input:not([type=hidden])");
    if (editing && !editing.form.contains(document.activeElement)) editing.focus();
  });

  // Escape leaves inline editing without saving.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var form = event.target.closest && event.target.closest("[data-todo-edit]");
    if (!form) return;
    var cancel = form.querySelector("[data-todo-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });
})();
