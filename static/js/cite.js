// "Cite this": a button copies the citation's text. Without JavaScript the button stays hidden and the
// text is there to select; where the clipboard is refused, the text is selected and the status says so.
"use strict";

document.querySelectorAll("button[data-copy]").forEach((button) => {
  const text = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[role=status]");
  if (!text) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", () => {
    const say = (message) => {
      if (status) {
        status.textContent = message;
      }
    };
    const selectText = () => {
      const range = document.createRange();
      range.selectNodeContents(text);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say(button.dataset.failed);
    };
    if (!navigator.clipboard) {
      selectText();
      return;
    }
    navigator.clipboard.writeText(text.textContent.trim()).then(() => say(button.dataset.copied), selectText);
  });
});
